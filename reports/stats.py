"""Grouped percentiles with PostgreSQL's ``percentile_cont`` interpolation, on any backend.

PostgreSQL computes them with ``percentile_cont(p) WITHIN GROUP (ORDER BY v)``. SQLite has no such
aggregate, so there the same figure is computed in one set-based query: each value's rank within its
group (``ROW_NUMBER``) and the group's count (``COUNT`` window), then, per group, the values at ranks
``floor(p·(n-1))`` and the next one, interpolated as ``lo + frac·(hi - lo)`` exactly like PostgreSQL's
``float8_lerp``, so both backends give the same numbers. NULL values are ignored, as in PostgreSQL.
"""

from collections.abc import Sequence

from django.db import connection, connections
from django.db.models import Aggregate, Count, F, FloatField, IntegerField, QuerySet, Value, Window
from django.db.models.functions import RowNumber

# A million values sort in memory with this much (PostgreSQL's 4 MB default spills them to disk).
PERCENTILE_WORK_MEM = "96MB"


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


def percentiles_by_sets(
    queryset: QuerySet,
    *,
    sets: Sequence[Sequence[str]],
    value: str,
    percentiles: Sequence[float] = (0.5, 0.9),
) -> list[dict[tuple, dict[str, float | None]]]:
    """``grouped_percentiles`` for several groupings of the same rows: on PostgreSQL ONE scan
    (``GROUP BY GROUPING SETS``, the same ``percentile_cont``), elsewhere one query per grouping.
    ``[]`` in ``sets`` is the grouping of all rows, keyed by ``()``."""
    connection = connections[queryset.db]  # the replica in its scope (core.dbrouter)
    if connection.vendor != "postgresql":
        out = []
        for columns in sets:
            qs = queryset if columns else queryset.annotate(_all=Value(1, output_field=IntegerField()))
            rows = grouped_percentiles(
                qs, group_by=list(columns) or ["_all"], values=[value], percentiles=percentiles
            )
            out.append(rows if columns else {(): next(iter(rows.values()))} if rows else {})
        return out
    paths = sorted({path for columns in sets for path in columns})
    names = {path: f"g{i}" for i, path in enumerate(paths)}
    inner = queryset.order_by().annotate(**{names[p]: F(p) for p in paths}, _v=F(value))
    inner_sql, params = inner.values(*names.values(), "_v").query.sql_with_params()
    grouping = ", ".join(f"({', '.join(names[p] for p in columns)})" for columns in sets)
    flags = f"GROUPING({', '.join(names.values())})" if paths else "0"
    aggregates = ", ".join(f"PERCENTILE_CONT({float(p)!r}) WITHIN GROUP (ORDER BY _v)" for p in percentiles)
    select = ", ".join([*names.values(), flags, aggregates]) if paths else f"{flags}, {aggregates}"
    sql = f"SELECT {select} FROM ({inner_sql}) AS r GROUP BY GROUPING SETS ({grouping})"
    out: list[dict] = [{} for _ in sets]
    width = len(paths)
    masks = [sum(1 << (width - 1 - i) for i, p in enumerate(paths) if p not in columns) for columns in sets]
    with connection.cursor() as cursor:
        if connection.in_atomic_block:  # the reports run in one (``without_jit``): sort in memory
            cursor.execute("SELECT set_config('work_mem', %s, true)", [PERCENTILE_WORK_MEM])
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            index = masks.index(row[width])
            key = tuple(row[paths.index(p)] for p in sets[index])
            out[index][key] = {
                percentile_key(value, p): row[width + 1 + j] for j, p in enumerate(percentiles)
            }
    return out
