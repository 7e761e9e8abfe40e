"""Retention of delivered sync rows: the portal outbox is a delivery queue, not the audit trail.

A sync row is a message to the national portal; the dossier's history is its ``DossierEvent``
trail (append-only, never deleted). Rows ``sent`` more than ``ONESTOP_DELIVERED_RETENTION_DAYS``
ago are deleted daily (``portal.purge_delivered``), except each dossier's last row: the next row's
``sequence`` is ``MAX(sequence) + 1`` of the dossier's rows (``outbox.next_sequence``), so the
last one keeps the numbering going. ``pending`` and ``failed`` rows are never deleted (delivery
waits on them in order). Set based, in batches of one SELECT and one DELETE. 0 days keeps everything.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef

from core.batches import delete_in_batches

from .models import SyncRow, SyncStatus

BATCH = 5000


def purgeable(cutoff: dt.datetime):
    later = SyncRow.objects.filter(dossier_id=OuterRef("dossier_id"), sequence__gt=OuterRef("sequence"))
    return SyncRow.objects.filter(status=SyncStatus.SENT, sent_at__lt=cutoff).filter(Exists(later))


def purge_delivered_sync_rows(*, now: dt.datetime, days: int, batch_size: int = BATCH) -> int:
    """Delete the purgeable rows in batches; the number deleted."""
    if days <= 0:
        return 0
    cutoff = now - dt.timedelta(days=days)
    return delete_in_batches(purgeable(cutoff), order_by="sent_at", batch_size=batch_size)
