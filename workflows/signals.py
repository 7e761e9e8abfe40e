"""Where other apps plug into dossier transitions: two signals per transition.

Services call :func:`emit` after writing a transition's ``DossierEvent``.

* ``dossier_transition_recorded`` is sent at once, inside the service's transaction: receivers
  that write rows (the notification outbox) commit or roll back with the transition, so a crash
  between the two can lose nothing. Receivers must be quick and must not call out of the process.
* ``dossier_transition`` is sent only after the transaction commits (``transaction.on_commit``),
  so receivers that talk to the outside world (a portal sync) never see a rolled-back change; they
  should queue Celery tasks rather than work inline.

Both carry ``dossier_id``, ``action`` (an ``EventAction`` value), ``event_id`` and ``to_status``;
``dossier_transition_recorded`` also carries ``dossier``, the service's locked, up-to-date
instance, and ``event``, the ``DossierEvent`` just written (its task and actor in memory), so that
receivers need not read them again (read-only: do not save them).
"""

from django.db import transaction
from django.dispatch import Signal

dossier_transition_recorded = Signal()
dossier_transition = Signal()


def emit(*, dossier_id: int, action: str, event_id: int, to_status: str, dossier=None, event=None) -> None:
    from .models import Dossier

    kwargs = {"dossier_id": dossier_id, "action": action, "event_id": event_id, "to_status": to_status}
    dossier_transition_recorded.send(sender=Dossier, dossier=dossier, event=event, **kwargs)
    transaction.on_commit(lambda: dossier_transition.send(sender=Dossier, **kwargs))
