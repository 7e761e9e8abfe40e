"""Officers' work on steps: claim, release, reassign and the decision that completes a step."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from core.exceptions import Conflict, InvalidInput, NotAllowed

from .. import clock, deadlines, flows
from ..models import (
    Decision,
    DossierPause,
    DossierStatus,
    DossierTask,
    EventAction,
    Result,
    TaskStatus,
)
from ..permissions import Action, can, require
from ._common import _documents, _finish, _flow_errors, _lock_task, _record


def task_claim(*, task: DossierTask | int, by: AbstractBaseUser) -> DossierTask:
    """Take an open task from the agency's queue; claiming one's own task again changes nothing."""
    with transaction.atomic():
        locked = _lock_task(task)
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
        locked = _lock_task(task)
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
        locked = _lock_task(task)
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


DECISION_ACTIONS = {
    Decision.APPROVE: EventAction.APPROVED,
    Decision.SEND_BACK: EventAction.SENT_BACK,
    Decision.REQUEST_SUPPLEMENT: EventAction.SUPPLEMENT_REQUESTED,
    Decision.REFUSE: EventAction.REFUSED,
}


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
    ``request_supplement`` and ``refuse`` end the stage at once and cancel its other steps.
    Completed once: the dossier row lock makes a second submit wait, then fail with ``Conflict``.
    """
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

    with transaction.atomic(), _flow_errors():
        locked = _lock_task(task)
        dossier = locked.dossier
        require(by, Action.COMPLETE, locked)
        if locked.status != TaskStatus.OPEN:
            raise Conflict("Bước này đã được xử lý hoặc đã bị hủy.", code="already_completed")
        if dossier.status != DossierStatus.PROCESSING or locked.stage != dossier.current_stage:
            raise Conflict("Hồ sơ không ở bước này.")
        if locked.owner_id not in (None, by.pk):
            raise NotAllowed("Bước này đã giao cho cán bộ khác.")
        if decision == Decision.SEND_BACK and locked.stage == 0:
            raise InvalidInput(
                "Đây là bước đầu tiên, không có bước trước để trả lại.", fields={"decision": ["send_back"]}
            )

        now = clock.now()
        calendar = deadlines.calendar()
        from_status = dossier.status
        started = locked.started_at or now
        locked.status = TaskStatus.DONE
        locked.owner = by
        locked.assigned_at = locked.assigned_at or now
        locked.started_at = started
        locked.finished_at = now
        locked.decision = decision
        locked.note = note
        locked.reasons = reasons
        locked.verdict = deadlines.verdict(now, locked.due_at)
        locked.wait_hours = deadlines.hours_between(locked.created_at, started, calendar=calendar)
        locked.work_hours = deadlines.hours_between(started, now, calendar=calendar)

        stage_size = sum(1 for step in flows.version_steps(dossier.version) if step.stage == locked.stage)
        transition = flows.Transition(
            dossier=dossier, at=now, cut_short=decision != Decision.APPROVE, solo_step=stage_size == 1
        )
        dossier_changed = True
        if decision == Decision.APPROVE:
            stage_open = (
                stage_size > 1
                and DossierTask.objects.filter(dossier=dossier, stage=locked.stage, status=TaskStatus.OPEN)
                .exclude(pk=locked.pk)
                .exists()
            )
            if stage_open:
                dossier_changed = False
                transition.stage_done = False
            elif dossier.current_stage + 1 < dossier.stage_count:
                dossier.current_stage += 1
            else:
                _finish(dossier, result=Result.APPROVED, at=now, calendar=calendar)
        elif decision == Decision.SEND_BACK:
            dossier.current_stage -= 1
        elif decision == Decision.REQUEST_SUPPLEMENT:
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
        else:
            dossier.reasons = reasons
            _finish(dossier, result=Result.REFUSED, at=now, calendar=calendar)

        if transition.cut_short:
            DossierTask.objects.filter(dossier=dossier, stage=locked.stage, status=TaskStatus.OPEN).exclude(
                pk=locked.pk
            ).update(status=TaskStatus.CANCELLED, finished_at=now)
        locked.save(
            update_fields=[
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
        )
        flows.complete_step(locked.flow_task, transition=transition, owner=by)
        if dossier_changed:
            dossier.save(
                update_fields=[
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
            )
        _record(
            dossier,
            action=DECISION_ACTIONS[decision],
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
