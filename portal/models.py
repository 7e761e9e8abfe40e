"""The portal outbox (one row per call to make, in order per dossier) and the online-dossier map.

A ``SyncRow`` is written in the transition's own transaction (``receivers``), so the portal learns
of every committed change and of nothing rolled back; Celery delivers the rows of a dossier in
``sequence`` order (``delivery``). An ``OnlineDossier`` maps the portal's id of a dossier filed
online to the dossier registered for it: the unique ``portal_id`` makes a second fetch a no-op.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from workflows.models import Dossier


class SyncKind(models.TextChoices):
    DOSSIER = "dossier", _("Đồng bộ hồ sơ (DongBoHoSoMC)")
    PROGRESS = "progress", _("Cập nhật tiến độ (CapNhatTienDoHoSoMC)")


class SyncStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi thất bại")


class SyncRow(models.Model):
    dossier = models.ForeignKey(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="portal_sync_rows"
    )
    # 1, 2, 3… per dossier, in the order of the transitions; delivery never skips ahead.
    sequence = models.PositiveIntegerField(_("thứ tự"))
    kind = models.CharField(_("loại"), max_length=16, choices=SyncKind.choices)
    # The portal's status code (1–10) the call carries, for the supervisor's list.
    portal_status = models.PositiveSmallIntegerField(_("mã trạng thái trên Cổng"))
    event = models.ForeignKey(
        "workflows.DossierEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    payload = models.JSONField(_("nội dung"))
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=SyncStatus.choices, default=SyncStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    created_at = models.DateTimeField(_("tạo lúc"))
    next_attempt_at = models.DateTimeField(_("gửi lại lúc"), null=True, blank=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)

    class Meta:
        verbose_name = _("bản ghi đồng bộ Cổng")
        verbose_name_plural = _("bản ghi đồng bộ Cổng")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "sequence"], name="portal_sync_dossier_sequence"),
        ]
        indexes = [
            # What beat re-queues: rows due for an attempt.
            models.Index(
                fields=["next_attempt_at"], name="portal_sync_due", condition=models.Q(status="pending")
            ),
            # The supervisors' list: by status, newest first.
            models.Index(fields=["status", "-id"], name="portal_sync_status"),
            # The retention purge's batches (portal/retention.py) read this, not the table.
            models.Index(fields=["sent_at"], name="portal_sync_sent", condition=models.Q(status="sent")),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.sequence} {self.kind} ({self.status})"


class OnlineStatus(models.TextChoices):
    REGISTERED = "registered", _("Đã tiếp nhận")
    FAILED = "failed", _("Chưa tiếp nhận được")


class OnlineDossier(models.Model):
    portal_id = models.CharField(_("mã hồ sơ trên Cổng"), max_length=64, unique=True)
    dossier = models.OneToOneField(
        Dossier, null=True, blank=True, on_delete=models.PROTECT, related_name="portal_online"
    )
    payload = models.JSONField(_("dữ liệu từ Cổng"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=OnlineStatus.choices)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    fetched_at = models.DateTimeField(_("lấy về lúc"))
    registered_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ trực tuyến từ Cổng")
        verbose_name_plural = _("hồ sơ trực tuyến từ Cổng")

    def __str__(self) -> str:
        return f"{self.portal_id} → {self.dossier_id or '-'}"
