"""Writes a supervisor makes on the outbox: retrying a row (the permission is checked here)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core.exceptions import Conflict, NotFound
from workflows.permissions import Action, require

from .models import SyncRow, SyncStatus
from .outbox import queue_delivery


def sync_retry(*, row_id: int, by) -> SyncRow:
    """Put a failed or waiting row back in the queue now, with a fresh count of attempts.

    A sent row cannot be retried (409). Delivery is queued after the commit; the row still waits
    for every earlier row of its dossier.
    """
    require(by, Action.MANAGE_PORTAL_SYNC)
    with transaction.atomic():
        row = SyncRow.objects.select_for_update().filter(pk=row_id).first()
        if row is None:
            raise NotFound("Không tìm thấy bản ghi đồng bộ.")
        if row.status == SyncStatus.SENT:
            raise Conflict("Bản ghi đã được gửi lên Cổng.", code="already_sent")
        row.status, row.attempts, row.next_attempt_at = SyncStatus.PENDING, 0, timezone.now()
        row.save(update_fields=["status", "attempts", "next_attempt_at"])
        dossier_id = row.dossier_id
        transaction.on_commit(lambda: queue_delivery([dossier_id]))
    return row
