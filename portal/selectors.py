"""Reads: what the supervisors see of the outbox."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import SyncRow, SyncStatus

WAITING = (SyncStatus.PENDING, SyncStatus.FAILED)


def outbox_rows(*, status: str | None = None, dossier_id: int | None = None) -> QuerySet[SyncRow]:
    """Rows newest first, with their dossier's code; ``status`` None = waiting or failed."""
    rows = SyncRow.objects.select_related("dossier").only(
        "id", "dossier__code", "sequence", "kind", "portal_status", "status", "attempts",
        "created_at", "next_attempt_at", "sent_at", "last_error",
    )  # fmt: skip
    rows = rows.filter(status=status) if status else rows.filter(status__in=WAITING)
    if dossier_id is not None:
        rows = rows.filter(dossier_id=dossier_id)
    return rows.order_by("-id")


def outbox_counts() -> dict[str, int]:
    from django.db.models import Count

    counts = dict(SyncRow.objects.filter(status__in=WAITING).values_list("status").annotate(n=Count("id")))
    return {status: counts.get(status, 0) for status in WAITING}
