from django.contrib import admin

from notifications.models import Notification


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
