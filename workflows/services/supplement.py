"""The applicant's supplement comes back: processing resumes at the same stage."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from core.exceptions import Conflict, InvalidInput

from .. import clock, deadlines, rules, visibility
from ..flow.transition import Transition
from ..models import (
    Dossier,
    DossierStatus,
    EventAction,
)
from ..permissions import Action, require
from . import _driving as driving
from ._common import (
    _documents,
    _flow_errors,
    _forget_deadline_warnings,
    _record,
)
from ._locks import lock_dossier


def dossier_supplement_received(
    *, dossier: Dossier | int, by: AbstractBaseUser, documents: Sequence[Any]
) -> Dossier:
    """The desk records the applicant's supplement; processing resumes at the same stage.

    The new appointment is ``rules.due_after_supplement`` (mode ``pause`` or ``restart``).
    """
    docs = _documents(documents)
    if not docs:
        raise InvalidInput("Cần liệt kê giấy tờ đã bổ sung.", fields={"documents": ["Bắt buộc."]})
    with transaction.atomic(), _flow_errors():
        locked = lock_dossier(dossier)
        require(by, Action.RECEIVE_SUPPLEMENT, locked)
        if locked.status != DossierStatus.WAITING_SUPPLEMENT:
            raise Conflict("Hồ sơ không ở trạng thái chờ bổ sung.")
        pause = locked.pauses.filter(ended_at__isnull=True).order_by("-started_at").first()
        if pause is None:
            raise Conflict("Không có yêu cầu bổ sung đang mở.")
        now = clock.now()
        calendar = deadlines.calendar()
        previous_due = locked.due_at
        locked.due_at, waited = rules.due_after_supplement(
            mode=pause.mode,
            due_at=locked.due_at,
            paused_from=pause.started_at,
            returned_at=now,
            version=locked.version,
            calendar=calendar,
        )
        pause.ended_at = now
        pause.save(update_fields=["ended_at"])
        locked.paused_hours += waited
        locked.paused_at = None
        locked.status = DossierStatus.PROCESSING
        locked.documents = list(locked.documents) + docs
        _forget_deadline_warnings(locked)
        transition = Transition(dossier=locked, at=now)
        driving.resume_after_supplement(locked.process, transition=transition)
        locked.save(
            update_fields=[
                "due_at",
                "paused_hours",
                "paused_at",
                "status",
                "documents",
                "due_soon_notified_at",
                "overdue_notified_at",
                "updated_at",
            ]
        )
        visibility.sync(locked)
        _record(
            locked,
            action=EventAction.SUPPLEMENT_RECEIVED,
            at=now,
            by=by,
            from_status=DossierStatus.WAITING_SUPPLEMENT,
            agency_id=locked.receiving_agency_id,
            due_at=locked.due_at,
            data={
                "mode": pause.mode,
                "paused_hours": waited,
                "previous_due_at": previous_due.isoformat(),
                "documents": docs,
                "opened": [task.pk for task in transition.opened],
            },
        )
    return locked
