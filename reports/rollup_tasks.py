"""Filling ``RollupTasks`` and ``RollupTaskHours``: the done tasks per local month, step and
processing agency (counts, exact sums of the wait and work hours) and per whole hour of wait and
of work, for the bottleneck report (``reports.bottleneck_rollup``). Called by ``reports.rollup``
within its refresh transaction.

A done task's finish, step, agency, verdict and hours are written once, when it finishes; its
step's budget belongs to a version that is immutable once used. So a refresh adds the new days'
counts to their months' rows; a rebuild or a correction of the past recounts from the month on.
"""

import datetime as dt

from django.db.models import Count, DateField, F, Max, Min, Q, Sum
from django.db.models.functions import Floor, TruncMonth

from workflows.models import DossierTask, TaskStatus, Verdict

from ._query import hours_micro
from .models import RollupTaskHours, RollupTasks

CELL = ("step_id", "agency_id")
KINDS = ("wait_hours", "work_hours")
SUMS = ("tasks", "late_tasks", "over_budget", "wait_n", "wait_micro", "work_n", "work_micro")
BATCH = 5000


def done_tasks(ranges, agency_ids=None):
    """The done tasks finished in any of the ``[lo, hi)`` instants (``lo`` None: from the start)."""
    window = Q(pk__in=[])
    for lo, hi in ranges:
        part = Q(finished_at__lt=hi)
        window |= part & Q(finished_at__gte=lo) if lo is not None else part
    tasks = DossierTask.objects.order_by().filter(window, status=TaskStatus.DONE)
    return tasks if agency_ids is None else tasks.filter(agency_id__in=list(agency_ids))


def task_sums() -> dict:
    """The additive figures of a group of done tasks (counted on ``step``, which the index covers)."""
    return {
        "tasks": Count("step"),
        "late_tasks": Count("step", filter=Q(verdict=Verdict.LATE)),
        "over_budget": Count("step", filter=Q(work_hours__gt=F("step__budget_hours"))),
        "wait_n": Count("wait_hours"),
        "wait_micro": Sum(hours_micro("wait_hours")),
        "work_n": Count("work_hours"),
        "work_micro": Sum(hours_micro("work_hours")),
    }


def mean(micro, n):
    """The mean of hours from their exact sum in millionths (None when none was counted)."""
    return int(micro or 0) / n / 1_000_000 if n else None


def _by(tasks, tz):
    if tz is None:
        return tasks, ()
    return tasks.annotate(month=TruncMonth("finished_at", tzinfo=tz, output_field=DateField())), ("month",)


def sums_by_cell(tasks, tz=None) -> dict[tuple, dict]:
    """([month,] step, agency) → ``SUMS``; per month on the clock ``tz`` when given."""
    tasks, extra = _by(tasks, tz)
    out: dict[tuple, dict] = {}
    for row in tasks.values(*extra, *CELL).annotate(**task_sums()):
        out[tuple(row[f] for f in (*extra, *CELL))] = {name: row[name] or 0 for name in SUMS}
    return out


def add_bucket(buckets: dict, key: tuple, n: int, lo: float, hi: float) -> None:
    """Count ``n`` values between ``lo`` and ``hi`` into ``buckets[key]`` = [n, min, max]."""
    if key in buckets:
        old = buckets[key]
        buckets[key] = [old[0] + n, min(old[1], lo), max(old[2], hi)]
    else:
        buckets[key] = [n, lo, hi]


def buckets_by_cell(tasks, tz=None) -> dict[tuple, list]:
    """(kind, [month,] step, agency, whole hours) → [the tasks with those hours of that kind, the
    least and the greatest of those hours]: when both are equal, so are all (ties need no read)."""
    tasks, extra = _by(tasks, tz)
    buckets: dict[tuple, list] = {}
    for kind in KINDS:
        rows = (
            tasks.filter(**{f"{kind}__isnull": False})
            .annotate(bucket=Floor(kind))
            .values(*extra, *CELL, "bucket")
            .annotate(n=Count("step"), lo=Min(kind), hi=Max(kind))
        )
        for row in rows:
            key = (kind, *(row[f] for f in (*extra, *CELL)), int(row["bucket"]))
            add_bucket(buckets, key, row["n"], row["lo"], row["hi"])
    return buckets


def _midnight(day: dt.date, tz) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz)


def write_tasks(lo_day: dt.date | None, hi_day: dt.date, tz, *, redo: bool) -> int:
    """As ``rollup_hours.write_hours``: the done tasks of the local days ``[lo_day, hi_day)`` into
    their months' rows, recounting the months from ``lo_day``'s (``redo``) or adding to them."""
    tables = (RollupTasks, RollupTaskHours)
    if redo:
        for model in tables:
            rows = model.objects.all()
            if lo_day is not None:
                rows = rows.filter(month__gte=lo_day.replace(day=1))
            rows.delete()
        lo_day = lo_day.replace(day=1) if lo_day is not None else None
    tasks = done_tasks([(_midnight(lo_day, tz) if lo_day is not None else None, _midnight(hi_day, tz))])
    sums, buckets = sums_by_cell(tasks, tz), buckets_by_cell(tasks, tz)
    if not redo:
        months = {key[0] for key in sums}
        existing = RollupTasks.objects.filter(month__in=months)
        for row in existing.values("month", *CELL, *SUMS):
            key = (row["month"], *(row[f] for f in CELL))
            old = sums.setdefault(key, dict.fromkeys(SUMS, 0))
            for name in SUMS:
                old[name] += row[name]
        old_buckets = RollupTaskHours.objects.filter(month__in=months)
        for *key, n, lo, hi in old_buckets.values_list("kind", "month", *CELL, "bucket", "n", "lo", "hi"):
            add_bucket(buckets, tuple(key), n, lo, hi)
        existing.delete()
        old_buckets.delete()
    objs = [RollupTasks(month=m, step_id=s, agency_id=a, **v) for (m, s, a), v in sums.items()]
    RollupTasks.objects.bulk_create(objs, batch_size=BATCH)
    hours = [
        RollupTaskHours(kind=k, month=m, step_id=s, agency_id=a, bucket=b, n=n, lo=lo, hi=hi)
        for (k, m, s, a, b), (n, lo, hi) in buckets.items()
    ]
    RollupTaskHours.objects.bulk_create(hours, batch_size=BATCH)
    return len(objs) + len(hours)
