"""Where processing time goes: time cut against legal and committed durations (working hours;
medians and p90). The bottlenecks per step and agency are in ``reports.bottlenecks``."""

from collections.abc import Sequence

from django.db.models import Max

from ._query import (
    CUTTING_GROUPS,
    PERCENTILES,
    _group_field,
    _labels,
    _resolved,
    _round,
    cutting_means,
    cutting_sums,
    without_jit,
)
from .assembly import Report, cut_percent, ratio, version_changes
from .cutting_rollup import rolled_cutting_aggregates
from .periods import Period
from .stats import percentiles_by_sets


def _cutting_figures(row: dict, pct: dict) -> dict:
    return {
        "resolved": row["resolved"],
        "legal_hours": _round(row["legal_hours"]),
        "committed_hours": _round(row["committed_hours"]),
        "cut_percent": cut_percent(row["legal_hours"], row["committed_hours"]),
        "mean_hours": _round(row["mean_hours"]),
        "median_hours": _round(pct.get("processing_hours_p50")),
        "p90_hours": _round(pct.get("processing_hours_p90")),
        "within_committed_share": ratio(row["within_committed"], row["comparable"]),
    }


@without_jit
def cutting_report(
    *, period: Period, group_by: str = "procedure", agency_ids: Sequence[int] | None = None, unit: str = ""
) -> Report:
    """Processing time actually taken against legal and committed durations, for dossiers resolved
    in the period. Hours are working hours with pauses excluded (``processing_hours``, stored by the
    workflow). The share within committed time counts dossiers whose version's committed duration is
    in working days or hours (calendar days are not comparable with working hours). ``versions``
    lists each procedure version with the change from the previous version. Six queries read directly; with
    the rollup (``reports.cutting_rollup``) the counts, means, medians and p90 come from it, and
    the dossiers are read only for the live days and the few values around each percentile's rank
    (``reports.cutting_percentiles``)."""
    key = _group_field(group_by, CUTTING_GROUPS)
    base = _resolved(period, agency_ids)
    rolled = rolled_cutting_aggregates(period=period, group_by=group_by, agency_ids=agency_ids)
    if rolled is None:
        rows = [{**r, **cutting_means(r)} for r in base.values(key).annotate(**cutting_sums())]
        version_rows = [
            {**r, **cutting_means(r)}
            for r in base.values("procedure_id", "version_id").annotate(
                procedure_code=Max("procedure__code"), version_number=Max("version__number"), **cutting_sums()
            )
        ]
        totals = cutting_means(base.aggregate(**cutting_sums()))
        pct, vpct, total_pct = percentiles_by_sets(
            base,
            sets=[[key], ["procedure_id", "version_id"], []],
            value="processing_hours",
            percentiles=PERCENTILES,
        )
    else:
        by_key, by_version, totals, (pct, vpct, total_pct) = rolled
        rows = [{key: k, **figures} for k, figures in by_key.items()]
        version_rows = [
            {"procedure_id": p, "version_id": v, **figures} for (p, v), figures in by_version.items()
        ]
    total_pct = total_pct.get((), {})
    labels = _labels(group_by, [row[key] for row in rows])
    out = []
    for row in rows:
        code, name = labels.get(row[key], ("", str(row[key])))
        out.append(
            {"key": row[key], "code": code, "name": name, **_cutting_figures(row, pct.get((row[key],), {}))}
        )
    out.sort(key=lambda r: (r["code"], r["name"]))

    versions = [
        {
            "procedure_id": r["procedure_id"],
            "procedure_code": r["procedure_code"],
            "version_number": r["version_number"],
            **_cutting_figures(r, vpct.get((r["procedure_id"], r["version_id"]), {})),
        }
        for r in version_rows
    ]
    versions = version_changes(
        versions,
        (
            "committed_hours",
            "cut_percent",
            "mean_hours",
            "median_hours",
            "p90_hours",
            "within_committed_share",
        ),
    )
    return Report(
        kind="cutting",
        period=period,
        group_by=group_by,
        rows=out,
        totals=_cutting_figures(totals, total_pct),
        unit=unit,
        extra={"versions": versions},
    )
