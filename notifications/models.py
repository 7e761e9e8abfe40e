"""Notifications as data first: a row per (what happened, to whom, over which channel).

A row is written in the same transaction as the change that causes it (the sweep marking a task
overdue, a workflow transition), then delivered by Celery. ``dedupe_key`` and ``recipient_key`` are
never NULL so that the unique constraint holds on every database: two sweeps at once or a retried
task insert with ON CONFLICT DO NOTHING and end with one row.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflows.models import Dossier, DossierTask


class NotificationChannel(models.TextChoices):
    IN_APP = "in_app", _("Trong ứng dụng")
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")


class NotificationKind(models.TextChoices):
    TASK_DUE_SOON = "task_due_soon", _("Bước xử lý sắp đến hạn")
    TASK_OVERDUE = "task_overdue", _("Bước xử lý quá hạn")
    APOLOGY_PROMPT = "apology_prompt", _("Hồ sơ sắp đến hạn: cần xin lỗi và hẹn lại")
    DOSSIER_DUE_SOON = "dossier_due_soon", _("Hồ sơ sắp đến hạn (đã gia hạn)")
    DOSSIER_OVERDUE = "dossier_overdue", _("Hồ sơ quá hạn")
    RECEIVED = "received", _("Đã tiếp nhận hồ sơ")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung hồ sơ")
    RESULT_READY = "result_ready", _("Đã có kết quả")
    APOLOGY = "apology", _("Xin lỗi và hẹn lại ngày trả kết quả")
    PERIODIC_REPORT = "periodic_report", _("Đã lập gói báo cáo định kỳ")


STAFF_KINDS = (
    NotificationKind.TASK_DUE_SOON,
    NotificationKind.TASK_OVERDUE,
    NotificationKind.APOLOGY_PROMPT,
    NotificationKind.DOSSIER_DUE_SOON,
    NotificationKind.DOSSIER_OVERDUE,
)
CITIZEN_KINDS = (
    NotificationKind.RECEIVED,
    NotificationKind.SUPPLEMENT_REQUESTED,
    NotificationKind.RESULT_READY,
    NotificationKind.APOLOGY,
)


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi thất bại")


class Notification(models.Model):
    """To a staff user (``recipient``) or to a citizen's address (``address``: e-mail or phone)."""

    kind = models.CharField(_("loại"), max_length=32, choices=NotificationKind.choices)
    channel = models.CharField(_("kênh"), max_length=16, choices=NotificationChannel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ nhận"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,  # notification_inbox (recipient, channel, -created_at) serves it
    )
    address = models.CharField(_("địa chỉ nhận (email / điện thoại)"), max_length=254, blank=True)
    # "user:<id>" or "addr:<address>": one non-null column for the unique constraint.
    recipient_key = models.CharField(max_length=270, editable=False)
    # Empty only for a notice about no single dossier (a periodic report package).
    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,  # notification_dossier_kind (dossier, kind) serves it
    )
    task = models.ForeignKey(
        DossierTask,
        verbose_name=_("bước xử lý"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # What makes the event unique, e.g. "task:42:2026-03-02T10:00:00+00:00" (the deadline warned about).
    dedupe_key = models.CharField(max_length=200)
    payload = models.JSONField(_("nội dung"), default=dict, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    created_at = models.DateTimeField(_("tạo lúc"))
    # When delivery should (re)try; ``deliver_pending`` re-queues rows left behind after this.
    next_attempt_at = models.DateTimeField(_("gửi lại lúc"), null=True, blank=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    read_at = models.DateTimeField(_("đọc lúc"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key", "kind", "channel", "recipient_key"], name="notification_unique_event"
            ),
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False) | ~models.Q(address=""),
                name="notification_has_recipient",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "channel", "-created_at"], name="notification_inbox"),
            models.Index(
                fields=["next_attempt_at"],
                name="notification_pending",
                condition=models.Q(status="pending"),
            ),
            models.Index(fields=["dossier", "kind"], name="notification_dossier_kind"),
            # The retention purge's batches (notifications/retention.py) read this, not the table.
            models.Index(fields=["sent_at"], name="notification_sent", condition=models.Q(status="sent")),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.channel} → {self.recipient_key}"
