"""Shared by every use case: the row locks, the audit event, concurrency errors, documents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import OperationalError
from viewflow.workflow.exceptions import FlowLockFailed

from core import inserts
from core.exceptions import Conflict, InvalidInput
from procedures.models import DocumentKind

from .. import rules
from ..models import (
    Dossier,
    DossierEvent,
    DossierStatus,
    DossierTask,
)
from ..signals import emit


@contextmanager
def _flow_errors() -> Iterator[None]:
    """A process lock not taken, or the database breaking a lock cycle, is a concurrent change:
    409, not 500 (docs/viewflow.md, note 3)."""
    try:
        yield
    except FlowLockFailed as exc:
        raise Conflict("Hồ sơ đang được người khác xử lý, vui lòng thử lại.", code="locked") from exc
    except OperationalError as exc:
        if getattr(getattr(exc, "__cause__", None), "sqlstate", None) not in ("40P01", "40001"):
            raise
        raise Conflict("Hồ sơ đang được người khác xử lý, vui lòng thử lại.", code="locked") from exc


def _record(
    dossier: Dossier,
    *,
    action: str,
    at: dt.datetime,
    by: AbstractBaseUser | None,
    from_status: str,
    task: DossierTask | None = None,
    step_id: int | None = None,
    agency_id: int | None = None,
    due_at: dt.datetime | None = None,
    verdict: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> DossierEvent:
    event = DossierEvent(
        dossier=dossier,
        at=at,
        actor=by if by is not None and by.is_authenticated else None,
        actor_username=by.get_username() if by is not None and by.is_authenticated else "",
        action=action,
        from_status=from_status,
        to_status=dossier.status,
        task=task,
        step_id=step_id if step_id is not None else (task.step_id if task else None),
        agency_id=agency_id if agency_id is not None else (task.agency_id if task else None),
        due_at=due_at,
        verdict=verdict,
        reason=reason,
        data=data or {},
    )
    inserts.insert([event])
    emit(dossier_id=dossier.pk, action=action, event_id=event.pk, to_status=dossier.status,
         dossier=dossier, event=event)  # fmt: skip
    return event


def _forget_deadline_warnings(dossier: Dossier) -> None:
    """A new due time deserves its own due-soon and overdue warnings from the deadline sweep."""
    dossier.due_soon_notified_at = None
    dossier.overdue_notified_at = None


def _finish(dossier: Dossier, *, result: str, at: dt.datetime, calendar) -> None:
    """Processing is over: verdict against the appointment and working hours for the reports."""
    dossier.status = DossierStatus.RESULT_READY
    dossier.result = result
    dossier.finished_at = at
    dossier.verdict = rules.verdict(at, dossier.due_at)
    dossier.processing_hours = rules.processing_hours(
        dossier.received_at, at, dossier.paused_hours, calendar=calendar
    )


def _documents(documents: Sequence[Any] | None, field: str = "documents") -> list[dict[str, Any]]:
    """``[{"name", "kind", "count"}]``; a plain string is one original."""
    if documents is None:
        return []
    if not isinstance(documents, (list, tuple)):
        raise InvalidInput("Danh sách giấy tờ không hợp lệ.", fields={field: ["Phải là danh sách."]})
    result = []
    for index, item in enumerate(documents):
        if isinstance(item, str):
            item = {"name": item}
        name = str(item.get("name") or "").strip() if isinstance(item, dict) else ""
        kind = item.get("kind") or DocumentKind.ORIGINAL if isinstance(item, dict) else None
        count = item.get("count", 1) if isinstance(item, dict) else None
        if not name or kind not in DocumentKind.values or not isinstance(count, int) or count < 1:
            raise InvalidInput(
                "Giấy tờ không hợp lệ.",
                fields={
                    f"{field}[{index}]": ["Cần tên, loại (original/certified_copy/copy) và số lượng ≥ 1."]
                },
            )
        result.append({"name": name, "kind": kind, "count": count})
    return result
