"""Building, storing and announcing periodic packages. The only writer of ``PeriodicPackage``.

``package_build`` builds the package of one period and scope once: called again (the daily job
running twice, two workers at once) it returns the stored one. ``rebuild=True`` (by hand, for any
past period) stores a new version and keeps the old ones. Supervisors are told in the app.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.dbrouter import reads_from_replica
from core.exceptions import InvalidInput
from core.roles import Role
from notifications.models import NotificationKind
from notifications.services import notify_staff_in_app
from procedures.models import Agency
from reports.periods import make_period, shortcut_dates

from . import package
from .models import PROVINCE, PeriodicPackage
from .periods import KINDS, ended


def _scope(agency: Agency | None) -> str:
    return PROVINCE if agency is None else f"agency:{agency.pk}"


def _supervisor_ids() -> list[int]:
    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.SUPERVISOR)
        .values_list("id", flat=True)
    )


def package_build(
    *, kind: str, year: int, number: int, agency: Agency | None = None, rebuild: bool = False, by=None
) -> tuple[PeriodicPackage, bool]:
    """(the package, whether it was built now). Refuses a period that has not ended yet."""
    if kind not in KINDS:
        raise InvalidInput(f"kind phải là một trong {', '.join(KINDS)}.", fields={"kind": list(KINDS)})
    first, last, label = shortcut_dates(kind=kind, year=year, number=number if kind != "year" else None)
    if last >= timezone.localdate():
        raise InvalidInput("Kỳ báo cáo chưa kết thúc.", fields={"period": ["Chỉ lập cho kỳ đã kết thúc."]})
    scope = _scope(agency)
    number = number if kind != "year" else 1
    existing = PeriodicPackage.objects.filter(kind=kind, year=year, number=number, scope=scope)
    latest = existing.order_by("-version").first()
    if latest is not None and not rebuild:
        return latest, False
    period = make_period(date_from=first, date_to=last, tz=timezone.get_default_timezone(), label=label)
    # The figures from the replica (if any); the idempotency check above and the write stay on the primary.
    with reads_from_replica():
        figures = package.collect(
            period=period,
            agency_ids=None if agency is None else [agency.pk],
            unit=agency.name if agency else "",
        )
    xlsx, pdf = package.to_xlsx(figures), package.to_pdf(figures)
    try:
        with transaction.atomic():
            built = PeriodicPackage.objects.create(
                kind=kind,
                year=year,
                number=number,
                date_from=first,
                date_to=last,
                label=label,
                scope=scope,
                agency=agency,
                version=(latest.version + 1) if latest else 1,
                built_at=timezone.now(),
                built_by=by,
                figures=figures,
                xlsx=xlsx,
                xlsx_sha256=hashlib.sha256(xlsx).hexdigest(),
                pdf=pdf,
                pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            )
            notify_staff_in_app(
                user_ids=_supervisor_ids(),
                kind=NotificationKind.PERIODIC_REPORT,
                dedupe_key=f"periodic:{built.pk}",
                payload={
                    "package_id": built.pk,
                    "label": label,
                    "scope_name": agency.name if agency else "",
                    "version": built.version,
                },
            )
    except IntegrityError:  # another worker stored this version first
        if rebuild:
            raise
        return existing.order_by("-version").first(), False
    return built, True


def agencies_with_dossiers(first: dt.date, last: dt.date) -> list[Agency]:
    """The agencies that received dossiers up to the period's end (one package each)."""
    end = make_period(date_from=first, date_to=last, tz=timezone.get_default_timezone()).end
    return list(Agency.objects.filter(dossiers__received_at__lt=end).distinct().order_by("code"))


def build_ended_periods(today: dt.date) -> list[PeriodicPackage]:
    """The daily job: for each period that has ended (quarter, six months, year), the province's
    package and each agency's, built once."""
    built = []
    for kind, year, number in ended(today):
        first, last, _label = shortcut_dates(kind=kind, year=year, number=number if kind != "year" else None)
        for agency in [None, *agencies_with_dossiers(first, last)]:
            item, new = package_build(kind=kind, year=year, number=number, agency=agency)
            if new:
                built.append(item)
    return built
