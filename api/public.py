"""The citizen's endpoints: no login, the dossier code and the key printed on the receipt.

They return no personal data and no staff names; a wrong key and an unknown code get the same
404, so codes cannot be probed. Rate limited per client address.

The key may come in the ``X-Lookup-Key`` header (preferred: proxies and access logs record query
strings), in ``?key=`` for a link typed from the receipt, or in the rating's body. The header wins
when both are sent. Logs mask ``key=`` (``core.logging``).
"""

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from workflows import public_status, services

from . import serializers as s
from .plain import PlainGetMixin
from .rows import iso_in
from .schema import ERROR_RESPONSES
from .throttling import PublicThrottle

LOOKUP_KEY_HEADER = "X-Lookup-Key"
_LOOKUP_KEY_META = "HTTP_X_LOOKUP_KEY"  # the header as WSGI names it (``request.headers`` copies them all)
LOOKUP_KEY_PARAMETER = OpenApiParameter(
    LOOKUP_KEY_HEADER,
    str,
    location=OpenApiParameter.HEADER,
    required=False,
    description="The key printed on the receipt (preferred to `key`: it stays out of access logs).",
)


# One field for every call (a field keeps no state between validations): building a serializer
# per request to read one query parameter cost more than the rest of DRF's work on the lookup.
_KEY_FIELD = s.Text(max_length=64)


def _valid_key(value: str) -> str:
    try:
        return _KEY_FIELD.run_validation(value)
    except serializers.ValidationError as exc:
        raise serializers.ValidationError({"key": exc.detail}) from None


def lookup_key(request, fallback: str | None) -> str:
    """The key from the ``X-Lookup-Key`` header, else ``fallback`` (the query's or body's ``key``)."""
    header = request.META.get(_LOOKUP_KEY_META)
    if header is not None:
        return _valid_key(header)
    if not fallback:
        message = f"Bắt buộc: mã tra cứu trong tiêu đề {LOOKUP_KEY_HEADER} hoặc tham số key."
        raise serializers.ValidationError({"key": [message]})
    return fallback


class _PublicView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicThrottle]


class PublicDossierView(PlainGetMixin, _PublicView):
    """A GET asking for JSON takes the plain path (``api.plain``): the same answer, the same
    errors, the same throttle, without DRF's dispatch."""

    @extend_schema(
        tags=["public"],
        summary="A dossier's status for the citizen (code and the key on the receipt)",
        parameters=[
            OpenApiParameter(
                "key", str, required=False, description=f"The receipt's key, or send {LOOKUP_KEY_HEADER}."
            ),
            LOOKUP_KEY_PARAMETER,
        ],
        responses={200: s.PublicDossierOut, **ERROR_RESPONSES(400, 404, 429)},
        auth=[],
    )
    def get(self, request, code: str):
        return super().get(request, code=code)

    def plain_get(self, request, *, code: str) -> dict:
        query_key = request.GET.get("key")  # as s.PublicLookupQuery validates it
        key = lookup_key(request, None if query_key is None else _valid_key(query_key))
        return public_dossier_row(public_status.dossier_public_status(code=code, key=key))


class PublicRatingView(_PublicView):
    @extend_schema(
        tags=["public"],
        summary="Rate the service once, after the result was handed over",
        request=s.RatingIn,
        parameters=[LOOKUP_KEY_PARAMETER],
        responses={201: s.RatingOut, **ERROR_RESPONSES(400, 404, 409, 429)},
        examples=[
            OpenApiExample("Rating", value={"key": "ABCD234567", "score": 5, "comment": "Nhanh, chu đáo."})
        ],
        auth=[],
    )
    def post(self, request, code: str):
        data = s.RatingIn(data=request.data)
        data.is_valid(raise_exception=True)
        rating = services.dossier_rate(
            code=code,
            key=lookup_key(request, data.validated_data.get("key")),
            score=data.validated_data["score"],
            comment=data.validated_data["comment"],
        )
        return Response(s.RatingOut(rating).data, status=status.HTTP_201_CREATED)


def _public_step(step: dict, tz) -> dict:
    return {
        "step": step["step"],
        "agency": step["agency"],
        "started_at": iso_in(step["started_at"], tz),
        "due_at": iso_in(step["due_at"], tz),
        "finished_at": iso_in(step["finished_at"], tz),
        "status": step["status"],
        "verdict": step["verdict"],
    }


def public_dossier_row(found: dict) -> dict:
    """What ``serializers.PublicDossierOut`` gives of ``dossier_public_status``'s dict (a test
    compares them; the serializer stays the schema's source of truth), without its machinery."""
    tz = timezone.get_current_timezone()  # once, not per value (``iso`` asks each time)
    extension = found["extension"]
    if extension is not None:
        extension = {key: iso_in(value, tz) for key, value in extension.items()}
    return {
        "code": found["code"],
        "procedure": {"code": found["procedure"]["code"], "name": found["procedure"]["name"]},
        "receiving_agency": found["receiving_agency"],
        "status": found["status"],
        "status_label": found["status_label"],
        "received_at": iso_in(found["received_at"], tz),
        "due_at": iso_in(found["due_at"], tz),
        "finished_at": iso_in(found["finished_at"], tz),
        "returned_at": iso_in(found["returned_at"], tz),
        "result": found["result"],
        "current_steps": [_public_step(step, tz) for step in found["current_steps"]],
        "history": [_public_step(step, tz) for step in found["history"]],
        "pauses": [
            {
                "started_at": iso_in(pause["started_at"], tz),
                "ended_at": iso_in(pause["ended_at"], tz),
                "missing_documents": list(pause["missing_documents"]),
            }
            for pause in found["pauses"]
        ],
        "extension": extension,
        "rated": found["rated"],
    }
