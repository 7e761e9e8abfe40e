"""Django admin: dossiers and viewflow's processes and tasks are read-only here, never deleted
(every change goes through workflows.services), and each list shows only the dossiers
``permissions.visible_dossiers`` lets the user see (the same rule as the API).

The admin is for catalog and user administration by the ``admin`` role and superusers (the only
``is_staff`` accounts, see ``workflows.staff``); users are administered in ``admin_users``.
"""

from django.contrib import admin
from viewflow.workflow import admin as viewflow_admin
from viewflow.workflow.models import Process, Task

from . import admin_users  # noqa: F401 - registers the user admin
from .models import Dossier, DossierEvent, DossierPause, DossierTask, StaffProfile
from .permissions import sees_everything, visible_dossiers


class NeverDeleted:
    """Dossiers, processes and tasks are the record of a public service: the admin may read them,
    never delete them (deleting a process left its dossier with a task that could not complete)."""

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


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
        "actor_username",  # kept on the event: no query per row, and it outlives the account
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
class DossierAdmin(NeverDeleted, admin.ModelAdmin):
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

    def get_queryset(self, request):
        return super().get_queryset(request) & visible_dossiers(request.user)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields if field.name != "lookup_key_hash"]

    def get_exclude(self, request, obj=None):
        return ("lookup_key_hash",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def scope_to_visible_dossiers(queryset, user, process_field: str):
    """``queryset`` (of viewflow processes or tasks) limited to the dossiers the user may see; left
    whole for those who see every dossier, so the list is not a semi-join over the whole table."""
    if sees_everything(user):
        return queryset
    return queryset.filter(**{f"{process_field}__in": visible_dossiers(user).values("process_id")})


class ReadOnlyFlowAdmin(NeverDeleted):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ProcessAdmin(ReadOnlyFlowAdmin, viewflow_admin.ProcessAdmin):
    """viewflow's process list, scoped to the visible dossiers, read-only and never deleted."""

    def get_queryset(self, request):
        return scope_to_visible_dossiers(super().get_queryset(request), request.user, "pk")


class TaskAdmin(ReadOnlyFlowAdmin, viewflow_admin.TaskAdmin):
    """viewflow's task list, scoped to the visible dossiers, read-only and never deleted."""

    def get_queryset(self, request):
        return scope_to_visible_dossiers(super().get_queryset(request), request.user, "process")


for model, model_admin in ((Process, ProcessAdmin), (Task, TaskAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "agency")
    list_filter = ("agency",)
    search_fields = ("user__username", "user__first_name", "user__last_name", "agency__code", "agency__name")
    list_select_related = ("user", "agency")
    raw_id_fields = ("user",)
