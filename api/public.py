"""The citizen's endpoints: no login, the dossier code and the key printed on the receipt.

They return no personal data and no staff names; a wrong key and an unknown code get the same
404, so codes cannot be probed. Rate limited per client address.
"""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from workflows import selectors, services

from . import serializers as s
from .schema import ERROR_RESPONSES
from .throttling import PublicThrottle


class _PublicView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicThrottle]


class PublicDossierView(_PublicView):
    @extend_schema(
        tags=["public"],
        summary="A dossier's status for the citizen (code and the key on the receipt)",
        parameters=[
            OpenApiParameter("key", str, required=True, description="The key printed on the receipt.")
        ],
        responses={200: s.PublicDossierOut, **ERROR_RESPONSES(400, 404, 429)},
        auth=[],
    )
    def get(self, request, code: str):
        query = s.PublicLookupQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        dossier = selectors.dossier_public_status(code=code, key=query.validated_data["key"])
        return Response(s.PublicDossierOut(dossier).data)


class PublicRatingView(_PublicView):
    @extend_schema(
        tags=["public"],
        summary="Rate the service once, after the result was handed over",
        request=s.RatingIn,
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
            key=data.validated_data["key"],
            score=data.validated_data["score"],
            comment=data.validated_data["comment"],
        )
        return Response(s.RatingOut(rating).data, status=status.HTTP_201_CREATED)
