"""Celery tasks: each fetches by id or runs one service; beat's static schedule is in settings.

The delivery task itself is in ``outbox`` (the sweep queues deliveries without importing this
module, which runs the sweep); it is re-exported here so that Celery's autodiscovery registers it.
"""

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from notifications.models import Notification, NotificationChannel, NotificationStatus
from notifications.outbox import DeliveryFailed, deliver_batch, deliver_notification, queue_deliveries
from notifications.retention import purge_delivered_notifications
from notifications.sweep import sweep_deadlines

logger = logging.getLogger(__name__)

# Rows pending this long past their next attempt are assumed lost (worker died, broker down).
PENDING_GRACE = dt.timedelta(minutes=2)
PENDING_BATCH = 1000


@shared_task(name="notifications.sweep_deadlines", ignore_result=True)
def sweep_deadlines_task() -> dict:
    return sweep_deadlines(as_of=timezone.now(), due_soon_hours=settings.ONESTOP_DUE_SOON_HOURS).as_dict()


@shared_task(name="notifications.fire_viewflow_timers", ignore_result=True)
def fire_viewflow_timers() -> dict:
    """What viewflow's ``workflow_timers`` command does, on beat's clock.

    Task timers and conditions lock their own process and are safe to run twice at once; start
    timers are not (no row to lock yet), so they run under a cache lock (Redis in production).
    """
    from viewflow.workflow.timers import fire_due_conditions, fire_due_start_timers, fire_due_timers

    fired = fire_due_timers()
    conditions = fire_due_conditions()
    started = 0
    if cache.add("notifications:start-timers-lock", "1", timeout=settings.ONESTOP_SWEEP_INTERVAL_SECONDS):
        try:
            started = fire_due_start_timers()
        finally:
            cache.delete("notifications:start-timers-lock")
    return {"timers": fired, "conditions": conditions, "started": started}


@shared_task(name="notifications.deliver_pending", ignore_result=True)
def deliver_pending() -> int:
    """Re-queue deliverable rows whose next attempt is overdue: nothing is lost if a worker dies."""
    cutoff = timezone.now() - PENDING_GRACE
    ids = list(
        Notification.objects.filter(status=NotificationStatus.PENDING, next_attempt_at__lte=cutoff)
        .exclude(channel=NotificationChannel.IN_APP)
        .order_by("next_attempt_at")
        .values_list("id", flat=True)[:PENDING_BATCH]
    )
    queue_deliveries(ids)
    if ids:
        logger.info("Re-queued %s pending notifications", len(ids))
    return len(ids)


@shared_task(name="notifications.purge_delivered", ignore_result=True)
def purge_delivered() -> int:
    """Daily: delivered notifications older than ONESTOP_DELIVERED_RETENTION_DAYS (``retention``)."""
    deleted = purge_delivered_notifications(
        now=timezone.now(), days=settings.ONESTOP_DELIVERED_RETENTION_DAYS
    )
    if deleted:
        logger.info("Deleted %s delivered notifications past their retention", deleted)
    return deleted


__all__ = [
    "DeliveryFailed",
    "deliver_batch",
    "deliver_notification",
    "deliver_pending",
    "fire_viewflow_timers",
    "purge_delivered",
    "sweep_deadlines_task",
]
