"""Bottlenecks per step and processing agency: how long tasks waited and how long the work took.

Read from the tasks finished in the period only, through the partial index ``task_done_finished``
(``finished_at`` of done tasks, covering what the report reads), whatever the size of the history.
On PostgreSQL four queries: the counts, means, medians and p90 per (step, agency) in one scan of
that index; the distinct late dossiers, joined to the dossiers finished since the period began
only; and the labels of the groups found (steps with their procedures, agencies:
a few hundred rows of the catalog). Before, the catalog and the dossiers were joined inside the
aggregate, so PostgreSQL scanned every task and hashed the whole dossier table (1.7 s at a million
dossiers, growing with the history).

With a rollup (``reports.bottleneck_rollup``) the counts, means and percentiles come from the task
rollup's months plus the live days, exactly these figures; the direct queries are the fallback.
The means divide exact sums of hours in millionths on both paths (a float ``AVG`` depends on the
order of its additions).
"""

from collections.abc import Sequence

from django.db import connection
from django.db.models import Count, F

from procedures.models import Agency, Step
from workflows.models import DossierTask, TaskStatus, Verdict

from ._query import PERCENTILES, _round, without_jit
from .assembly import Report, column_sums, ratio
from .bottleneck_rollup import count_row, rolled_bottleneck_counts
from .periods import Period
from .rollup_tasks import SUMS, task_sums
from .stats import PercentileCont, grouped_percentiles, percentile_key

GROUP = ("step_id", "agency_id")


def _tasks(period: Period, agency_ids: Sequence[int] | None):
    tasks = DossierTask.objects.order_by().filter(
        status=TaskStatus.DONE, finished_at__gte=period.start, finished_at__lt=period.end
    )
    return tasks if agency_ids is None else tasks.filter(agency_id__in=list(agency_ids))


def _labels(rows: list[dict]) -> tuple[dict[int, dict], dict[int, dict]]:
    steps = Step.objects.filter(id__in={r["step_id"] for r in rows}).values(
        "id", "name", "budget_hours", procedure_code=F("version__procedure__code")
    )
    agencies = Agency.objects.filter(id__in={r["agency_id"] for r in rows}).values("id", "code", "name")
    return {s["id"]: s for s in steps}, {a["id"]: a for a in agencies}


def bottleneck_row(row: dict, late_dossiers: int, step: dict, agency: dict, pct: dict) -> dict:
    """One row of the report from its counts, its step's and agency's labels and its percentiles."""
    return {
        "step_id": row["step_id"],
        "agency_id": row["agency_id"],
        "tasks": row["tasks"],
        "late_tasks": row["late_tasks"],
        "late_dossiers": late_dossiers,
        "over_budget": row["over_budget"],
        "budget_hours": step.get("budget_hours"),
        "step_name": step.get("name"),
        "procedure_code": step.get("procedure_code"),
        "agency_code": agency.get("code"),
        "agency_name": agency.get("name"),
        "mean_wait_hours": _round(row["mean_wait_hours"]),
        "mean_work_hours": _round(row["mean_work_hours"]),
        "median_wait_hours": _round(pct.get("wait_hours_p50")),
        "p90_wait_hours": _round(pct.get("wait_hours_p90")),
        "median_work_hours": _round(pct.get("work_hours_p50")),
        "p90_work_hours": _round(pct.get("work_hours_p90")),
        "late_share": ratio(row["late_tasks"], row["tasks"]),
        "over_budget_share": ratio(row["over_budget"], row["tasks"]),
    }


def assemble(rows: list[dict], period: Period, unit: str) -> Report:
    """The report from its rows (pure): sorted, the steps ranked by late tasks, the totals."""
    out = sorted(rows, key=lambda r: (r["procedure_code"] or "", r["agency_code"] or "", r["step_id"]))
    top = sorted((r for r in out if r["late_tasks"]), key=lambda r: (-r["late_tasks"], -r["late_dossiers"]))
    totals = column_sums(out, ("tasks", "late_tasks", "late_dossiers", "over_budget"))
    totals["late_share"] = ratio(totals["late_tasks"], totals["tasks"])
    return Report(
        kind="bottlenecks",
        period=period,
        group_by="step",
        rows=out,
        totals=totals,
        unit=unit,
        extra={"top_late_steps": [{"step_id": r["step_id"], "agency_id": r["agency_id"]} for r in top[:10]]},
    )


def _late_dossiers(tasks, period: Period) -> dict[tuple, int]:
    """Per (step, agency): distinct dossiers finished late with a late task there in the period.

    A dossier finishes after its tasks, so only dossiers finished since the period began can count:
    that bound keeps the join to the late dossiers of the period (``reports_dossier_late``, a
    partial index on ``finished_at``). Without it, the planner reads every late dossier of the
    history. Not additive across months (a dossier counts once), so not in the rollup."""
    rows = (
        tasks.filter(
            verdict=Verdict.LATE, dossier__verdict=Verdict.LATE, dossier__finished_at__gte=period.start
        )
        .values(*GROUP)
        .annotate(n=Count("dossier_id", distinct=True))
    )
    return {(r["step_id"], r["agency_id"]): r["n"] for r in rows}


def _counts(tasks) -> tuple[list[dict], dict[tuple, dict]]:
    """The counts, exact sums (the means) per (step, agency) and their percentiles: on PostgreSQL
    one scan of the covering index (the ordered-set aggregates beside the counts), elsewhere two
    queries. The means divide sums of hours in millionths, as the rollup's (``rollup_tasks``)."""
    values = ("wait_hours", "work_hours")
    keys = {percentile_key(v, p): PercentileCont(v, p) for v in values for p in PERCENTILES}
    if connection.vendor != "postgresql":
        keys = {}
    rows = list(tasks.values(*GROUP).annotate(**task_sums(), **keys))
    if not keys:
        pct = grouped_percentiles(tasks, group_by=list(GROUP), values=values, percentiles=PERCENTILES)
    else:
        pct = {(r["step_id"], r["agency_id"]): {k: r[k] for k in keys} for r in rows}
    cells = [((r["step_id"], r["agency_id"]), {name: r[name] or 0 for name in SUMS}) for r in rows]
    return [count_row(cell, sums) for cell, sums in cells], pct


@without_jit
def bottleneck_report(*, period: Period, agency_ids: Sequence[int] | None = None, unit: str = "") -> Report:
    """Per step and processing agency, for tasks finished in the period: how long they waited in the
    queue and how long the work took (working hours; median and p90) against the step's budget, and
    the share finished late against the task's own due time. ``top_late_steps`` ranks the steps by
    late tasks; ``late_dossiers`` counts distinct dossiers finished late that had a late task there."""
    tasks = _tasks(period, agency_ids)
    rolled = rolled_bottleneck_counts(period=period, agency_ids=agency_ids)
    rows, pct = rolled if rolled is not None else _counts(tasks)
    late_dossiers = _late_dossiers(tasks, period)
    steps, agencies = _labels(rows)
    return assemble(
        [
            bottleneck_row(
                row,
                late_dossiers.get((row["step_id"], row["agency_id"]), 0),
                steps.get(row["step_id"], {}),
                agencies.get(row["agency_id"], {}),
                pct.get((row["step_id"], row["agency_id"]), {}),
            )
            for row in rows
        ],
        period,
        unit,
    )
