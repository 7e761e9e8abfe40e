"""Dossiers, their tasks, pauses, extensions, ratings and the audit trail (their choices:
``workflows.choices``).

Every due time is stored on an indexed column so that inboxes, sweeps and reports are SQL over
indexes. A dossier is driven by one viewflow process (``process``); our own ``DossierTask`` rows
carry what viewflow's tasks do not (step, agency, role, due time, verdict) for fast inboxes.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process, Task

from core.roles import Role
from procedures.models import Agency, Procedure, ProcedureVersion, Step

from .choices import (  # noqa: F401 - the models' choices, imported from here by the rest of the code
    OPEN_STATUSES,
    PASSING_STATUSES,
    ApplicantKind,
    Channel,
    Decision,
    DossierStatus,
    EventAction,
    Result,
    TaskStatus,
    Verdict,
)


class StaffProfile(models.Model):
    """The agency a staff user works for. Roles are Django groups (see ``core.roles.Role``)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="staff")

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")

    def __str__(self) -> str:
        return f"{self.user} @ {self.agency.code}"


class DossierSequence(models.Model):
    """The last number given out per agency and day; the code's NNNN comes from here atomically."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="dossier_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.day}: {self.last}"


class Dossier(models.Model):
    code = models.CharField(_("mã hồ sơ"), max_length=40, unique=True)
    # No index of their own for the procedure and the receiving agency: ``dossier_procedure_received``
    # and ``dossier_agency_received`` lead with them. Each index is one more entry written by every
    # registration and by every status change (an indexed column: no HOT update).
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.PROTECT, db_index=False
    )
    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("phiên bản thủ tục"), on_delete=models.PROTECT
    )
    receiving_agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="dossiers",
        db_index=False,
    )
    process = models.OneToOneField(
        Process, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    applicant_kind = models.CharField(
        max_length=16, choices=ApplicantKind.choices, default=ApplicantKind.PERSON
    )
    applicant_name = models.CharField(_("người nộp"), max_length=255)
    applicant_id_number = models.CharField(_("số định danh / mã số doanh nghiệp"), max_length=32)
    applicant_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("email"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)

    channel = models.CharField(_("hình thức nộp"), max_length=16, choices=Channel.choices)
    documents = models.JSONField(_("giấy tờ đã nhận"), default=list, blank=True)

    status = models.CharField(_("trạng thái"), max_length=24, choices=DossierStatus.choices)
    current_stage = models.PositiveSmallIntegerField(default=0)
    received_at = models.DateTimeField(_("ngày tiếp nhận"))
    due_at = models.DateTimeField(_("ngày hẹn trả"), null=True, blank=True)
    original_due_at = models.DateTimeField(_("ngày hẹn trả ban đầu"), null=True, blank=True)
    paused_at = models.DateTimeField(_("tạm dừng từ"), null=True, blank=True)
    finished_at = models.DateTimeField(_("ngày có kết quả"), null=True, blank=True)
    returned_at = models.DateTimeField(_("ngày trả kết quả"), null=True, blank=True)
    result = models.CharField(_("kết quả"), max_length=16, choices=Result.choices, blank=True)
    verdict = models.CharField(_("đánh giá thời hạn"), max_length=16, choices=Verdict.choices, blank=True)
    reasons = models.JSONField(_("lý do từ chối"), default=list, blank=True)
    extended = models.BooleanField(_("đã gia hạn"), default=False)
    stage_count = models.PositiveSmallIntegerField(
        _("số giai đoạn"), default=1, help_text="Stages of the version, so routing needs no count query."
    )
    withdrawn_at = models.DateTimeField(_("ngày rút hồ sơ"), null=True, blank=True)
    # Working hours, computed on the calendar when processing finishes, so reports can aggregate them.
    processing_hours = models.FloatField(_("thời gian xử lý (giờ làm việc)"), null=True, blank=True)
    paused_hours = models.FloatField(_("thời gian tạm dừng (giờ làm việc)"), default=0)

    lookup_key_hash = models.CharField(max_length=64, help_text="SHA-256 of the key printed on the receipt.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Set by the deadline sweep so that each warning is raised once.
    due_soon_notified_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        indexes = [
            models.Index(fields=["receiving_agency", "received_at"], name="dossier_agency_received"),
            models.Index(fields=["received_at"], name="dossier_received"),
            models.Index(fields=["finished_at"], name="dossier_finished"),
            models.Index(fields=["status", "due_at"], name="dossier_status_due"),
            models.Index(fields=["procedure", "received_at"], name="dossier_procedure_received"),
            models.Index(fields=["applicant_name"], name="dossier_applicant_name"),
            # Index-only counts of what a staff user may see (permissions.visible_dossiers_count).
            models.Index(fields=["receiving_agency", "id"], name="dossier_agency_id"),
            # The open lists (a status of PASSING_STATUSES, overdue), newest first, for everyone:
            # agency staff's rows are then tested one by one against their visibility rows.
            models.Index(
                fields=["status", "-received_at", "-id"],
                name="dossier_passing_received",
                condition=models.Q(status__in=PASSING_STATUSES),
            ),
        ]
        # Who may act on a dossier is decided by workflows/permissions.py, not by model permissions.

    def __str__(self) -> str:
        return self.code


class DossierTask(models.Model):
    """One step's work on one dossier, mirrored from viewflow's task with what inboxes need."""

    # No index of their own for the dossier, the step and the agency: ``task_dossier_stage``,
    # ``task_step_finished`` and ``task_inbox`` lead with them (see the dossier's procedure).
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="tasks", db_index=False)
    flow_task = models.OneToOneField(Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    step = models.ForeignKey(Step, on_delete=models.PROTECT, related_name="+", db_index=False)
    stage = models.PositiveSmallIntegerField()
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="tasks", db_index=False)
    role = models.CharField(max_length=16, choices=[(r.value, r.label) for r in Role])
    status = models.CharField(max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    # PROTECT: staff who have acted are deactivated, never deleted (workflows.staff).
    # No index of its own: ``task_owner (owner, status)`` leads with it. With both, the planner may
    # pick this one for an inbox and read every task the person ever finished (docs/SIZING.md).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField()
    due_at = models.DateTimeField()
    assigned_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=24, blank=True)
    note = models.TextField(blank=True)
    reasons = models.JSONField(default=list, blank=True)
    verdict = models.CharField(max_length=16, choices=Verdict.choices, blank=True)
    # Working hours from creation to start (waiting in the queue) and from start to finish.
    wait_hours = models.FloatField(null=True, blank=True)
    work_hours = models.FloatField(null=True, blank=True)
    due_soon_notified_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bước xử lý hồ sơ")
        verbose_name_plural = _("bước xử lý hồ sơ")
        indexes = [
            models.Index(fields=["agency", "role", "status", "due_at"], name="task_inbox"),
            models.Index(fields=["owner", "status"], name="task_owner"),
            models.Index(fields=["status", "due_at"], name="task_status_due"),
            models.Index(fields=["dossier", "stage"], name="task_dossier_stage"),
            models.Index(fields=["step", "finished_at"], name="task_step_finished"),
            models.Index(fields=["agency", "dossier"], name="task_agency_dossier"),
            # The bottleneck report reads the tasks finished in its period, not the whole history,
            # from the index alone on PostgreSQL (covering; SQLite has no INCLUDE and ignores it).
            models.Index(
                fields=["finished_at"],
                include=["step", "agency", "dossier", "verdict", "wait_hours", "work_hours"],
                condition=models.Q(status="done"),
                name="task_done_finished",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} stage {self.stage} step {self.step_id} ({self.status})"


class DossierAgency(models.Model):
    """An agency that may see a dossier: its receiving agency and every agency that has held a
    task of it (written by ``workflows.visibility``; ``permissions.visible_dossiers`` reads it).

    ``received_at`` is the dossier's, copied so that an agency's list, newest first, a month
    included, is one range of ``dossier_agency_listed`` read in order: no test per dossier.

    ``passing_status`` and ``due_at`` are the dossier's while its status is one of
    ``PASSING_STATUSES`` (blank and null once it has left them), copied by the services in the
    transaction of each change (``visibility.sync``), so that an agency's list of one open status,
    or of its overdue dossiers, is one range of the small partial index ``dossier_agency_passing``
    instead of the province's open dossiers each tested against the agency's rows."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+", db_index=False)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="visibility")
    received_at = models.DateTimeField()
    passing_status = models.CharField(max_length=24, blank=True, default="", db_default="")
    due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "dossier"], name="dossier_agency_unique"),
        ]
        indexes = [
            models.Index(fields=["agency", "-received_at", "-dossier"], name="dossier_agency_listed"),
            # An agency's dossiers of one passing status, newest first; ``due_at`` last, so the
            # overdue test is checked on the index entry (no heap visit for a dossier not late).
            models.Index(
                fields=["agency", "passing_status", "-received_at", "-dossier", "due_at"],
                name="dossier_agency_passing",
                condition=models.Q(passing_status__in=PASSING_STATUSES),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} @ {self.agency_id}"


class DossierPause(models.Model):
    """A wait for the applicant's supplement: the clock stops (or restarts) per the procedure."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="pauses")
    stage = models.PositiveSmallIntegerField()
    mode = models.CharField(max_length=16)
    missing_documents = models.JSONField(default=list)
    note = models.TextField(blank=True)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id} paused {self.started_at:%Y-%m-%d}"


class DossierExtension(models.Model):
    """The apology letter and new appointment; one per dossier, enforced by the database."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="extension")
    previous_due_at = models.DateTimeField()
    new_due_at = models.DateTimeField()
    reason = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.dossier_id} -> {self.new_due_at:%Y-%m-%d %H:%M}"


class DossierRating(models.Model):
    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="rating_score_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.score}"


class AuditTrailIsAppendOnly(RuntimeError):
    """Raised on any attempt to change or delete a written ``DossierEvent``."""


class DossierEventQuerySet(models.QuerySet):
    """Bulk ``update()`` and ``delete()`` would bypass the model's guard: refused as well."""

    def update(self, **kwargs):
        raise AuditTrailIsAppendOnly("Nhật ký xử lý hồ sơ chỉ được ghi thêm, không được sửa.")

    def delete(self):
        raise AuditTrailIsAppendOnly("Nhật ký xử lý hồ sơ chỉ được ghi thêm, không được xóa.")


class DossierEvent(models.Model):
    """One row of the process control sheet. Written once, never updated or deleted: ``save`` on
    an existing row and ``delete`` raise, and on PostgreSQL a trigger refuses UPDATE and DELETE
    (migration 0010), so not even raw SQL through the application's connection changes it."""

    # No index of its own: ``event_dossier_at (dossier, at)`` leads with it (7 % of the table saved,
    # one index write less per event; docs/SIZING.md).
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events", db_index=False)
    at = models.DateTimeField()
    # PROTECT: who did what is never erased; staff who have acted are deactivated, not deleted.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    # The actor's username when the event was written: the sheet reads it without a join.
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=32, choices=EventAction.choices)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24, blank=True)
    task = models.ForeignKey(DossierTask, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    step = models.ForeignKey(Step, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    due_at = models.DateTimeField(null=True, blank=True)
    verdict = models.CharField(max_length=16, choices=Verdict.choices, blank=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = DossierEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["dossier", "at"], name="event_dossier_at")]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditTrailIsAppendOnly("Nhật ký xử lý hồ sơ chỉ được ghi thêm, không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTrailIsAppendOnly("Nhật ký xử lý hồ sơ chỉ được ghi thêm, không được xóa.")
