"""Staff notifications (in-app inbox, mark read) and the supervisors' deadline queue."""

from django.conf import settings
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from notifications.delivery import render
from notifications.models import Notification
from notifications.selectors import QUEUE_ITEMS, QUEUE_STATES, deadline_queue, notifications_for
from notifications.services import notification_mark_read
from workflows.permissions import Action, can

from .fields import Integer
from .schema import ERROR_RESPONSES


class IsSupervisor(BasePermission):
    message = "Chỉ Quản lý Một cửa được xem danh sách hồ sơ sắp đến hạn và quá hạn."

    def has_permission(self, request, view) -> bool:
        return can(request.user, Action.VIEW_MONITORING)


class NotificationSerializer(serializers.ModelSerializer):
    text = serializers.SerializerMethodField()
    dossier_code = serializers.CharField(source="payload.dossier_code", read_only=True, default=None)

    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "dossier", "dossier_code", "task", "payload", "created_at", "read_at"]

    def get_text(self, obj: Notification) -> str:
        return render(obj)[1]


class UnreadQuery(serializers.Serializer):
    unread = serializers.BooleanField(required=False, allow_null=True, default=None)


@extend_schema(
    tags=["notifications"],
    summary="My in-app notifications, newest first",
    parameters=[
        OpenApiParameter("unread", OpenApiTypes.BOOL, description="true: unread only; false: read only")
    ],
    responses={200: NotificationSerializer(many=True), **ERROR_RESPONSES(400, 401)},
)
class NotificationListView(ListAPIView):
    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]
    filter_backends: list = []

    def get_queryset(self):
        query = UnreadQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return notifications_for(user=self.request.user, unread=query.validated_data["unread"])


@extend_schema(tags=["notifications"], summary="Mark one of my notifications read", request=None)
class NotificationReadView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: NotificationSerializer, **ERROR_RESPONSES(401, 404)})
    def post(self, request, pk: int):
        notification = notification_mark_read(notification_id=pk, user=request.user)
        return Response(NotificationSerializer(notification).data)


class QueueItemSerializer(serializers.Serializer):
    item = serializers.CharField(source="q_item", help_text="task or dossier")
    state = serializers.SerializerMethodField(help_text="overdue or due_soon")
    task = serializers.IntegerField(source="q_task", allow_null=True)
    dossier = serializers.IntegerField(source="q_dossier")
    dossier_code = serializers.CharField(source="q_code")
    agency = serializers.IntegerField(source="q_agency")
    agency_name = serializers.CharField(source="q_agency_name")
    step_name = serializers.CharField(source="q_step", allow_null=True)
    role = serializers.CharField(source="q_role", allow_null=True)
    owner = serializers.IntegerField(source="q_owner", allow_null=True)
    due_at = serializers.DateTimeField(source="q_due")
    due_soon_notified_at = serializers.DateTimeField(source="q_due_soon_flagged", allow_null=True)
    overdue_notified_at = serializers.DateTimeField(source="q_overdue_flagged", allow_null=True)

    def get_state(self, row) -> str:
        return "overdue" if row["q_due"] <= self.context["as_of"] else "due_soon"


class QueueQuery(serializers.Serializer):
    item = serializers.ChoiceField(choices=QUEUE_ITEMS, required=False, allow_null=True, default=None)
    state = serializers.ChoiceField(choices=QUEUE_STATES, required=False, allow_null=True, default=None)
    agency = Integer(required=False, allow_null=True, default=None, min_value=1, max_value=2**63 - 1)


@extend_schema(
    tags=["monitoring"],
    summary="Overdue and due-soon tasks and dossiers, most urgent first (supervisors)",
    parameters=[
        OpenApiParameter("item", OpenApiTypes.STR, enum=list(QUEUE_ITEMS)),
        OpenApiParameter("state", OpenApiTypes.STR, enum=list(QUEUE_STATES)),
        OpenApiParameter("agency", OpenApiTypes.INT),
    ],
    responses={200: QueueItemSerializer(many=True), **ERROR_RESPONSES(400, 401, 403)},
)
class DeadlineQueueView(ListAPIView):
    serializer_class = QueueItemSerializer
    permission_classes = [IsAuthenticated, IsSupervisor]
    filter_backends: list = []

    def get_serializer_context(self):
        return super().get_serializer_context() | {"as_of": self.as_of}

    def get_queryset(self):
        query = QueueQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        self.as_of = timezone.now()
        return deadline_queue(
            as_of=self.as_of,
            due_soon_hours=settings.ONESTOP_DUE_SOON_HOURS,
            item=query.validated_data["item"],
            state=query.validated_data["state"],
            agency_id=query.validated_data["agency"],
        )


urlpatterns = [
    path("notifications/", NotificationListView.as_view(), name="notification-list"),
    path("notifications/<int:pk>/read/", NotificationReadView.as_view(), name="notification-read"),
    path("monitoring/queue/", DeadlineQueueView.as_view(), name="monitoring-queue"),
]
