"""Writing sync rows (in the transition's transaction) and handing dossiers to the delivery task."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from celery import shared_task
from django.db.models import Max, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.outage import broker_breaker
from workflows.models import Dossier, DossierEvent

from .codes import DOSSIER, sync_call
from .delivery import RETRY, deliver_dossier
from .models import SyncRow
from .payloads import dossier_payload, progress_payload

logger = logging.getLogger(__name__)


def next_sequence(dossier_id: int) -> Coalesce:
    """``MAX(sequence) + 1`` of the dossier's rows, evaluated by the INSERT itself (one statement).
    The transition holds the dossier's row lock, so two transitions cannot take the same number."""
    latest = (
        SyncRow.objects.filter(dossier_id=dossier_id)
        .order_by()
        .values("dossier_id")
        .annotate(last=Max("sequence"))
        .values("last")
    )
    return Coalesce(Subquery(latest), Value(0)) + 1


def write_sync_row_for(
    *, dossier: Dossier | None, dossier_id: int, action: str, to_status: str, event: DossierEvent | None
) -> SyncRow | None:
    """One row for the transition, or none when the portal is not told about it (``codes``)."""
    call = sync_call(action, to_status)
    if call is None:
        return None
    kind, code = call
    if dossier is None or dossier.pk != dossier_id:
        dossier = Dossier.objects.select_related("procedure", "receiving_agency").get(pk=dossier_id)
    if event is None:
        event = DossierEvent.objects.filter(dossier_id=dossier_id).order_by("-id").first()
    if kind == DOSSIER:
        payload = dossier_payload(dossier, code=code, event=event)
    else:
        payload = progress_payload(dossier, code=code, event=event)
    now = timezone.now()
    return SyncRow.objects.create(
        dossier_id=dossier_id,
        sequence=next_sequence(dossier_id),
        kind=kind,
        portal_status=code,
        event=event,
        payload=payload,
        created_at=now,
        next_attempt_at=now,
    )


@shared_task(bind=True, name="portal.deliver", acks_late=True, ignore_result=True)
def deliver_dossier_task(self, dossier_id: int) -> str:
    """Send the dossier's pending rows in order; on a failure, come back after the row's backoff.

    Idempotent: rows already sent are never sent again, and a dossier another worker is
    delivering is left to it (its head row is locked, ``SKIP LOCKED``).
    """
    outcome, wait = deliver_dossier(dossier_id=dossier_id)
    if outcome == RETRY:
        queue_delivery([dossier_id], countdown=wait)
    return outcome


def queue_delivery(dossier_ids: Iterable[int], *, countdown: float | None = None) -> None:
    """Hand dossiers to Celery. A broker error is logged, not raised: ``deliver_pending`` catches
    up; while ``broker_breaker`` is open nothing is tried, so the desk pays no timeout."""
    ids = list(dossier_ids)
    for position, dossier_id in enumerate(ids):
        if not broker_breaker.available():
            logger.error("%s portal deliveries not queued; deliver_pending will", len(ids) - position)
            return
        try:
            deliver_dossier_task.apply_async((dossier_id,), countdown=countdown)
        except Exception as exc:  # noqa: BLE001 - after the commit nothing may raise; rows stay pending
            broker_breaker.failed(exc)
            logger.warning("Could not queue the portal delivery of dossier %s", dossier_id)
        else:
            broker_breaker.succeeded()
