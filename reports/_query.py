"""What every report query shares: grouping, labels, the dossier scope, JIT off."""

import functools
from collections.abc import Sequence

from django.db import connections, transaction
from django.db.models import (
    QuerySet,
)

from core.dbrouter import read_alias
from core.exceptions import InvalidInput
from procedures.models import Agency, Field, Level, Procedure
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
