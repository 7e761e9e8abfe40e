"""Delivering a dossier's sync rows to the portal, strictly in order, each once.

The head of a dossier's queue is its lowest unsent row. It is locked with ``SELECT … FOR UPDATE
SKIP LOCKED`` (PostgreSQL; SQLite runs one writer at a time), re-checked as still pending under the
lock, sent, and marked sent in the same transaction. A later row is never read before every earlier
one is sent: a failure stops the dossier's queue until the head's backoff ends, and a row that
exhausted ``ONESTOP_PORTAL_MAX_ATTEMPTS`` (``failed``) holds it until a supervisor retries it.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from workflows.models import Dossier

from .client import PortalError
from .codes import DOSSIER
from .config import get_client
from .models import SyncRow, SyncStatus

logger = logging.getLogger(__name__)

SENT, DONE, WAITING, BUSY, RETRY, FAILED, BLOCKED = (
    "sent", "done", "waiting", "busy", "retry", "failed", "blocked",
)  # fmt: skip
BACKOFF_SECONDS = 30
BACKOFF_MAX_SECONDS = 3600


def backoff_seconds(attempts: int) -> int:
    """Seconds before attempt ``attempts + 1``: 30, 60, 120… up to an hour."""
    return min(BACKOFF_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS)


def _extras(dossier_id: int) -> dict[str, Any]:
    """What a dossier call carries beyond the snapshot: the field's code, the portal's own id."""
    row = (
        Dossier.objects.filter(pk=dossier_id)
        .values("procedure__field__code", "portal_online__portal_id")
        .first()
    ) or {}
    extras = {"MaLinhVuc": row.get("procedure__field__code") or ""}
    if row.get("portal_online__portal_id"):
        extras["MaHoSoQG"] = row["portal_online__portal_id"]
    return extras


def _send(client, row: SyncRow, extras: dict[str, Any]) -> None:
    if row.kind == DOSSIER:
        client.push_dossier({**row.payload, **extras})
    else:
        client.push_progress(dict(row.payload))


def _deliver_head(dossier_id: int, client, now: dt.datetime, extras: dict) -> tuple[str, float]:
    with transaction.atomic():
        head = (
            SyncRow.objects.filter(dossier_id=dossier_id)
            .exclude(status=SyncStatus.SENT)
            .order_by("sequence")
            .values("pk", "status", "next_attempt_at")
            .first()
        )
        if head is None:
            return DONE, 0
        if head["status"] == SyncStatus.FAILED:
            return BLOCKED, 0
        if head["next_attempt_at"] is not None and head["next_attempt_at"] > now:
            return WAITING, (head["next_attempt_at"] - now).total_seconds()
        row = (
            SyncRow.objects.select_for_update(skip_locked=True)
            .filter(pk=head["pk"], status=SyncStatus.PENDING)
            .first()
        )
        if row is None:
            return BUSY, 0
        if not extras and row.kind == DOSSIER:
            extras.update(_extras(dossier_id))
        row.attempts += 1
        try:
            _send(client, row, extras)
        except PortalError as exc:
            logger.warning(
                "Portal sync %s (dossier %s) attempt %s: %s", row.pk, dossier_id, row.attempts, exc
            )
            row.last_error = str(exc)[:2000]
            if row.attempts >= settings.ONESTOP_PORTAL_MAX_ATTEMPTS:
                row.status, row.next_attempt_at, outcome, wait = SyncStatus.FAILED, None, FAILED, 0.0
            else:
                wait = float(backoff_seconds(row.attempts))
                row.next_attempt_at, outcome = now + dt.timedelta(seconds=wait), RETRY
        else:
            row.status, row.sent_at, row.next_attempt_at = SyncStatus.SENT, now, None
            outcome, wait = SENT, 0.0
        row.save(update_fields=["attempts", "last_error", "status", "sent_at", "next_attempt_at"])
        return outcome, wait


def deliver_dossier(*, dossier_id: int, client=None, now: dt.datetime | None = None) -> tuple[str, float]:
    """Send the dossier's rows in order until none is left or one fails.

    Returns why it stopped (``DONE``, ``WAITING``, ``BUSY``, ``RETRY``, ``FAILED``, ``BLOCKED``)
    and, for ``WAITING`` and ``RETRY``, the seconds until the head may be tried again.
    """
    client = client or get_client()
    extras: dict[str, Any] = {}
    while True:
        outcome, wait = _deliver_head(dossier_id, client, now or timezone.now(), extras)
        if outcome != SENT:
            return outcome, wait


def due_dossiers(*, now: dt.datetime, limit: int = 1000) -> list[int]:
    """Dossiers whose head (lowest unsent row) is pending and due: the partial index
    ``portal_sync_due`` finds due rows, the unique (dossier, sequence) index checks none is before."""
    earlier_unsent = SyncRow.objects.filter(
        dossier_id=OuterRef("dossier_id"), sequence__lt=OuterRef("sequence")
    ).exclude(status=SyncStatus.SENT)
    return list(
        SyncRow.objects.filter(status=SyncStatus.PENDING, next_attempt_at__lte=now)
        .filter(~Exists(earlier_unsent))
        .order_by("dossier_id")
        .values_list("dossier_id", flat=True)
        .distinct()[:limit]
    )
