"""The end of a dossier's life at the desk: withdrawal, handing over the result, the rating."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from core.exceptions import Conflict, InvalidInput

from .. import clock, deadlines, visibility
from ..models import (
    OPEN_STATUSES,
    Dossier,
    DossierRating,
    DossierStatus,
    EventAction,
    TaskStatus,
)
from ..permissions import Action, require
from . import _driving as driving
from ._common import _flow_errors, _record
from ._locks import lock_dossier


def dossier_withdraw(*, dossier: Dossier | int, by: AbstractBaseUser, reason: str = "") -> Dossier:
    """The applicant withdraws at the desk: open tasks and the process are cancelled."""
    with transaction.atomic(), _flow_errors():
        locked = lock_dossier(dossier)
        require(by, Action.WITHDRAW, locked)
        if locked.status not in OPEN_STATUSES:
            raise Conflict("Hồ sơ đã kết thúc xử lý, không thể rút.")
        now = clock.now()
        from_status = locked.status
        if locked.process is not None:
            driving.cancel(locked.process)
        locked.tasks.filter(status=TaskStatus.OPEN).update(status=TaskStatus.CANCELLED, finished_at=now)
        if from_status == DossierStatus.WAITING_SUPPLEMENT:
            calendar = deadlines.calendar()
            pause = locked.pauses.filter(ended_at__isnull=True).first()
            if pause is not None:
                pause.ended_at = now
                pause.save(update_fields=["ended_at"])
                locked.paused_hours += deadlines.hours_between(pause.started_at, now, calendar=calendar)
        locked.status = DossierStatus.WITHDRAWN
        locked.withdrawn_at = now
        locked.paused_at = None
        locked.save(update_fields=["status", "withdrawn_at", "paused_at", "paused_hours", "updated_at"])
        visibility.sync(locked)
        _record(
            locked,
            action=EventAction.WITHDRAWN,
            at=now,
            by=by,
            from_status=from_status,
            agency_id=locked.receiving_agency_id,
            reason=reason,
        )
    return locked


def dossier_return_result(*, dossier: Dossier | int, by: AbstractBaseUser) -> Dossier:
    """The desk hands the result (approval or refusal) to the applicant."""
    with transaction.atomic():
        locked = lock_dossier(dossier)
        require(by, Action.RETURN_RESULT, locked)
        if locked.status != DossierStatus.RESULT_READY:
            raise Conflict("Hồ sơ chưa có kết quả để trả.")
        now = clock.now()
        locked.status = DossierStatus.RETURNED
        locked.returned_at = now
        locked.save(update_fields=["status", "returned_at", "updated_at"])
        visibility.sync(locked)
        _record(
            locked,
            action=EventAction.RESULT_RETURNED,
            at=now,
            by=by,
            from_status=DossierStatus.RESULT_READY,
            agency_id=locked.receiving_agency_id,
            data={"result": locked.result},
        )
    return locked


def dossier_rate(*, code: str, key: str, score: int, comment: str = "") -> DossierRating:
    """The citizen rates the service once, after the result was handed over."""
    from ..selectors import dossier_public_lookup

    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
        raise InvalidInput("Điểm đánh giá từ 1 đến 5.", fields={"score": ["1–5."]})
    found = dossier_public_lookup(code=code, key=key)
    with transaction.atomic():
        locked = lock_dossier(found.pk)
        if locked.status != DossierStatus.RETURNED:
            raise Conflict("Chỉ đánh giá được sau khi nhận kết quả.")
        now = clock.now()
        try:
            with transaction.atomic():
                rating = DossierRating.objects.create(
                    dossier=locked, score=score, comment=(comment or "").strip()
                )
        except IntegrityError as exc:
            raise Conflict("Hồ sơ đã được đánh giá.", code="already_rated") from exc
        _record(
            locked,
            action=EventAction.RATED,
            at=now,
            by=None,
            from_status=locked.status,
            data={"score": score},
        )
    return rating
