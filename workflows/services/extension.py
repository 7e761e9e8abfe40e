"""The apology letter with a new appointment (once per dossier, by a head, with notice)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from core.exceptions import Conflict, InvalidInput
from core.roles import agency_id_of

from .. import clock, deadlines, rules, visibility
from ..models import (
    OPEN_STATUSES,
    Dossier,
    DossierExtension,
    DossierStatus,
    EventAction,
)
from ..permissions import Action, require
from ._common import _forget_deadline_warnings, _record
from ._locks import lock_dossier


def dossier_extend(
    *, dossier: Dossier | int, by: AbstractBaseUser, new_due_at: dt.datetime, reason: str
) -> DossierExtension:
    """The apology letter with a new appointment: a head, once per dossier, with notice."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Cần nêu lý do chậm trễ.", fields={"reason": ["Bắt buộc."]})
    if new_due_at.tzinfo is None or new_due_at.utcoffset() is None:
        raise InvalidInput("Ngày hẹn mới cần có múi giờ.", fields={"new_due_at": ["Thiếu múi giờ."]})
    with transaction.atomic():
        locked = lock_dossier(dossier)
        require(by, Action.EXTEND, locked)
        if locked.status not in OPEN_STATUSES:
            raise Conflict("Hồ sơ đã kết thúc xử lý.")
        if locked.status == DossierStatus.WAITING_SUPPLEMENT:
            # The clock is stopped and the return moves (or restarts) the appointment: a date
            # promised now would be overwritten.
            raise Conflict("Hồ sơ đang chờ bổ sung, thời hạn đang tạm dừng: chưa thể hẹn lại.", code="paused")
        if locked.extended or DossierExtension.objects.filter(dossier=locked).exists():
            raise Conflict("Hồ sơ chỉ được hẹn lại một lần.", code="already_extended")
        if new_due_at <= locked.due_at:
            raise InvalidInput(
                "Ngày hẹn mới phải sau ngày hẹn hiện tại.", fields={"new_due_at": ["Quá sớm."]}
            )
        now = clock.now()
        calendar = deadlines.calendar()
        latest = rules.latest_extension(locked.due_at, locked.version, calendar=calendar)
        if new_due_at > latest:
            raise InvalidInput(
                f"Ngày hẹn mới không được sau {latest.astimezone(deadlines.OFFICE_TZ):%H:%M %d/%m/%Y}"
                " (thời hạn theo quy định tính từ ngày hẹn hiện tại).",
                fields={"new_due_at": ["Quá xa."]},
            )
        last_day = rules.extension_last_day(
            locked.due_at, notice_days=settings.ONESTOP_EXTENSION_NOTICE_WORKING_DAYS, calendar=calendar
        )
        if deadlines.office_date(now) > last_day:
            raise InvalidInput(
                f"Văn bản xin lỗi phải gửi chậm nhất ngày {last_day:%d/%m/%Y}.",
                code="too_late",
                fields={"new_due_at": ["Quá hạn gửi văn bản xin lỗi."]},
            )
        previous_due = locked.due_at
        try:
            with transaction.atomic():
                extension = DossierExtension.objects.create(
                    dossier=locked,
                    previous_due_at=previous_due,
                    new_due_at=new_due_at,
                    reason=reason,
                    created_by=by,
                    created_at=now,
                )
        except IntegrityError as exc:
            raise Conflict("Hồ sơ chỉ được hẹn lại một lần.", code="already_extended") from exc
        locked.due_at = new_due_at
        locked.extended = True
        _forget_deadline_warnings(locked)
        locked.save(
            update_fields=["due_at", "extended", "due_soon_notified_at", "overdue_notified_at", "updated_at"]
        )
        visibility.sync(locked)
        _record(
            locked,
            action=EventAction.EXTENDED,
            at=now,
            by=by,
            from_status=locked.status,
            agency_id=agency_id_of(by),
            due_at=new_due_at,
            reason=reason,
            data={"previous_due_at": previous_due.isoformat()},
        )
    return extension
