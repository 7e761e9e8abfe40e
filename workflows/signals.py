"""Where notifications plug in: one signal per committed transition.

Services call :func:`emit` after writing a transition's ``DossierEvent``; the signal is sent only
after the transaction commits (``transaction.on_commit``), so receivers (e-mail, SMS, the national
portal sync) never see a rolled-back change. Receivers get ``dossier_id``, ``action`` (an
``EventAction`` value) and ``event_id``, and should queue Celery tasks rather than work inline.
"""

from django.db import transaction
from django.dispatch import Signal

dossier_transition = Signal()


def emit(*, dossier_id: int, action: str, event_id: int) -> None:
    def send() -> None:
        from .models import Dossier

        dossier_transition.send(sender=Dossier, dossier_id=dossier_id, action=action, event_id=event_id)

    transaction.on_commit(send)
