"""The national portal's outbox as the supervisors see it: what waits or failed, and a retry."""

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.models import SyncRow, SyncStatus
from portal.selectors import outbox_rows
from portal.services import sync_retry
from workflows.permissions import Action, can, require

from .fields import Integer
from .schema import ERROR_RESPONSES


class MaySeeOutbox(BasePermission):
    def has_permission(self, request, view) -> bool:
        if not can(request.user, Action.MANAGE_PORTAL_SYNC):
            require(request.user, Action.MANAGE_PORTAL_SYNC)  # raises NotAllowed with the refusal
        return True


class SyncRowSerializer(serializers.ModelSerializer):
    dossier_code = serializers.CharField(source="dossier.code", read_only=True)

    class Meta:
        model = SyncRow
        fields = [
            "id", "dossier", "dossier_code", "sequence", "kind", "portal_status", "status", "attempts",
            "created_at", "next_attempt_at", "sent_at", "last_error",
        ]  # fmt: skip


class OutboxQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=SyncStatus.values, required=False, allow_null=True, default=None)
    dossier = Integer(required=False, allow_null=True, default=None, min_value=1, max_value=2**63 - 1)


@extend_schema(
    tags=["portal"],
    summary="Rows of the national portal's outbox, newest first (supervisors); waiting and failed by default",
    parameters=[
        OpenApiParameter("status", OpenApiTypes.STR, enum=list(SyncStatus.values)),
        OpenApiParameter("dossier", OpenApiTypes.INT, description="a dossier's id"),
    ],
    responses={200: SyncRowSerializer(many=True), **ERROR_RESPONSES(400, 401, 403)},
)
class OutboxListView(ListAPIView):
    serializer_class = SyncRowSerializer
    permission_classes = [IsAuthenticated, MaySeeOutbox]
    filter_backends: list = []

    def get_queryset(self):
        query = OutboxQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return outbox_rows(status=query.validated_data["status"], dossier_id=query.validated_data["dossier"])


@extend_schema(tags=["portal"], summary="Send an outbox row again now (supervisors)", request=None)
class OutboxRetryView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: SyncRowSerializer, **ERROR_RESPONSES(401, 403, 404, 409)})
    def post(self, request, pk: int):
        row = sync_retry(row_id=pk, by=request.user)
        return Response(SyncRowSerializer(outbox_rows(status=row.status).get(pk=row.pk)).data)


urlpatterns = [
    path("outbox/", OutboxListView.as_view(), name="portal-outbox"),
    path("outbox/<int:pk>/retry/", OutboxRetryView.as_view(), name="portal-outbox-retry"),
]
