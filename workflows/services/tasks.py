"""Officers' work on steps: claim, release, reassign and the decision that completes a step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from core.exceptions import Conflict, InvalidInput, NotAllowed

from .. import clock, deadlines, rules, visibility
from ..flow.transition import Transition, version_steps
from ..models import (
    Decision,
    Dossier,
    DossierPause,
    DossierStatus,
    DossierTask,
    EventAction,
    Result,
    TaskStatus,
)
from ..permissions import Action, can, require
from . import _driving as driving
from ._common import _documents, _finish, _flow_errors, _record
from ._locks import lock_task


def task_claim(*, task: DossierTask | int, by: AbstractBaseUser) -> DossierTask:
    """Take an open task from the agency's queue; claiming one's own task again changes nothing."""
    with transaction.atomic():
        locked = lock_task(task)
        require(by, Action.CLAIM, locked)
        if locked.status != TaskStatus.OPEN:
            raise Conflict("Bước này đã kết thúc.")
        if locked.owner_id == by.pk:
            return locked
        if locked.owner_id is not None:
            raise Conflict("Bước này đã có cán bộ khác nhận xử lý.")
        now = clock.now()
        locked.owner = by
        locked.assigned_at = now
        locked.started_at = locked.started_at or now
        locked.save(update_fields=["owner", "assigned_at", "started_at"])
        dossier = locked.dossier
        _record(
            dossier,
            action=EventAction.CLAIMED,
            at=now,
            by=by,
            from_status=dossier.status,
            task=locked,
            due_at=locked.due_at,
        )
    return locked


def task_release(*, task: DossierTask | int, by: AbstractBaseUser) -> DossierTask:
    """Put a claimed task back in the agency's queue (its owner or a supervisor)."""
    with transaction.atomic():
        locked = lock_task(task)
        require(by, Action.RELEASE, locked)
        if locked.status != TaskStatus.OPEN or locked.owner_id is None:
            raise Conflict("Bước này không có người nhận hoặc đã kết thúc.")
        previous = locked.owner_id
        locked.owner = None
        locked.assigned_at = None
        locked.save(update_fields=["owner", "assigned_at"])
        dossier = locked.dossier
        _record(
            dossier,
            action=EventAction.RELEASED,
            at=clock.now(),
            by=by,
            from_status=dossier.status,
            task=locked,
            due_at=locked.due_at,
            data={"previous_owner": previous},
        )
    return locked


def task_reassign(*, task: DossierTask | int, by: AbstractBaseUser, to_user: AbstractBaseUser) -> DossierTask:
    """A supervisor hands an open task to an officer of the task's agency with the step's role."""
    require(by, Action.REASSIGN)
    with transaction.atomic():
        locked = lock_task(task)
        if locked.status != TaskStatus.OPEN:
            raise Conflict("Bước này đã kết thúc.")
        if not can(to_user, Action.COMPLETE, locked):
            raise InvalidInput(
                "Người nhận phải là cán bộ của cơ quan xử lý, có vai trò của bước.",
                fields={"to_user": ["Không phù hợp."]},
            )
        now = clock.now()
        previous = locked.owner_id
        locked.owner = to_user
        locked.assigned_at = now
        locked.save(update_fields=["owner", "assigned_at"])
        dossier = locked.dossier
        _record(
            dossier,
            action=EventAction.REASSIGNED,
            at=now,
            by=by,
            from_status=dossier.status,
            task=locked,
            due_at=locked.due_at,
            data={"previous_owner": previous, "owner": to_user.pk},
        )
    return locked


_TASK_DONE_FIELDS = [
    "status",
    "owner",
    "assigned_at",
    "started_at",
    "finished_at",
    "decision",
    "note",
    "reasons",
    "verdict",
    "wait_hours",
    "work_hours",
]
_DOSSIER_DECIDED_FIELDS = [
    "status",
    "current_stage",
    "paused_at",
    "finished_at",
    "result",
    "verdict",
    "reasons",
    "processing_hours",
    "updated_at",
]


def task_complete(
    *,
    task: DossierTask | int,
    by: AbstractBaseUser,
    decision: str,
    note: str = "",
    missing_documents: Sequence[Any] | None = None,
    reasons: Sequence[str] | None = None,
) -> DossierTask:
    """Finish a step with a decision; the flow opens the next (or previous) stage or ends.

    ``approve`` ends the stage when it was its last open step; ``send_back``,
    ``request_supplement`` and ``refuse`` end the stage at once and cancel its other steps
    (``rules.after_decision``). Completed once: the dossier row lock makes a second submit wait,
    then fail with ``Conflict``.
    """
    reasons, missing = _decision_input(decision, note, reasons, missing_documents)
    with transaction.atomic(), _flow_errors():
        locked = lock_task(task)
        dossier = locked.dossier
        _check_may_decide(locked, by=by, decision=decision)
        now = clock.now()
        calendar = deadlines.calendar()
        from_status = dossier.status
        _close_task(locked, by=by, decision=decision, note=note, reasons=reasons, now=now, calendar=calendar)
        stage_size = sum(1 for step in version_steps(dossier.version) if step.stage == locked.stage)
        others_open = decision == Decision.APPROVE and stage_size > 1 and _others_open(locked)
        outcome = rules.after_decision(
            decision, stage=locked.stage, stage_count=dossier.stage_count, others_open=others_open
        )
        _apply(
            outcome, dossier, by=by, note=note, reasons=reasons, missing=missing, now=now, calendar=calendar
        )
        if outcome.cut_short:
            _cancel_rest_of_stage(locked, now=now)
        locked.save(update_fields=_TASK_DONE_FIELDS)
        transition = Transition(
            dossier=dossier,
            at=now,
            cut_short=outcome.cut_short,
            stage_done=outcome.stage_done,
            solo_step=stage_size == 1,
        )
        driving.complete_step(locked.flow_task, transition=transition, owner=by)
        if outcome.stage_done:
            dossier.save(update_fields=_DOSSIER_DECIDED_FIELDS)
            if dossier.status != from_status:  # a supplement asked for, or processing over
                visibility.sync(dossier)
        _record(
            dossier,
            action=rules.DECISION_ACTIONS[decision],
            at=now,
            by=by,
            from_status=from_status,
            task=locked,
            due_at=locked.due_at,
            verdict=locked.verdict,
            reason=note or "; ".join(reasons),
            data={
                "decision": decision,
                "stage": locked.stage,
                "next_stage": dossier.current_stage,
                "opened": [task.pk for task in transition.opened],
                "missing_documents": missing,
                "reasons": reasons,
            },
        )
    return locked


def _decision_input(
    decision: str, note: str, reasons: Sequence[str] | None, missing_documents: Sequence[Any] | None
) -> tuple[list[str], list[dict[str, Any]]]:
    """The cleaned reasons and missing documents, or ``InvalidInput`` when the decision lacks them."""
    if decision not in Decision.values:
        raise InvalidInput("Quyết định không hợp lệ.", fields={"decision": [", ".join(Decision.values)]})
    reasons = [str(reason).strip() for reason in reasons or [] if str(reason).strip()]
    missing = _documents(missing_documents, "missing_documents")
    if decision == Decision.REFUSE and not reasons:
        raise InvalidInput("Cần nêu lý do từ chối.", fields={"reasons": ["Bắt buộc."]})
    if decision == Decision.REQUEST_SUPPLEMENT and not missing:
        raise InvalidInput("Cần liệt kê giấy tờ cần bổ sung.", fields={"missing_documents": ["Bắt buộc."]})
    if decision == Decision.SEND_BACK and not (note.strip() or reasons):
        raise InvalidInput("Cần nêu lý do trả lại.", fields={"note": ["Bắt buộc."]})
    return reasons, missing


def _check_may_decide(task: DossierTask, *, by: AbstractBaseUser, decision: str) -> None:
    """The officer may decide this step now: their agency and role, the step open and current,
    not someone else's, and a send-back has a stage to go back to."""
    dossier = task.dossier
    require(by, Action.COMPLETE, task)
    if task.status != TaskStatus.OPEN:
        raise Conflict("Bước này đã được xử lý hoặc đã bị hủy.", code="already_completed")
    if dossier.status != DossierStatus.PROCESSING or task.stage != dossier.current_stage:
        raise Conflict("Hồ sơ không ở bước này.")
    if task.owner_id not in (None, by.pk):
        raise NotAllowed("Bước này đã giao cho cán bộ khác.")
    if decision == Decision.SEND_BACK and task.stage == 0:
        raise InvalidInput(
            "Đây là bước đầu tiên, không có bước trước để trả lại.", fields={"decision": ["send_back"]}
        )


def _close_task(
    task: DossierTask, *, by, decision: str, note: str, reasons: list[str], now: dt.datetime, calendar
) -> None:
    """The step's decision and its metrics: verdict against its due time, hours waited and worked."""
    started = task.started_at or now
    task.status = TaskStatus.DONE
    task.owner = by
    task.assigned_at = task.assigned_at or now
    task.started_at = started
    task.finished_at = now
    task.decision = decision
    task.note = note
    task.reasons = reasons
    task.verdict = rules.verdict(now, task.due_at)
    task.wait_hours = deadlines.hours_between(task.created_at, started, calendar=calendar)
    task.work_hours = deadlines.hours_between(started, now, calendar=calendar)


def _others_open(task: DossierTask) -> bool:
    """Whether other steps of the task's (parallel) stage are still open."""
    return (
        DossierTask.objects.filter(dossier_id=task.dossier_id, stage=task.stage, status=TaskStatus.OPEN)
        .exclude(pk=task.pk)
        .exists()
    )


def _apply(
    outcome: rules.Outcome,
    dossier: Dossier,
    *,
    by,
    note: str,
    reasons: list[str],
    missing: list[dict[str, Any]],
    now: dt.datetime,
    calendar,
) -> None:
    """Set the dossier's state from the outcome; a supplement request opens its pause."""
    if not outcome.stage_done:
        return
    dossier.current_stage = outcome.stage
    if outcome.status == DossierStatus.WAITING_SUPPLEMENT:
        dossier.status = DossierStatus.WAITING_SUPPLEMENT
        dossier.paused_at = now
        DossierPause.objects.create(
            dossier=dossier,
            stage=dossier.current_stage,
            mode=dossier.version.supplement_mode,
            missing_documents=missing,
            note=note,
            started_at=now,
            requested_by=by,
        )
    elif outcome.finished:
        if outcome.result == Result.REFUSED:
            dossier.reasons = reasons
        _finish(dossier, result=outcome.result, at=now, calendar=calendar)


def _cancel_rest_of_stage(task: DossierTask, *, now: dt.datetime) -> None:
    DossierTask.objects.filter(dossier_id=task.dossier_id, stage=task.stage, status=TaskStatus.OPEN).exclude(
        pk=task.pk
    ).update(status=TaskStatus.CANCELLED, finished_at=now)
