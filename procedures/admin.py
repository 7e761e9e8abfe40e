"""Admin for a provincial administrator: agencies, fields, procedures, versions, calendar overrides.

A version that dossiers already use is read-only (they keep it for their deadlines); the action
"Tạo phiên bản mới" copies it into a new, editable version that becomes the current one. Saving a
version through the admin checks the catalog rules, then derives step stages and the content hash
through ``procedures.services``.
"""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from procedures.calendar_loader import invalidate_calendar
from procedures.durations import version_cut_percent
from procedures.models import (
    Agency,
    CalendarOverride,
    DurationUnit,
    Field,
    Procedure,
    ProcedureVersion,
    RequiredDocument,
    Step,
)
from procedures.selectors import version_is_used, version_used_flag
from procedures.services import (
    budget_problems,
    duration_problems,
    version_clone,
    version_finalize,
    version_next_number,
)


def _duration(value: int, unit: str) -> str:
    return f"{value} {DurationUnit(unit).label}"


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "active"]
    list_filter = ["level", "active"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.action(description=_("Tạo phiên bản mới từ phiên bản hiện hành"))
def new_version_from_current(modeladmin, request, queryset):
    versions = [p.current_version for p in queryset.select_related("current_version") if p.current_version]
    return _clone_versions(modeladmin, request, versions)


@admin.action(description=_("Tạo phiên bản mới từ phiên bản này"))
def new_version_from_this(modeladmin, request, queryset):
    return _clone_versions(modeladmin, request, list(queryset))


def _clone_versions(modeladmin, request, versions):
    clones = [version_clone(version=version) for version in versions]
    for clone in clones:
        modeladmin.message_user(
            request,
            _("Đã tạo %(version)s, đang là phiên bản hiện hành; sửa rồi lưu.") % {"version": clone},
            messages.SUCCESS,
        )
    if len(clones) == 1:
        return HttpResponseRedirect(reverse("admin:procedures_procedureversion_change", args=[clones[0].pk]))
    return None


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "field",
        "level",
        "receiving_agency",
        "active",
        "legal_duration",
        "committed_duration",
        "cut",
        "version_link",
    ]
    list_filter = ["field", "level", "receiving_agency", "active"]
    search_fields = ["code", "name"]
    list_select_related = ["field", "receiving_agency", "current_version"]
    autocomplete_fields = ["field", "receiving_agency"]
    readonly_fields = ["version_link", "versions", "created_at", "updated_at"]
    fields = [
        "code",
        "name",
        "field",
        "level",
        "receiving_agency",
        "active",
        "version_link",
        "versions",
        "created_at",
        "updated_at",
    ]
    actions = [new_version_from_current]

    @admin.display(description=_("thời hạn theo quy định"))
    def legal_duration(self, obj):
        v = obj.current_version
        return _duration(v.legal_duration_value, v.legal_duration_unit) if v else "—"

    @admin.display(description=_("thời hạn cam kết"))
    def committed_duration(self, obj):
        v = obj.current_version
        return _duration(v.committed_duration_value, v.committed_duration_unit) if v else "—"

    @admin.display(description=_("cắt giảm"))
    def cut(self, obj):
        return f"{version_cut_percent(obj.current_version):g}%" if obj.current_version else "—"

    @admin.display(description=_("phiên bản hiện hành"))
    def version_link(self, obj):
        if not obj.current_version_id:
            return "—"
        url = reverse("admin:procedures_procedureversion_change", args=[obj.current_version_id])
        return format_html('<a href="{}">v{}</a>', url, obj.current_version.number)

    @admin.display(description=_("các phiên bản"))
    def versions(self, obj):
        rows = obj.versions.order_by("-number") if obj.pk else []
        return format_html_join(
            ", ",
            '<a href="{}">v{}</a> ({})',
            (
                (
                    reverse("admin:procedures_procedureversion_change", args=[v.pk]),
                    v.number,
                    f"{v.effective_from:%d/%m/%Y}",
                )
                for v in rows
            ),
        )


class ProcedureVersionForm(forms.ModelForm):
    class Meta:
        model = ProcedureVersion
        fields = [
            "procedure",
            "effective_from",
            "legal_duration_value",
            "legal_duration_unit",
            "committed_duration_value",
            "committed_duration_unit",
            "fee",
            "online_level",
            "supplement_mode",
            "legal_basis",
        ]

    def clean(self):
        data = super().clean()
        legal = (data.get("legal_duration_value"), data.get("legal_duration_unit"))
        committed = (data.get("committed_duration_value"), data.get("committed_duration_unit"))
        if all(legal) and all(committed):
            for message in duration_problems(legal=legal, committed=committed):
                self.add_error("committed_duration_value", message)
        return data


class StepFormSet(forms.BaseInlineFormSet):
    """Checks the whole list of steps against the committed duration the version form holds."""

    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        orders = [step["order"] for step in kept]
        if len(orders) != len(set(orders)):
            raise forms.ValidationError(_("Thứ tự các bước không được trùng nhau."))
        version = self.instance
        if not (version.committed_duration_value and version.committed_duration_unit):
            return
        steps = sorted(
            (
                Step(
                    order=s["order"],
                    budget_hours=s["budget_hours"],
                    parallel_group=s.get("parallel_group") or "",
                )
                for s in kept
            ),
            key=lambda step: step.order,
        )
        committed = (version.committed_duration_value, version.committed_duration_unit)
        problems = budget_problems(steps=steps, committed=committed)
        if problems:
            raise forms.ValidationError([p[:1].upper() + p[1:] + "." for p in problems])


class ReadOnlyWhenUsed:
    """Inlines of a version that dossiers use can be seen but not changed."""

    def _editable(self, request, obj) -> bool:
        return obj is None or not version_is_used(version=obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(request, obj)


class RequiredDocumentInline(ReadOnlyWhenUsed, admin.TabularInline):
    model = RequiredDocument
    extra = 0
    fields = ["order", "name", "kind", "count"]


class StepInline(ReadOnlyWhenUsed, admin.TabularInline):
    model = Step
    formset = StepFormSet
    extra = 0
    min_num = 1
    fields = ["order", "name", "agency", "role", "budget_hours", "parallel_group", "stage"]
    readonly_fields = ["stage"]
    autocomplete_fields = ["agency"]
    ordering = ["order"]


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    form = ProcedureVersionForm
    inlines = [RequiredDocumentInline, StepInline]
    list_display = [
        "procedure",
        "number",
        "effective_from",
        "legal",
        "committed",
        "cut",
        "is_current",
        "used",
    ]
    list_filter = ["procedure__field", "procedure__level", "online_level", "supplement_mode"]
    search_fields = ["procedure__code", "procedure__name"]
    list_select_related = ["procedure"]
    autocomplete_fields = ["procedure"]
    readonly_fields = ["number", "content_hash", "created_at", "status"]
    actions = [new_version_from_this]
    fieldsets = [
        (None, {"fields": ["status", "procedure", "number", "effective_from"]}),
        (
            _("Thời hạn"),
            {
                "fields": [
                    ("legal_duration_value", "legal_duration_unit"),
                    ("committed_duration_value", "committed_duration_unit"),
                ]
            },
        ),
        (None, {"fields": ["fee", "online_level", "supplement_mode", "legal_basis"]}),
        (_("Kỹ thuật"), {"classes": ["collapse"], "fields": ["content_hash", "created_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_used=version_used_flag())

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [*self.readonly_fields, "procedure"]
        return self.readonly_fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and self._used(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self._used(obj):
            return False
        return super().has_delete_permission(request, obj)

    @staticmethod
    def _used(obj) -> bool:
        used = getattr(obj, "_used", None)
        return version_is_used(version=obj) if used is None else used

    @admin.display(description=_("trạng thái"))
    def status(self, obj):
        if obj is None or obj.pk is None:
            return _("Phiên bản mới; số phiên bản được cấp khi lưu.")
        if self._used(obj):
            return _(
                "Đã có hồ sơ tiếp nhận theo phiên bản này: chỉ xem. Để thay đổi, dùng thao tác "
                "“Tạo phiên bản mới từ phiên bản này” trong danh sách phiên bản."
            )
        return _("Chưa có hồ sơ sử dụng: có thể sửa.")

    @admin.display(description=_("theo quy định"))
    def legal(self, obj):
        return _duration(obj.legal_duration_value, obj.legal_duration_unit)

    @admin.display(description=_("cam kết"))
    def committed(self, obj):
        return _duration(obj.committed_duration_value, obj.committed_duration_unit)

    @admin.display(description=_("cắt giảm"))
    def cut(self, obj):
        return f"{version_cut_percent(obj):g}%"

    @admin.display(description=_("hiện hành"), boolean=True)
    def is_current(self, obj):
        return obj.procedure.current_version_id == obj.pk

    @admin.display(description=_("đã có hồ sơ"), boolean=True)
    def used(self, obj):
        return self._used(obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.number = version_next_number(procedure=obj.procedure)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        version_finalize(version=form.instance)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    """Saving or deleting an override refreshes every process's cached working calendar."""

    list_display = ["date", "is_working_day", "reason"]
    list_filter = ["is_working_day"]
    search_fields = ["reason"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        transaction.on_commit(invalidate_calendar)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(invalidate_calendar)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        transaction.on_commit(invalidate_calendar)
