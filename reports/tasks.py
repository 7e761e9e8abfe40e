from celery import shared_task

from .conformance_card import conformance_counts_task  # noqa: F401 - registered with the worker
from .rollup import refresh


@shared_task(name="reports.refresh_rollup", ignore_result=True)
def refresh_rollup() -> None:
    """Roll up the days closed since the last run (nothing to do within a day)."""
    refresh()
