"""OpenAPI pieces shared by the views: the error envelope and the responses that use it."""

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "error": inline_serializer(
            name="ErrorBody",
            fields={
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "fields": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
            },
        )
    },
)

_DESCRIPTIONS = {
    400: "Invalid input; `error.fields` names each wrong field.",
    401: "Not authenticated.",
    403: "Not allowed for this user.",
    404: "Not found.",
    409: "Conflict with the current state (already done, transition not allowed, lock not taken).",
    429: "Too many requests; retry after the `Retry-After` header's seconds.",
}


def ERROR_RESPONSES(*statuses: int) -> dict[int, OpenApiResponse]:  # noqa: N802 - reads like a constant
    return {code: OpenApiResponse(ErrorSerializer, description=_DESCRIPTIONS[code]) for code in statuses}


BODY_METHODS = ("post", "put", "patch")


def document_body_limit(result, generator, request, public):
    """drf-spectacular post-processing hook: every operation that reads a body may answer 413
    (``api.parsers``: over ``ONESTOP_MAX_REQUEST_BYTES``), in the same error shape."""
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method in BODY_METHODS:
                operation.setdefault("responses", {}).setdefault(
                    "413",
                    {
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                        "description": "Request body over the size limit (`ONESTOP_MAX_REQUEST_BYTES`).",
                    },
                )
    return result
