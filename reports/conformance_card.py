"""The leadership dashboard's conformance card, counted off the request path.

Checking the dossiers of a period replays each one's audit trail in Python
(``reports.conformance``): seconds for a quarter at a million dossiers a year, which held a web
worker and made the dashboard wait. So the page only reads the counts cached for its period. On a
miss it queues ``reports.conformance_counts`` (at most once per period while one is pending,
``claim``) and says the counts are being made; the worker stores them for
``ONESTOP_OPEN_DATA_CACHE_SECONDS``. With the broker or the cache down the card says they are not
available, and the page is served as fast as ever. Without a cache shared with the worker (the
embedded default, no Redis: a small database) the page counts them itself, as before.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from core.cached import cached, claim, peek, shared, store
from core.dbrouter import replica_reads

from .conformance import conformance_counts
from .periods import Period, make_period

logger = logging.getLogger(__name__)
PENDING_SECONDS = 300  # a lost task (a worker killed) is queued again after this


def card_key(period: Period) -> str:
    return f"conformance:v1:{period.start.isoformat()}:{period.end.isoformat()}"


def _count(period: Period) -> dict:
    return replica_reads(conformance_counts)(period=period)


def count_into_cache(period: Period) -> dict:
    """What the task runs: the counts of ``period``, cached for the dashboard."""
    counts = _count(period)
    store(card_key(period), counts, settings.ONESTOP_OPEN_DATA_CACHE_SECONDS)
    return counts


def card_counts(period: Period) -> dict | None:
    """The cached counts of ``period``, or None while they are being counted (queued here on a miss)."""
    key = card_key(period)
    if not shared():  # a worker could not hand the counts back (no Redis): count them here
        timeout = settings.ONESTOP_OPEN_DATA_CACHE_SECONDS
        return cached(key, timeout, lambda: _count(period))
    counts = peek(key)
    if counts is None and claim(f"{key}:pending", PENDING_SECONDS):
        try:
            conformance_counts_task.delay(period.date_from.isoformat(), period.date_to.isoformat())
        except Exception:  # noqa: BLE001 - the broker is down: the card waits, the page does not
            logger.warning("Could not queue the conformance counts of %s", key, exc_info=True)
        counts = peek(key)  # an eager worker (CELERY_TASK_ALWAYS_EAGER) has counted already
    return counts


@shared_task(name="reports.conformance_counts", ignore_result=True)
def conformance_counts_task(date_from: str, date_to: str) -> None:
    """The worker's half: the counts of the period from ``date_from`` to ``date_to``, into the cache."""
    tz = timezone.get_default_timezone()
    period = make_period(
        date_from=dt.date.fromisoformat(date_from), date_to=dt.date.fromisoformat(date_to), tz=tz
    )
    count_into_cache(period)
