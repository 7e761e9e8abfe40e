"""What every report query shares: grouping, labels, the dossier scope, JIT off."""

import functools
from collections.abc import Sequence

from django.db import connections, transaction
from django.db.models import BigIntegerField, Case, Count, F, FloatField, Q, QuerySet, Sum, When
from django.db.models.functions import Cast, Round

from core.dbrouter import read_alias
from core.exceptions import InvalidInput
from procedures.durations import HOURS_PER_WORKING_DAY, WORKING_DAYS_PER_WEEK
from procedures.models import Agency, DurationUnit, Field, Level, Procedure
from workflows.models import (
    Dossier,
    Result,
)

from .periods import Period

GROUP_FIELDS = {
    "agency": "receiving_agency_id",
    "field": "procedure__field_id",
    "procedure": "procedure_id",
    "level": "procedure__level",
}
CUTTING_GROUPS = ("procedure", "field", "agency")
PERCENTILES = (0.5, 0.9)


def without_jit(selector):
    """Run a report with PostgreSQL's JIT compilation off for its transaction.

    A scan of a million rows with ~20 conditional aggregates is priced high enough to trigger
    JIT, whose compilation costs more than the whole query (2.6 s measured). ``SET LOCAL`` keeps
    the setting to this report's transaction.
    """

    @functools.wraps(selector)
    def wrapper(*args, **kwargs):
        alias = read_alias()  # the replica inside ``core.dbrouter.reads_from_replica()``
        connection = connections[alias]
        if connection.vendor != "postgresql" or getattr(connection, "onestop_jit_off", False):
            return selector(*args, **kwargs)  # (already off inside ``reports.limits.report_time_limit``)
        with transaction.atomic(using=alias):
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
            return selector(*args, **kwargs)

    return wrapper


def _group_field(group_by: str, allowed: Sequence[str] = tuple(GROUP_FIELDS)) -> str:
    if group_by not in allowed:
        raise InvalidInput(
            f"group_by phải là một trong {', '.join(allowed)}.",
            fields={"group_by": [f"Giá trị hợp lệ: {', '.join(allowed)}."]},
        )
    return GROUP_FIELDS[group_by]


def _labels(group_by: str, keys) -> dict:
    """key → (code, name) for the groups present; one small query (none for levels)."""
    keys = [k for k in keys if k is not None]
    if group_by == "agency":
        return {a.id: (a.code, a.name) for a in Agency.objects.filter(id__in=keys).only("code", "name")}
    if group_by == "field":
        return {f.id: (f.code, f.name) for f in Field.objects.filter(id__in=keys).only("code", "name")}
    if group_by == "procedure":
        return {p.id: (p.code, p.name) for p in Procedure.objects.filter(id__in=keys).only("code", "name")}
    return {value: (value, str(label)) for value, label in Level.choices}


def _dossiers(agency_ids: Sequence[int] | None) -> QuerySet:
    qs = Dossier.objects.order_by()
    if agency_ids is not None:
        qs = qs.filter(receiving_agency_id__in=list(agency_ids))
    return qs


def _resolved(period: Period, agency_ids) -> QuerySet:
    return _dossiers(agency_ids).filter(
        finished_at__gte=period.start,
        finished_at__lt=period.end,
        result__in=[Result.APPROVED, Result.REFUSED],
    )


def _round(value, digits: int = 2):
    return round(value, digits) if value is not None else None


def _duration_hours(prefix: str):
    """A version's duration in working hours, in SQL, with the catalog's conversion
    (``procedures.durations``): a working day is 8 hours, a calendar day 5/7 of one."""
    value = F(f"{prefix}_value")
    return Case(
        When(**{f"{prefix}_unit": DurationUnit.WORKING_HOURS}, then=value * 1.0),
        When(
            **{f"{prefix}_unit": DurationUnit.CALENDAR_DAYS},
            then=value * (WORKING_DAYS_PER_WEEK / 7 * HOURS_PER_WORKING_DAY),
        ),
        default=value * float(HOURS_PER_WORKING_DAY),
        output_field=FloatField(),
    )


UNITS = (DurationUnit.WORKING_DAYS, DurationUnit.WORKING_HOURS, DurationUnit.CALENDAR_DAYS)


def hours_micro(field: str = "processing_hours"):
    """A dossier's processing hours (or another field of hours) in millionths, as an integer:
    summed exactly (in any order, so the rollup's sums add up to the direct sum, bit for bit)."""
    return Cast(Round(F(field) * 1_000_000), BigIntegerField())


def cutting_sums() -> dict:
    """What the cutting report's figures are made of, per group: counts and exact integer sums
    (the durations per unit, the processing hours in millionths); ``cutting_means`` divides."""
    committed = _duration_hours("version__committed_duration")
    comparable = ~Q(version__committed_duration_unit=DurationUnit.CALENDAR_DAYS) & Q(
        processing_hours__isnull=False
    )
    sums = {
        "resolved": Count("pk"),
        "hours_n": Count("processing_hours"),
        "hours_micro": Sum(hours_micro()),
        "comparable": Count("pk", filter=comparable),
        "within_committed": Count("pk", filter=comparable & Q(processing_hours__lte=committed)),
    }
    for kind in ("legal", "committed"):
        for unit in UNITS:
            sums[f"{kind}_{unit}"] = Sum(
                f"version__{kind}_duration_value", filter=Q(**{f"version__{kind}_duration_unit": unit})
            )
    return sums


def unit_hours(totals: dict, kind: str) -> float:
    """Σ of a duration in working hours from its per-unit sums (``procedures.durations``)."""
    return (
        (totals.get(f"{kind}_{DurationUnit.WORKING_DAYS}") or 0) * float(HOURS_PER_WORKING_DAY)
        + (totals.get(f"{kind}_{DurationUnit.WORKING_HOURS}") or 0) * 1.0
        + (totals.get(f"{kind}_{DurationUnit.CALENDAR_DAYS}") or 0)
        * (WORKING_DAYS_PER_WEEK / 7 * HOURS_PER_WORKING_DAY)
    )


def cutting_means(totals: dict) -> dict:
    """The means of the cutting report from ``cutting_sums`` (None when nothing was counted)."""
    n = totals.get("resolved") or 0
    hours_n = totals.get("hours_n") or 0
    return {
        "resolved": n,
        "legal_hours": unit_hours(totals, "legal") / n if n else None,
        "committed_hours": unit_hours(totals, "committed") / n if n else None,
        "mean_hours": int(totals.get("hours_micro") or 0) / hours_n / 1_000_000 if hours_n else None,
        "comparable": totals.get("comparable") or 0,
        "within_committed": totals.get("within_committed") or 0,
    }
