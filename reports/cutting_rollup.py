"""The cutting report's counts and means from the rollup (closed days) plus the live days.

Per (agency, procedure, version) the rollup keeps resolved, processing hours (count, and sum in
millionths: integers, so the sums are exact and add up in any order), and the counts comparable
with / within the committed duration; the legal and committed durations are the version's
(immutable once a dossier uses it): ``Σ nᵥ·valueᵥ`` per unit, as ``reports._query.cutting_sums``. The medians
and p90 are not additive: ``reports.cutting_percentiles`` finds them exactly from the rollup's
counts per whole working hour and the few values of the buckets that hold their ranks.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Count, Q, Sum

from procedures.models import DurationUnit, ProcedureVersion
from workflows.models import Result

from ._query import _dossiers, _duration_hours, cutting_means, hours_micro
from .cutting_percentiles import rolled_percentiles
from .models import RollupFlow
from .periods import Period
from .rollup import midnight
from .rollup_read import GroupKeys, _scoped, watermark

SUMS = ("resolved", "hours_n", "hours_micro", "comparable", "within_committed")


def _sums_once(period: Period, agency_ids, rolled_until) -> dict[tuple, dict]:
    first, end_day = period.date_from, period.date_to + dt.timedelta(days=1)
    since = midnight(rolled_until)
    sums: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(SUMS, 0))
    if first < rolled_until:
        rows = (
            _scoped(RollupFlow.objects.order_by(), agency_ids)
            .filter(day__gte=first, day__lt=min(end_day, rolled_until), resolved__gt=0)
            .values("agency_id", "procedure_id", "version_id")
            .annotate(**{name: Sum(name) for name in SUMS})
        )
        for row in rows:
            out = sums[(row["agency_id"], row["procedure_id"], row["version_id"])]
            for name in SUMS:
                out[name] += row[name] or 0
    lo = min(max(period.start, since), period.end)
    committed = _duration_hours("version__committed_duration")
    comparable = ~Q(version__committed_duration_unit=DurationUnit.CALENDAR_DAYS) & Q(
        processing_hours__isnull=False
    )
    live = (
        _dossiers(agency_ids)
        .filter(finished_at__gte=lo, finished_at__lt=period.end, result__in=[Result.APPROVED, Result.REFUSED])
        .values("receiving_agency_id", "procedure_id", "version_id")
        .annotate(
            resolved=Count("pk"),
            hours_n=Count("processing_hours"),
            hours_micro=Sum(hours_micro()),
            comparable=Count("pk", filter=comparable),
            within_committed=Count("pk", filter=comparable & Q(processing_hours__lte=committed)),
        )
    )
    for row in live:
        out = sums[(row["receiving_agency_id"], row["procedure_id"], row["version_id"])]
        for name in SUMS:
            out[name] += row[name] or 0
    return sums


def _figures(parts: list[tuple[dict, dict]]) -> dict:
    """``cutting_means`` of the parts' sums; each version's durations count once per dossier."""
    totals: dict = dict.fromkeys(SUMS, 0)
    for sums, version in parts:
        for name in SUMS:
            totals[name] += sums[name]
        for kind in ("legal", "committed"):
            unit = f"{kind}_{version[kind + '_unit']}"
            totals[unit] = totals.get(unit, 0) + sums["resolved"] * version[kind]
    return cutting_means(totals)


def rolled_cutting_aggregates(
    *, period: Period, group_by: str, agency_ids: Sequence[int] | None
) -> tuple[dict, dict, dict, list[dict]] | None:
    """(per group key, per (procedure, version), totals, the percentiles as
    ``stats.percentiles_by_sets`` gives them) as the direct queries, or None: read directly."""
    for _attempt in range(3):
        mark = watermark(period)
        if mark is None:
            return None
        sums = _sums_once(period, agency_ids, mark[0])
        percentiles = rolled_percentiles(
            period=period,
            group_by=group_by,
            agency_ids=agency_ids,
            rolled_until=mark[0],
            expected={cell: s["hours_n"] for cell, s in sums.items() if s["hours_n"]},
        )
        if percentiles is not None and watermark(period) == mark:
            break
    else:
        return None
    versions = {
        v["id"]: {
            "legal": v["legal_duration_value"],
            "legal_unit": v["legal_duration_unit"],
            "committed": v["committed_duration_value"],
            "committed_unit": v["committed_duration_unit"],
            "number": v["number"],
            "procedure_code": v["procedure__code"],
        }
        for v in ProcedureVersion.objects.filter(id__in={k[2] for k in sums}).values(
            "id",
            "number",
            "procedure__code",
            "legal_duration_value",
            "legal_duration_unit",
            "committed_duration_value",
            "committed_duration_unit",
        )
    }
    keys = GroupKeys(group_by)
    by_key: dict = defaultdict(list)
    by_version: dict = defaultdict(list)
    for (agency, procedure, version), s in sums.items():
        if not s["resolved"]:
            continue
        part = (s, versions[version])
        by_key[keys(agency, procedure)].append(part)
        by_version[(procedure, version)].append(part)
    rows = {key: _figures(parts) for key, parts in by_key.items()}
    version_rows = {
        key: {
            **_figures(parts),
            "procedure_code": parts[0][1]["procedure_code"],
            "version_number": parts[0][1]["number"],
        }
        for key, parts in by_version.items()
    }
    totals = _figures([part for parts in by_key.values() for part in parts])
    return rows, version_rows, totals, percentiles
