"""The procedure catalog: agencies, fields, procedures and their versions, steps and documents.

A ``Procedure`` is the stable identity (national code, name, field); everything that a dossier's
deadlines depend on (durations, steps, supplement mode) lives on a ``ProcedureVersion``. A dossier
keeps the version in force when it was received, so editing a procedure never moves dossiers
already in flight.
"""

import datetime

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.roles import Role

AGENCY_CODE_VALIDATOR = RegexValidator(
    r"^[A-Z0-9]{3}\.[A-Z0-9]{2}\.[A-Z0-9]{2}\.[A-Z0-9]{3}$",
    _("Mã định danh điện tử phải có dạng MX1X2.Y1Y2Y3.Z1Z2, ví dụ 000.00.31.H57."),
)
PROCEDURE_CODE_VALIDATOR = RegexValidator(
    r"^[0-9]\.[0-9]{6}(\.[0-9A-Za-z]+)?$",
    _("Mã thủ tục phải có dạng 1.001234 hoặc 2.000889."),
)


# When neither the catalog file nor the import command dates a procedure's first version, it is in
# force "from the beginning": dossiers received before the import (by post, or loaded from the
# province's history) are processed under it. Later versions take effect from their own date.
IN_FORCE_FROM_THE_BEGINNING = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)


class Level(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class DurationUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    CALENDAR_DAYS = "calendar_days", _("ngày")


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    NONE = "none", _("Không")


class SupplementMode(models.TextChoices):
    PAUSE = "pause", _("Tạm dừng, tính tiếp thời gian còn lại")
    RESTART = "restart", _("Tính lại từ đầu khi nhận đủ hồ sơ")


class DocumentKind(models.TextChoices):
    ORIGINAL = "original", _("Bản chính")
    CERTIFIED_COPY = "certified_copy", _("Bản sao chứng thực")
    COPY = "copy", _("Bản sao")


class Agency(models.Model):
    code = models.CharField(_("mã định danh"), max_length=13, unique=True, validators=[AGENCY_CODE_VALIDATOR])
    name = models.CharField(_("tên cơ quan"), max_length=255)
    level = models.CharField(_("cấp"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("cơ quan cấp trên"), null=True, blank=True, on_delete=models.PROTECT
    )
    active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Field(models.Model):
    code = models.CharField(_("mã lĩnh vực"), max_length=32, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    code = models.CharField(
        _("mã thủ tục"), max_length=32, unique=True, validators=[PROCEDURE_CODE_VALIDATOR]
    )
    # Official names can be long (1.013831 has 569 characters).
    name = models.CharField(_("tên thủ tục"), max_length=1000, db_index=True)
    field = models.ForeignKey(Field, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT)
    level = models.CharField(_("cấp thực hiện"), max_length=16, choices=Level.choices, db_index=True)
    receiving_agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan tiếp nhận"), on_delete=models.PROTECT, related_name="procedures"
    )
    active = models.BooleanField(_("đang áp dụng"), default=True)
    current_version = models.ForeignKey(
        "ProcedureVersion",
        verbose_name=_("phiên bản hiện hành"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ProcedureVersion(models.Model):
    """What a dossier's deadlines are computed from; immutable once a dossier uses it."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    effective_from = models.DateTimeField(_("hiệu lực từ"), db_index=True)
    legal_duration_value = models.PositiveIntegerField(
        _("thời hạn theo quy định"), validators=[MinValueValidator(1)]
    )
    legal_duration_unit = models.CharField(_("đơn vị"), max_length=16, choices=DurationUnit.choices)
    committed_duration_value = models.PositiveIntegerField(
        _("thời hạn cam kết"), validators=[MinValueValidator(1)]
    )
    committed_duration_unit = models.CharField(_("đơn vị"), max_length=16, choices=DurationUnit.choices)
    fee = models.PositiveBigIntegerField(_("lệ phí (đồng)"), default=0)
    online_level = models.CharField(
        _("mức dịch vụ công trực tuyến"), max_length=16, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    supplement_mode = models.CharField(
        _("khi yêu cầu bổ sung"), max_length=16, choices=SupplementMode.choices, default=SupplementMode.PAUSE
    )
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    content_hash = models.CharField(
        max_length=64, blank=True, help_text=_("Hash of the versioned content; re-imports compare it.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="procedure_version_number_unique"),
        ]
        # version_in_force(): the newest version of a procedure effective at a given instant.
        indexes = [models.Index(fields=["procedure", "effective_from"], name="procedure_version_in_force")]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number}"


class RequiredDocument(models.Model):
    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="documents")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    kind = models.CharField(
        _("loại"), max_length=16, choices=DocumentKind.choices, default=DocumentKind.ORIGINAL
    )
    count = models.PositiveSmallIntegerField(_("số lượng"), default=1, validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return self.name


class Step(models.Model):
    """One agency's part of a procedure version.

    Consecutive steps with the same non-empty ``parallel_group`` form one stage whose steps run at
    the same time. ``stage`` (0-based) is derived from the order and groups when the version is
    saved through the catalog service, so the flow can fetch a stage's steps with one query.
    """

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    stage = models.PositiveSmallIntegerField(_("giai đoạn"), default=0)
    name = models.CharField(_("tên bước"), max_length=255)
    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan xử lý"), on_delete=models.PROTECT)
    role = models.CharField(
        _("vai trò"), max_length=16, choices=[(r.value, r.label) for r in Role], default=Role.SPECIALIST
    )
    budget_hours = models.PositiveIntegerField(
        _("thời gian (giờ làm việc)"), validators=[MinValueValidator(1)]
    )
    parallel_group = models.CharField(_("nhóm song song"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="step_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class CalendarOverride(models.Model):
    """An admin's decision that wins over the holidays package: a day off or a working day."""

    date = models.DateField(_("ngày"), unique=True)
    is_working_day = models.BooleanField(_("là ngày làm việc"))
    reason = models.CharField(_("lý do"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("điều chỉnh lịch làm việc")
        verbose_name_plural = _("điều chỉnh lịch làm việc")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'làm việc' if self.is_working_day else 'nghỉ'}"
