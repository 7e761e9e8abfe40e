"""Celery tasks of the portal exchange; beat's schedule is in settings (``ONESTOP_PORTAL_*``)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .client import PortalError
from .config import get_client, portal_enabled
from .delivery import due_dossiers
from .intake import fetch_online_dossiers
from .outbox import deliver_dossier_task, queue_delivery
from .retention import purge_delivered_sync_rows

logger = logging.getLogger(__name__)


@shared_task(name="portal.deliver_pending", ignore_result=True)
def deliver_pending() -> int:
    """Queue every dossier with a row due for an attempt: nothing is lost if a worker died, the
    broker was down, or a retry's countdown message was lost."""
    if not portal_enabled():
        return 0
    ids = due_dossiers(now=timezone.now())
    queue_delivery(ids)
    if ids:
        logger.info("Queued the portal delivery of %s dossiers", len(ids))
    return len(ids)


@shared_task(name="portal.fetch_online", ignore_result=True)
def fetch_online() -> dict:
    """Register the dossiers filed online on the portal (each once)."""
    if not portal_enabled():
        return {}
    try:
        return fetch_online_dossiers(get_client()).as_dict()
    except PortalError as exc:
        logger.warning("Could not fetch the portal's online dossiers: %s", exc)
        return {"error": str(exc)}


@shared_task(name="portal.purge_delivered", ignore_result=True)
def purge_delivered() -> int:
    """Daily: sync rows sent more than ONESTOP_DELIVERED_RETENTION_DAYS ago (``retention``)."""
    deleted = purge_delivered_sync_rows(now=timezone.now(), days=settings.ONESTOP_DELIVERED_RETENTION_DAYS)
    if deleted:
        logger.info("Deleted %s delivered portal sync rows past their retention", deleted)
    return deleted


__all__ = ["deliver_dossier_task", "deliver_pending", "fetch_online", "purge_delivered"]
