"""Back-filling the outbox: one ``DongBoHoSoMC`` snapshot row per dossier received in a period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from workflows.models import Dossier

from .codes import DOSSIER, PORTAL_TZ, status_code
from .models import SyncRow
from .payloads import dossier_payload


def period_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From ``start`` 00:00 to the day after ``end`` 00:00 on the office clock."""
    return (
        dt.datetime.combine(start, dt.time(), tzinfo=PORTAL_TZ),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=PORTAL_TZ),
    )


def _batch(ids: list[int], now: dt.datetime) -> int:
    """Lock the batch's dossiers (as the services do, so no transition takes a sequence at the same
    time), read their last sequences in one query, and insert their rows in one statement."""
    with transaction.atomic():
        dossiers = list(
            Dossier.objects.select_for_update(of=("self",))
            .select_related("procedure", "receiving_agency")
            .filter(pk__in=ids)
            .order_by("pk")
        )
        last = dict(
            SyncRow.objects.filter(dossier_id__in=ids)
            .order_by()
            .values("dossier_id")
            .annotate(last=Max("sequence"))
            .values_list("dossier_id", "last")
        )
        rows = []
        for dossier in dossiers:
            code = status_code(dossier.status)
            rows.append(
                SyncRow(
                    dossier=dossier,
                    sequence=last.get(dossier.pk, 0) + 1,
                    kind=DOSSIER,
                    portal_status=code,
                    payload=dossier_payload(dossier, code=code),
                    created_at=now,
                    next_attempt_at=now,
                )  # fmt: skip
            )
        SyncRow.objects.bulk_create(rows)
        return len(rows)


def backfill(
    *,
    start: dt.date,
    end: dt.date,
    batch_size: int = 1000,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write a snapshot row for every dossier received from ``start`` to ``end`` (office dates),
    ``batch_size`` dossiers per transaction, in id order; ``progress(done, total)`` after each batch."""
    low, high = period_bounds(start, end)
    period = Dossier.objects.filter(received_at__gte=low, received_at__lt=high)
    total = period.count()
    done = 0
    for ids in _id_batches(period, batch_size):
        done += _batch(ids, timezone.now())
        if progress is not None:
            progress(done, total)
    return done


def _id_batches(queryset, size: int) -> Iterator[list[int]]:
    after = 0
    while True:
        ids = list(queryset.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:size])
        if not ids:
            return
        yield ids
        after = ids[-1]
