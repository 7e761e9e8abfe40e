"""Notifications carry a citizen's address and a dossier: the list shows only those of the
dossiers the user may see (``workflows.permissions.visible_dossiers``, the API's rule)."""

from django.contrib import admin

from notifications.models import Notification
from workflows.permissions import sees_everything, visible_dossiers


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "kind",
        "channel",
        "recipient",
        "address",
        "dossier",
        "status",
        "attempts",
        "created_at",
    ]
    list_filter = ["status", "channel", "kind"]
    search_fields = ["dossier__code", "address", "recipient__username"]
    raw_id_fields = ["recipient", "dossier", "task"]
    readonly_fields = ["recipient_key", "dedupe_key", "created_at", "sent_at", "attempts", "last_error"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if sees_everything(request.user):
            return queryset
        return queryset.filter(dossier__in=visible_dossiers(request.user).values("pk"))
