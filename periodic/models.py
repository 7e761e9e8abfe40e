"""A periodic report package, stored unchanged: the figures, the Excel and the PDF as built.

One row per (period, scope, version). The files are kept in the database (``BinaryField``): they
are small (tens of kilobytes), stored in the same transaction as their row and their SHA-256, and
backed up with everything else; nothing under MEDIA_ROOT can drift from the row. A rebuild is a
new version; no row is ever updated after it is written.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

PROVINCE = "province"


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("Quý")
    HALF = "half", _("6 tháng")
    YEAR = "year", _("Năm")


class PeriodicPackage(models.Model):
    kind = models.CharField(_("kỳ báo cáo"), max_length=8, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveSmallIntegerField(_("số kỳ"), help_text="Quarter 1–4, half 1–2, 1 for a year.")
    date_from = models.DateField(_("từ ngày"))
    date_to = models.DateField(_("đến ngày"))
    label = models.CharField(_("tên kỳ"), max_length=64)
    # "province" or "agency:<id>": a non-null column so the unique constraint holds everywhere.
    scope = models.CharField(_("phạm vi"), max_length=32, default=PROVINCE)
    agency = models.ForeignKey(
        "procedures.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(_("phiên bản"))
    built_at = models.DateTimeField(_("lập lúc"))
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    figures = models.JSONField(_("số liệu"))
    xlsx = models.BinaryField()
    xlsx_sha256 = models.CharField(max_length=64)
    pdf = models.BinaryField()
    pdf_sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("gói báo cáo định kỳ")
        verbose_name_plural = _("gói báo cáo định kỳ")
        ordering = ["-date_from", "scope", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "number", "scope", "version"], name="periodic_package_version"
            )
        ]
        indexes = [models.Index(fields=["scope", "-date_from"], name="periodic_scope_date")]

    def __str__(self) -> str:
        return f"{self.label} · {self.scope} · v{self.version}"
