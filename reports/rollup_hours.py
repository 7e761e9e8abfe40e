"""Filling ``RollupHours``: resolved dossiers per local month, agency, procedure, version and whole
working hour of processing (``floor(processing_hours)``), for the cutting report's exact medians and
p90 (``reports.cutting_percentiles``). Called by ``reports.rollup`` within its refresh transaction.

A resolved dossier's month, cell and hours never change through the services (written once, at the
finish), so a refresh adds the new days' counts to their months; a rebuild or a correction of the
past recounts every month from the corrected one on.
"""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, DateField, Q
from django.db.models.functions import Floor, TruncMonth

from workflows.models import Dossier, Result

from .models import RollupHours

RESOLVED = (Result.APPROVED, Result.REFUSED)
CELL = ("receiving_agency_id", "procedure_id", "version_id")
BATCH = 5000


def resolved_hours(ranges, dossiers=None):
    """The resolved dossiers with processing hours finished in any of the ``[lo, hi)`` instants
    (``lo`` None: from the beginning), with ``bucket`` = their whole working hours."""
    window = Q(pk__in=[])
    for lo, hi in ranges:
        part = Q(finished_at__lt=hi)
        window |= part & Q(finished_at__gte=lo) if lo is not None else part
    base = (Dossier.objects if dossiers is None else dossiers).order_by()
    return base.filter(window, result__in=RESOLVED, processing_hours__isnull=False).annotate(
        bucket=Floor("processing_hours")
    )


def month_counts(lo: dt.datetime | None, hi: dt.datetime, tz, dossiers=None) -> dict[tuple, int]:
    """(month, agency, procedure, version, bucket) → the resolved dossiers of ``[lo, hi)``."""
    month = TruncMonth("finished_at", tzinfo=tz, output_field=DateField())
    rows = (
        resolved_hours([(lo, hi)], dossiers)
        .annotate(month=month)
        .values("month", *CELL, "bucket")
        .annotate(n=Count("pk"))
    )
    counts: dict[tuple, int] = defaultdict(int)
    for row in rows:
        counts[(row["month"], *(row[f] for f in CELL), int(row["bucket"]))] += row["n"]
    return counts


def _midnight(day: dt.date, tz) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz)


def write_hours(lo_day: dt.date | None, hi_day: dt.date, tz, *, redo: bool) -> int:
    """Count the resolved dossiers of the local days ``[lo_day, hi_day)`` (``lo_day`` None: from
    the beginning) into their months' rows. ``redo``: the months from ``lo_day``'s on (every month
    when None) are recounted from their first day; otherwise (an incremental refresh) the days'
    counts are added to the rows already there. Returns the rows written."""
    if redo:
        rows = RollupHours.objects.all()
        if lo_day is not None:
            lo_day = lo_day.replace(day=1)
            rows = rows.filter(month__gte=lo_day)
        rows.delete()
    lo = _midnight(lo_day, tz) if lo_day is not None else None
    counts = month_counts(lo, _midnight(hi_day, tz), tz)
    if not redo and counts:
        existing = RollupHours.objects.filter(month__in={key[0] for key in counts})
        for *key, n in existing.values_list(
            "month", "agency_id", "procedure_id", "version_id", "bucket", "n"
        ):
            counts[tuple(key)] += n
        existing.delete()
    objs = [
        RollupHours(month=month, agency_id=a, procedure_id=p, version_id=v, bucket=b, n=n)
        for (month, a, p, v, b), n in counts.items()
    ]
    RollupHours.objects.bulk_create(objs, batch_size=BATCH)
    return len(objs)
