"""The cutting report's medians and p90 from ``RollupHours``, exactly ``percentile_cont``'s.

1. **Counts.** Per cell (agency, procedure, version) and whole working hour (bucket): the rollup
   rows of the months the period covers (``order_stats.rolled_months``) plus its other days (the
   live days since the watermark, a partial first or last month) counted live from the dossiers.
2. **Ranks.** Per group (the report's key, each (procedure, version), the total) the two ranks
   each percentile interpolates (``order_stats.ranks``), each placed in a bucket with its offset.
3. **Values.** ONE query reads the exact hours of the dossiers of the period in the needed
   (cell, bucket) pairs (index ``reports_dossier_hours``: cell, bucket, finished_at), a few
   hundred or thousand rows instead of the period's every resolved dossier; each rank's value is
   taken from its bucket's sorted values and interpolated as PostgreSQL does.

The read values must be exactly as many as the counts say (a dossier finished between the two
reads, or a correction not yet refreshed, would break that); otherwise ``None``: read directly.
"""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q, Sum

from workflows.models import Dossier

from ._query import PERCENTILES, _dossiers
from .models import RollupHours
from .order_stats import interpolate, locate, merge, ranks, rolled_months
from .periods import Period
from .rollup import midnight
from .rollup_hours import CELL, resolved_hours
from .rollup_read import GroupKeys, _scoped
from .stats import percentile_key

Cell = tuple[int, int, int]


def histograms(period: Period, agency_ids, rolled_until: dt.date) -> dict[Cell, dict[int, int]]:
    """cell → bucket → the dossiers resolved in the period with hours in that bucket."""
    cells: dict[Cell, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    live = [(period.start, period.end)]
    span = rolled_months(period.date_from, period.date_to + dt.timedelta(days=1), rolled_until)
    if span is not None:
        rows = (
            _scoped(RollupHours.objects.order_by(), agency_ids)
            .filter(month__gte=span[0], month__lt=span[1])
            .values("agency_id", "procedure_id", "version_id", "bucket")
            .annotate(total=Sum("n"))
        )
        for row in rows:
            cells[(row["agency_id"], row["procedure_id"], row["version_id"])][row["bucket"]] += row["total"]
        live = [(period.start, midnight(span[0])), (midnight(min(span[1], rolled_until)), period.end)]
    live = [(lo, hi) for lo, hi in live if lo < hi]
    if live:
        rows = resolved_hours(live, _dossiers(agency_ids)).values(*CELL, "bucket").annotate(total=Count("pk"))
        for row in rows:
            cells[tuple(row[f] for f in CELL)][int(row["bucket"])] += row["total"]
    return cells


def _groupings(cells, group_by: str) -> list[dict[tuple, list[Cell]]]:
    """The report's three groupings (key, (procedure, version), all) → their cells."""
    keys = GroupKeys(group_by)
    out: list[dict[tuple, list[Cell]]] = [defaultdict(list) for _ in range(3)]
    for cell in cells:
        agency, procedure, version = cell
        out[0][(keys(agency, procedure),)].append(cell)
        out[1][(procedure, version)].append(cell)
        out[2][()].append(cell)
    return out


def _bucket_values(period: Period, needed: dict[Cell, set[int]]) -> dict[tuple, list[float]]:
    """(cell, bucket) → the sorted exact hours of the period's dossiers there; ONE query."""
    wanted = Q(pk__in=[])
    for (agency, procedure, version), buckets in needed.items():
        wanted |= Q(
            receiving_agency_id=agency,
            procedure_id=procedure,
            version_id=version,
            bucket__in=sorted(float(b) for b in buckets),
        )
    rows = resolved_hours([(period.start, period.end)], Dossier.objects).filter(wanted)
    out: dict[tuple, list[float]] = defaultdict(list)
    for agency, procedure, version, bucket, hours in rows.values_list(*CELL, "bucket", "processing_hours"):
        out[((agency, procedure, version), int(bucket))].append(hours)
    for values in out.values():
        values.sort()
    return out


def rolled_percentiles(
    *, period: Period, group_by: str, agency_ids, rolled_until: dt.date, expected: dict[Cell, int]
) -> list[dict[tuple, dict]] | None:
    """As ``stats.percentiles_by_sets(resolved, sets=[[key], [procedure, version], []])`` gives
    them for ``processing_hours`` (a group without any hours is left out: its figures are None
    either way), or None when the counts are not ``expected`` (cell → resolved dossiers with
    hours, from the flows: an hours rollup missing or behind) or the values read do not match them."""
    cells = histograms(period, agency_ids, rolled_until)
    if {cell: sum(h.values()) for cell, h in cells.items()} != expected:
        return None
    groupings = _groupings(cells, group_by)
    plans = []
    needed: dict[Cell, set[int]] = defaultdict(set)
    for index, grouping in enumerate(groupings):
        for key, members in grouping.items():
            histogram = merge(cells[c] for c in members)
            count = sum(histogram.values())
            for p in PERCENTILES:
                lo, hi, proportion = ranks(count, p)
                at = (locate(histogram, lo), locate(histogram, hi))
                for bucket in {at[0][0], at[1][0]}:
                    for cell in members:
                        if cells[cell].get(bucket):
                            needed[cell].add(bucket)
                plans.append((index, key, p, at, proportion, lo == hi))
    values = _bucket_values(period, needed) if needed else {}
    for cell, buckets in needed.items():
        if any(len(values.get((cell, b), ())) != cells[cell][b] for b in buckets):
            return None
    merged: dict[tuple, list[float]] = {}

    def value_at(index: int, key: tuple, bucket: int, offset: int) -> float:
        if (index, key, bucket) not in merged:
            parts = (values.get((cell, bucket), []) for cell in groupings[index][key])
            merged[(index, key, bucket)] = sorted(v for part in parts for v in part)
        return merged[(index, key, bucket)][offset]

    out: list[dict[tuple, dict]] = [{}, {}, {}]
    for index, key, p, ((lo_bucket, lo_offset), (hi_bucket, hi_offset)), proportion, same in plans:
        lo_value = value_at(index, key, lo_bucket, lo_offset)
        hi_value = value_at(index, key, hi_bucket, hi_offset)
        figure = interpolate(lo_value, hi_value, proportion, same_rank=same)
        out[index].setdefault(key, {})[percentile_key("processing_hours", p)] = figure
    return out
