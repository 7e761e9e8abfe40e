"""The outbox: notification rows written in the caller's transaction, then handed to Celery.

``store_notifications`` inserts rows built in Python (a transition's citizen notices) and queues
the new deliverable ones once the transaction commits; the deadline sweep inserts its rows in SQL
and hands their ids over in batches (``queue_delivery_batches``). The Celery task delivering one
notification is here too.
"""

import logging
from collections.abc import Iterable

from celery import shared_task
from django.db import transaction

from core import inserts
from core.outage import broker_breaker
from notifications.delivery import RETRY, deliver
from notifications.models import Notification, NotificationChannel

logger = logging.getLogger(__name__)


class DeliveryFailed(Exception):
    """Raised to make Celery retry a delivery later; the attempt is already recorded on the row."""


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


def queue_deliveries(ids: Iterable[int]) -> None:
    """Hand ids to Celery. A broker error is logged, not raised: ``deliver_pending`` catches up.

    Runs after a request's commit: with the broker down it must cost milliseconds, so after one
    failure the rest are skipped, and so are later calls while ``broker_breaker`` is open.
    """
    ids = list(ids)
    failed = 0
    for position, notification_id in enumerate(ids):
        if not broker_breaker.available():
            failed += len(ids) - position
            break
        try:
            deliver_notification.delay(notification_id)
        except Exception as exc:  # noqa: BLE001 - after the commit nothing may raise; the row stays pending
            broker_breaker.failed(exc)
            failed += 1
            if failed == 1:
                logger.warning("Could not queue notification %s; deliver_pending will retry", notification_id)
        else:
            broker_breaker.succeeded()
    if failed:
        logger.error("%s notifications not queued; deliver_pending will retry them", failed)


# Ids per broker message from the sweep: a day's gap (thousands of e-mails) is a few messages.
DELIVERY_BATCH = 500


@shared_task(name="notifications.deliver_batch", acks_late=True, ignore_result=True)
def deliver_batch(notification_ids: list[int]) -> int:
    """Fan a batch out into one delivery task per notification, in a worker (each retries alone)."""
    queue_deliveries(notification_ids)
    return len(notification_ids)


def queue_delivery_batches(ids: Iterable[int]) -> None:
    """Hand ids to Celery in messages of ``DELIVERY_BATCH`` ids: what the sweep calls after its
    commit, so that thousands of new e-mails cost it a few publishes, not one each. A broker error
    is logged, not raised: the rows stay pending and ``deliver_pending`` catches up."""
    ids = list(ids)
    for start in range(0, len(ids), DELIVERY_BATCH):
        chunk = ids[start : start + DELIVERY_BATCH]
        if not broker_breaker.available():
            logger.error("%s notifications not queued; deliver_pending will retry them", len(ids) - start)
            return
        try:
            deliver_batch.delay(chunk)
        except Exception as exc:  # noqa: BLE001 - after the commit nothing may raise; the rows stay pending
            broker_breaker.failed(exc)
            logger.error("%s notifications not queued; deliver_pending will retry them", len(ids) - start)
            return
        broker_breaker.succeeded()


def store_notifications(rows: list[Notification]) -> int:
    """Insert ignoring duplicates, then queue the new deliverable ones once the transaction commits.

    A duplicate (the same event offered again) is neither inserted nor queued again; a row whose
    queueing was lost is picked up by ``deliver_pending``. Returns the number of rows handed to
    the database.
    """
    if not rows:
        return 0
    # Only the rows that went in: a duplicate (the same event offered again) returns nothing.
    new = inserts.insert_new(rows, returning=("id", "channel"))
    ids = [pk for pk, channel in new if channel != NotificationChannel.IN_APP]
    if ids:
        transaction.on_commit(lambda: queue_deliveries(ids))
    return len(rows)
