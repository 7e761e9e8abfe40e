"""Celery tasks: each fetches by id or runs one service; beat's static schedule is in settings."""

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from notifications.delivery import RETRY, deliver, queue_deliveries
from notifications.models import Notification, NotificationChannel, NotificationStatus
from notifications.sweep import sweep_deadlines

logger = logging.getLogger(__name__)

# Rows pending this long past their next attempt are assumed lost (worker died, broker down).
PENDING_GRACE = dt.timedelta(minutes=2)
PENDING_BATCH = 1000


class DeliveryFailed(Exception):
    """Raised to make Celery retry a delivery later; the attempt is already recorded on the row."""


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


@shared_task(
    bind=True,
    name="notifications.deliver",
    acks_late=True,
    autoretry_for=(DeliveryFailed,),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=False,
    max_retries=None,
    ignore_result=True,
)
def deliver_notification(self, notification_id: int) -> str:
    """Idempotent: a row already sent, failed or locked by another worker is skipped.

    The number of attempts lives on the row (``ONESTOP_NOTIFY_MAX_ATTEMPTS``), not in Celery, so a
    re-queued or duplicated message cannot exceed it.
    """
    outcome = deliver(notification_id=notification_id)
    if outcome == RETRY:
        raise DeliveryFailed(f"notification {notification_id} will be retried")
    return outcome


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
