"""The bottleneck report's counts, means, medians and p90 from the task rollup, exactly the direct
queries' figures (``reports.bottlenecks``).

1. **Counts and sums** per (step, agency): the ``RollupTasks`` rows of the months the period
   covers (``order_stats.rolled_months``) plus its other days (the live days since the watermark,
   a partial first or last month) counted live from the tasks; the means divide exact sums.
2. **Percentiles**: per (step, agency) and kind (wait, work) the counts per whole hour
   (``RollupTaskHours`` plus the live days) place the two ranks each ``percentile_cont``
   interpolates (``order_stats``). A bucket's least and greatest hours give a rank's value when
   they are equal (ties: the seeded work hours are whole hours) or the rank is the bucket's first
   or last; for the others ONE query per kind reads the exact hours of the period's tasks in the
   needed (cell, bucket) pairs (indexes ``reports_task_wait`` / ``reports_task_work``).

The values read must be exactly as many as the counts say; otherwise ``None``: read directly.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Max, Min, Q, Sum
from django.db.models.functions import Floor

from ._query import PERCENTILES
from .models import RollupTaskHours, RollupTasks
from .order_stats import interpolate, locate, ranks, rolled_months
from .periods import Period
from .rollup import midnight
from .rollup_read import _scoped, watermark
from .rollup_tasks import CELL, KINDS, SUMS, add_bucket, buckets_by_cell, done_tasks, mean, sums_by_cell
from .stats import percentile_key

Cell = tuple[int, int]


def cell_counts(period: Period, agency_ids, rolled_until: dt.date) -> tuple[dict, dict]:
    """(cell → ``SUMS``, (kind, cell) → bucket → [tasks, least, greatest hours]) of the tasks done
    in the period."""
    sums: dict[Cell, dict] = defaultdict(lambda: dict.fromkeys(SUMS, 0))
    hist: dict[tuple, dict[int, list]] = defaultdict(dict)
    live = [(period.start, period.end)]
    span = rolled_months(period.date_from, period.date_to + dt.timedelta(days=1), rolled_until)
    if span is not None:
        months = {"month__gte": span[0], "month__lt": span[1]}
        rows = _scoped(RollupTasks.objects.order_by(), agency_ids).filter(**months)
        for row in rows.values(*CELL).annotate(**{f"s_{n}": Sum(n) for n in SUMS}):
            for name in SUMS:
                sums[(row["step_id"], row["agency_id"])][name] += row[f"s_{name}"] or 0
        rows = _scoped(RollupTaskHours.objects.order_by(), agency_ids).filter(**months)
        for row in rows.values("kind", *CELL, "bucket").annotate(
            total=Sum("n"), low=Min("lo"), high=Max("hi")
        ):
            cell = (row["step_id"], row["agency_id"])
            add_bucket(hist[(row["kind"], cell)], row["bucket"], row["total"], row["low"], row["high"])
        live = [(period.start, midnight(span[0])), (midnight(min(span[1], rolled_until)), period.end)]
    live = [(lo, hi) for lo, hi in live if lo < hi]
    if live:
        tasks = done_tasks(live, agency_ids)
        for cell, values in sums_by_cell(tasks).items():
            for name in SUMS:
                sums[cell][name] += values[name]
        for (kind, step, agency, bucket), (n, lo, hi) in buckets_by_cell(tasks).items():
            add_bucket(hist[(kind, (step, agency))], bucket, n, lo, hi)
    return {c: s for c, s in sums.items() if s["tasks"]}, hist


def _bucket_values(period: Period, agency_ids, kind: str, needed: dict[Cell, set[int]]):
    """(cell, bucket) → the sorted exact hours of ``kind`` of the period's tasks there; ONE query."""
    wanted = Q(pk__in=[])
    for (step, agency), buckets in needed.items():
        wanted |= Q(step_id=step, agency_id=agency, bucket__in=sorted(float(b) for b in buckets))
    rows = done_tasks([(period.start, period.end)], agency_ids).annotate(bucket=Floor(kind)).filter(wanted)
    out: dict[tuple, list[float]] = defaultdict(list)
    for step, agency, bucket, hours in rows.values_list(*CELL, "bucket", kind):
        out[((step, agency), int(bucket))].append(hours)
    for values in out.values():
        values.sort()
    return out


def known_value(entry: list, offset: int) -> float | None:
    """The value at ``offset`` among a bucket's sorted values when its counts tell it (pure): all
    equal (ties), the first (the least) or the last (the greatest); otherwise None: read it."""
    n, lo, hi = entry
    if lo == hi or offset == 0:
        return lo
    return hi if offset == n - 1 else None


def kind_percentiles(period: Period, agency_ids, kind: str, hist: dict) -> dict[Cell, dict] | None:
    """cell → {``<kind>_p50``, ``<kind>_p90``} for the cells with hours of ``kind``, or None when
    the values read do not match the counts."""
    plans = []
    needed: dict[Cell, set[int]] = defaultdict(set)
    for (k, cell), buckets in hist.items():
        histogram = {bucket: entry[0] for bucket, entry in buckets.items()}
        count = sum(histogram.values())
        if k != kind or not count:
            continue
        for p in PERCENTILES:
            lo, hi, proportion = ranks(count, p)
            at = (locate(histogram, lo), locate(histogram, hi))
            for bucket, offset in at:
                if known_value(buckets[bucket], offset) is None:
                    needed[cell].add(bucket)
            plans.append((cell, p, at, proportion, lo == hi))
    values = _bucket_values(period, agency_ids, kind, needed) if needed else {}
    for cell, buckets in needed.items():
        if any(len(values.get((cell, b), ())) != hist[(kind, cell)][b][0] for b in buckets):
            return None

    def value_at(cell: Cell, bucket: int, offset: int) -> float:
        known = known_value(hist[(kind, cell)][bucket], offset)
        return known if known is not None else values[(cell, bucket)][offset]

    out: dict[Cell, dict] = defaultdict(dict)
    for cell, p, ((lo_bucket, lo_offset), (hi_bucket, hi_offset)), proportion, same in plans:
        lo_value, hi_value = value_at(cell, lo_bucket, lo_offset), value_at(cell, hi_bucket, hi_offset)
        out[cell][percentile_key(kind, p)] = interpolate(lo_value, hi_value, proportion, same_rank=same)
    return out


def count_row(cell: Cell, sums: dict) -> dict:
    """A report row's counts and means from its cell's ``SUMS`` (pure; the direct path's too)."""
    return {
        "step_id": cell[0],
        "agency_id": cell[1],
        "tasks": sums["tasks"],
        "late_tasks": sums["late_tasks"],
        "over_budget": sums["over_budget"],
        "mean_wait_hours": mean(sums["wait_micro"], sums["wait_n"]),
        "mean_work_hours": mean(sums["work_micro"], sums["work_n"]),
    }


def rolled_bottleneck_counts(
    *, period: Period, agency_ids: Sequence[int] | None
) -> tuple[list[dict], dict[Cell, dict]] | None:
    """(rows, cell → percentiles) as ``bottlenecks._counts`` gives them, or None: read directly."""
    for _attempt in range(3):
        mark = watermark(period)
        if mark is None:
            return None
        sums, hist = cell_counts(period, agency_ids, mark[0])
        pct: dict[Cell, dict] = defaultdict(dict)
        for kind in KINDS:
            figures = kind_percentiles(period, agency_ids, kind, hist)
            if figures is None:
                break
            for cell, values in figures.items():
                pct[cell].update(values)
        else:
            if watermark(period) == mark:
                return [count_row(cell, s) for cell, s in sums.items()], dict(pct)
    return None
