from celery import shared_task

from .rollup import refresh


@shared_task(name="reports.refresh_rollup", ignore_result=True)
def refresh_rollup() -> None:
    """Roll up the days closed since the last run (nothing to do within a day)."""
    refresh()


@shared_task(name="reports.conformance_counts", ignore_result=True)
def conformance_counts_task(date_from: str, date_to: str) -> None:
    """The dashboard's conformance card of a period (``reports.conformance_card``), into the cache."""
    import datetime as dt

    from django.utils import timezone

    from .conformance_card import count_into_cache
    from .periods import make_period

    period = make_period(
        date_from=dt.date.fromisoformat(date_from),
        date_to=dt.date.fromisoformat(date_to),
        tz=timezone.get_default_timezone(),
    )
    count_into_cache(period)
