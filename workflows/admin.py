"""Django admin: dossiers are read-only here (every change goes through workflows.services)."""

from django.contrib import admin

from .models import Dossier, DossierEvent, DossierPause, DossierTask, StaffProfile


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DossierTaskInline(ReadOnlyInline):
    model = DossierTask
    fields = (
        "stage",
        "step",
        "agency",
        "role",
        "status",
        "owner",
        "created_at",
        "due_at",
        "finished_at",
        "decision",
        "verdict",
    )
    readonly_fields = fields
    ordering = ("created_at", "id")


class DossierPauseInline(ReadOnlyInline):
    model = DossierPause
    fields = ("stage", "mode", "started_at", "ended_at", "missing_documents", "requested_by")
    readonly_fields = fields


class DossierEventInline(ReadOnlyInline):
    model = DossierEvent
    fields = (
        "at",
        "action",
        "actor",
        "from_status",
        "to_status",
        "step",
        "agency",
        "due_at",
        "verdict",
        "reason",
    )
    readonly_fields = fields
    ordering = ("at", "id")


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "applicant_name",
        "procedure",
        "receiving_agency",
        "status",
        "received_at",
        "due_at",
        "verdict",
    )
    list_filter = ("status", "channel", "verdict", "extended", "receiving_agency")
    search_fields = ("code", "applicant_name")
    date_hierarchy = "received_at"
    list_select_related = ("procedure", "receiving_agency")
    inlines = (DossierTaskInline, DossierPauseInline, DossierEventInline)
    show_full_result_count = False  # no COUNT(*) over millions of rows on each page

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields if field.name != "lookup_key_hash"]

    def get_exclude(self, request, obj=None):
        return ("lookup_key_hash",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "agency")
    list_filter = ("agency",)
    search_fields = ("user__username", "user__first_name", "user__last_name", "agency__code", "agency__name")
    list_select_related = ("user", "agency")
    raw_id_fields = ("user",)
