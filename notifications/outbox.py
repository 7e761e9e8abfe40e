"""The delivery queue: the Celery task that delivers one notification, and handing ids to it."""

import logging
from collections.abc import Iterable

from celery import shared_task

from core.outage import broker_breaker
from notifications.delivery import RETRY, deliver

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
