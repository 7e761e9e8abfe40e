"""Listening to the workflow's transitions: an outbox row inside, a delivery queued after commit."""

from __future__ import annotations

from .config import portal_enabled
from .outbox import queue_delivery, write_sync_row_for


def write_sync_row(sender, *, dossier_id: int, action: str, to_status: str, dossier=None, event=None, **kw):
    """In the transition's transaction (``dossier_transition_recorded``): one INSERT when the
    portal is on, nothing at all when it is off."""
    if portal_enabled():
        write_sync_row_for(
            dossier=dossier, dossier_id=dossier_id, action=action, to_status=to_status, event=event
        )


def queue_after_commit(sender, *, dossier_id: int, action: str, to_status: str, **kwargs) -> None:
    """After the commit (``dossier_transition``): hand the dossier to the delivery task; a broker
    error is swallowed (``deliver_pending`` catches up)."""
    if portal_enabled():
        queue_delivery([dossier_id])
