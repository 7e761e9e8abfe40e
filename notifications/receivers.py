"""Citizen notifications for dossier transitions, written in the transition's own transaction."""

from workflows.models import DossierStatus, EventAction

from .models import NotificationKind
from .services import notify_dossier_event

ACTION_KINDS = {
    EventAction.REGISTERED: NotificationKind.RECEIVED,
    EventAction.SUPPLEMENT_REQUESTED: NotificationKind.SUPPLEMENT_REQUESTED,
    EventAction.EXTENDED: NotificationKind.APOLOGY,
}


def citizen_kind(*, action: str, to_status: str) -> str | None:
    """What the applicant is told about a transition, if anything."""
    if action in (EventAction.APPROVED, EventAction.REFUSED) and to_status == DossierStatus.RESULT_READY:
        return NotificationKind.RESULT_READY
    return ACTION_KINDS.get(action)


def notify_citizen(sender, *, dossier_id: int, action: str, to_status: str, dossier=None, **kwargs) -> None:
    kind = citizen_kind(action=action, to_status=to_status)
    if kind is not None:
        notify_dossier_event(dossier_id=dossier_id, kind=kind, dossier=dossier)
