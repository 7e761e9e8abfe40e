"""Exact percentiles from bucket counts: which bucket holds a rank, and the figure. Pure.

``percentile_cont(p)`` (PostgreSQL, and ``reports.stats`` on SQLite) over ``n`` sorted values
``x₀ ≤ … ≤ xₙ₋₁`` is, with ``pos = p·(n−1)`` in double precision, ``lo = ⌊pos⌋``, ``hi = ⌈pos⌉``:
``x_lo`` when ``hi = lo``, else ``x_lo + (pos − lo)·(x_hi − x_lo)`` (``float8_lerp``). So the
figure needs the values at two ranks only. Counts per bucket (``floor`` of the value, whole working
hours) locate each rank's bucket and its offset there; the bucket's values, read exactly, give the
value at that offset. Nothing is approximated: the result is the same double.
"""

import datetime as dt
import math
from collections.abc import Iterable, Mapping


def ranks(n: int, p: float) -> tuple[int, int, float]:
    """The 0-based ranks ``(lo, hi)`` whose values ``percentile_cont(p)`` interpolates, and the
    proportion (computed as PostgreSQL does: ``p * (n - 1)`` in double precision)."""
    position = p * (n - 1)
    lo = math.floor(position)
    return lo, math.ceil(position), position - lo


def interpolate(lo_value: float, hi_value: float, proportion: float, *, same_rank: bool) -> float:
    """PostgreSQL's ``float8_lerp``; the lower value itself when both ranks are the same."""
    if same_rank:
        return lo_value
    return lo_value + proportion * (hi_value - lo_value)


def locate(histogram: Mapping[int, int], rank: int) -> tuple[int, int]:
    """``(bucket, offset)``: the bucket holding the 0-based ``rank`` of the values counted in
    ``histogram`` (bucket → count), and the rank's offset among that bucket's sorted values."""
    seen = 0
    for bucket in sorted(histogram):
        count = histogram[bucket]
        if rank < seen + count:
            return bucket, rank - seen
        seen += count
    raise ValueError(f"rank {rank} beyond the {seen} values counted")


def merge(histograms: Iterable[Mapping[int, int]]) -> dict[int, int]:
    out: dict[int, int] = {}
    for histogram in histograms:
        for bucket, count in histogram.items():
            out[bucket] = out.get(bucket, 0) + count
    return out


def next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def rolled_months(first: dt.date, end: dt.date, rolled_until: dt.date) -> tuple[dt.date, dt.date] | None:
    """The months whose rollup rows a period of the days ``[first, end)`` reads, as ``(first month,
    the month after the last)``, or None. A month's row holds its days before ``rolled_until``;
    it is read when the month starts in the period and those days end by ``end``. The covered days
    are ``[first month, min(month after, rolled_until))``: the period's other days are read live."""
    lo = first if first.day == 1 else next_month(first)
    month = lo
    while month < rolled_until and min(next_month(month), rolled_until) <= end:
        month = next_month(month)
    return (lo, month) if month > lo else None
