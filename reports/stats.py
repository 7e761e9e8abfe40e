"""Grouped percentiles with PostgreSQL's ``percentile_cont`` interpolation, on any backend.

PostgreSQL computes them with ``percentile_cont(p) WITHIN GROUP (ORDER BY v)``. SQLite has no such
aggregate, so there the same figure is computed in one set-based query: each value's rank within its
group (``ROW_NUMBER``) and the group's count (``COUNT`` window), then, per group, the values at ranks
``floor(p·(n-1))`` and the next one, interpolated as ``lo + frac·(hi - lo)`` exactly like PostgreSQL's
``float8_lerp``, so both backends give the same numbers. NULL values are ignored, as in PostgreSQL.
"""

from collections.abc import Sequence

from django.db import connection, connections
from django.db.models import Aggregate, Count, F, FloatField, QuerySet, Window
from django.db.models.functions import RowNumber


class PercentileCont(Aggregate):
    """PostgreSQL ordered-set aggregate: the continuous ``percentile`` (0..1) of ``expression``."""

    function = "PERCENTILE_CONT"
    name = "PercentileCont"
    template = "%(function)s(%(percentile)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, percentile: float, **extra):
        percentile = float(percentile)  # inlined in the SQL, so it must be a plain number
        if not 0.0 <= percentile <= 1.0:
            raise ValueError("percentile must be within 0..1")
        super().__init__(expression, percentile=repr(percentile), **extra)


def percentile_key(value: str, p: float) -> str:
    return f"{value}_p{round(p * 100)}"


def grouped_percentiles(
    queryset: QuerySet,
    *,
    group_by: Sequence[str],
    values: Sequence[str],
    percentiles: Sequence[float] = (0.5, 0.9),
) -> dict[tuple, dict[str, float | None]]:
    """``{group key tuple: {"<value>_p50": x, ...}}`` over the rows of ``queryset``; one query."""
    if connection.vendor == "postgresql":
        rows = (
            queryset.order_by()
            .values(*group_by)
            .annotate(**{percentile_key(v, p): PercentileCont(v, p) for v in values for p in percentiles})
        )
        return {
            tuple(row[g] for g in group_by): {
                percentile_key(v, p): row[percentile_key(v, p)] for v in values for p in percentiles
            }
            for row in rows
        }
    return _windowed_percentiles(queryset, group_by=group_by, values=values, percentiles=percentiles)


def _windowed_percentiles(queryset, *, group_by, values, percentiles):
    groups = {f"g{i}": F(path) for i, path in enumerate(group_by)}
    partition = [F(path) for path in group_by]
    annotations: dict = {}
    for j, value in enumerate(values):
        annotations[f"v{j}"] = F(value)
        annotations[f"r{j}"] = Window(
            RowNumber(), partition_by=partition, order_by=F(value).asc(nulls_last=True)
        )
        annotations[f"n{j}"] = Window(Count(value), partition_by=partition)
    inner = queryset.order_by().annotate(**groups, **annotations).values(*groups, *annotations)
    inner_sql, params = inner.query.sql_with_params()

    selects = []
    for j in range(len(values)):
        for p in percentiles:
            position = f"({p!r} * (n{j} - 1))"
            lo_rank = f"(CAST({position} AS INTEGER) + 1)"  # ranks are 1-based
            lo = f"MAX(CASE WHEN r{j} = {lo_rank} THEN v{j} END)"
            hi = f"MAX(CASE WHEN r{j} = {lo_rank} + 1 THEN v{j} END)"
            frac = f"MAX({position} - CAST({position} AS INTEGER))"
            selects.append(f"CASE WHEN MAX(n{j}) > 0 THEN {lo} + {frac} * (COALESCE({hi}, {lo}) - {lo}) END")
    group_cols = ", ".join(groups)
    sql = f"SELECT {group_cols}, {', '.join(selects)} FROM ({inner_sql}) AS ranked GROUP BY {group_cols}"
    keys = [percentile_key(v, p) for v in values for p in percentiles]
    with connections[queryset.db].cursor() as cursor:  # the replica in its scope (core.dbrouter)
        cursor.execute(sql, params)
        result = {}
        for row in cursor.fetchall():
            figures = row[len(group_by) :]
            result[tuple(row[: len(group_by)])] = {
                k: (float(x) if x is not None else None) for k, x in zip(keys, figures, strict=True)
            }
    return result
