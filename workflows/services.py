"""Every change to a dossier, one function per use case (README "Dossiers and the workflow").

The API, the admin, the staff UI and Celery all call these, so the rules cannot drift apart. Each
function runs in one transaction, checks who may act (viewflow does not, pitfall 1), locks the
dossier row before reading its state (so two officers acting at once are serialised and the loser
gets ``Conflict``), sets the dossier's new state, drives the viewflow process, and writes exactly
one ``DossierEvent``. Notifications hook in through ``workflows.signals`` after commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Subquery
from viewflow.workflow.exceptions import FlowLockFailed

from core.exceptions import Conflict, InvalidInput, NotAllowed, NotFound
from core.roles import Role, agency_id_of, has_role
from procedures.calendar import next_working_instant
from procedures.models import DocumentKind, Procedure, ProcedureVersion, SupplementMode

from . import clock, deadlines, flows
from .models import (
    OPEN_STATUSES,
    ApplicantKind,
    Channel,
    Decision,
    Dossier,
    DossierEvent,
    DossierExtension,
    DossierPause,
    DossierRating,
    DossierSequence,
    DossierStatus,
    DossierTask,
    EventAction,
    Result,
    TaskStatus,
)
from .signals import emit

LOOKUP_KEY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: typed from a printed receipt
LOOKUP_KEY_LENGTH = 10

# ASCII digits only: ``\d`` alone also matches full-width and Arabic-Indic digits.
PERSON_ID_RE = re.compile(r"^\d{12}$", re.ASCII)  # căn cước công dân
TAX_CODE_RE = re.compile(r"^\d{10}(\d{3})?$", re.ASCII)  # mã số thuế / mã số doanh nghiệp (13 = branch)
PHONE_RE = re.compile(r"^0\d{9,10}$", re.ASCII)


# --- helpers ---------------------------------------------------------------------------------------


def hash_lookup_key(key: str) -> str:
    return hashlib.sha256(key.strip().upper().encode()).hexdigest()


def _new_lookup_key() -> str:
    return "".join(secrets.choice(LOOKUP_KEY_ALPHABET) for _ in range(LOOKUP_KEY_LENGTH))


@contextmanager
def _flow_errors() -> Iterator[None]:
    """A process lock not taken, or the database breaking a lock cycle, is a concurrent change:
    409, not 500 (pitfall 3)."""
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
    event = DossierEvent.objects.create(
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
    emit(dossier_id=dossier.pk, action=action, event_id=event.pk, to_status=dossier.status, dossier=dossier)
    return event


def _require_role_at(by: AbstractBaseUser, role: str, agency_id: int, what: str) -> None:
    if not has_role(by, role) or agency_id_of(by) != agency_id:
        raise NotAllowed(f"Chỉ {Role(role).label.lower()} của cơ quan có thẩm quyền mới được {what}.")


def _require_officer(by: AbstractBaseUser, task: DossierTask) -> None:
    """Only staff of the task's agency holding the step's role may claim or complete it."""
    if agency_id_of(by) != task.agency_id:
        raise NotAllowed("Bước này thuộc cơ quan khác.")
    if not has_role(by, task.role):
        raise NotAllowed(f"Bước này cần vai trò {Role(task.role).label}.")


def _lock_dossier(dossier: Dossier | int) -> Dossier:
    pk = dossier.pk if isinstance(dossier, Dossier) else dossier
    try:
        return (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("process", "version", "procedure", "receiving_agency")
            .get(pk=pk)
        )
    except Dossier.DoesNotExist as exc:
        raise NotFound("Không tìm thấy hồ sơ.") from exc


def _lock_task(task: DossierTask | int) -> DossierTask:
    """The task and its dossier, row-locked dossier first, as every other path locks them.

    Withdrawal and a decision that cuts a stage short hold the dossier row and then update task
    rows; locking a task before its dossier here would let two officers deadlock each other.
    """
    pk = task.pk if isinstance(task, DossierTask) else task
    dossier_id = DossierTask.objects.filter(pk=pk).values("dossier_id")
    if not Dossier.objects.select_for_update(of=("self",)).filter(pk__in=Subquery(dossier_id)).exists():
        raise NotFound("Không tìm thấy bước xử lý.")
    try:
        return (
            DossierTask.objects.select_for_update(of=("self",))
            .select_related(
                "dossier__version", "dossier__procedure", "dossier__receiving_agency", "flow_task__process"
            )
            .get(pk=pk)
        )
    except DossierTask.DoesNotExist as exc:
        raise NotFound("Không tìm thấy bước xử lý.") from exc


def _forget_deadline_warnings(dossier: Dossier) -> None:
    """A new due time deserves its own due-soon and overdue warnings from the deadline sweep."""
    dossier.due_soon_notified_at = None
    dossier.overdue_notified_at = None


def _finish(dossier: Dossier, *, result: str, at: dt.datetime, calendar) -> None:
    """Processing is over: verdict against the appointment and working hours for the reports."""
    dossier.status = DossierStatus.RESULT_READY
    dossier.result = result
    dossier.finished_at = at
    dossier.verdict = deadlines.verdict(at, dossier.due_at)
    elapsed = deadlines.hours_between(dossier.received_at, at, calendar=calendar)
    dossier.processing_hours = max(0.0, elapsed - dossier.paused_hours)


# --- intake ----------------------------------------------------------------------------------------


def validate_applicant(applicant: dict[str, Any]) -> dict[str, str]:
    """Normalised applicant fields, or ``InvalidInput`` naming every bad field."""
    if not isinstance(applicant, dict):
        raise InvalidInput("Thiếu thông tin người nộp.", fields={"applicant": ["Bắt buộc."]})
    errors: dict[str, list[str]] = {}
    kind = applicant.get("kind") or ApplicantKind.PERSON
    if kind not in ApplicantKind.values:
        errors["applicant.kind"] = ["Phải là person hoặc organisation."]
    name = str(applicant.get("name") or "").strip()
    if not name:
        errors["applicant.name"] = ["Bắt buộc."]
    elif len(name) > 255:
        errors["applicant.name"] = ["Tối đa 255 ký tự."]
    id_number = re.sub(r"[\s.\-]", "", str(applicant.get("id_number") or ""))
    if kind == ApplicantKind.ORGANISATION:
        if not TAX_CODE_RE.match(id_number):
            errors["applicant.id_number"] = ["Mã số thuế gồm 10 hoặc 13 chữ số."]
    elif not PERSON_ID_RE.match(id_number):
        errors["applicant.id_number"] = ["Số căn cước công dân gồm 12 chữ số."]
    phone = re.sub(r"[\s.\-()]", "", str(applicant.get("phone") or ""))
    if phone.startswith("+84"):
        phone = "0" + phone[3:]
    if phone and not PHONE_RE.match(phone):
        errors["applicant.phone"] = ["Số điện thoại không hợp lệ (10 hoặc 11 chữ số, bắt đầu bằng 0)."]
    email = str(applicant.get("email") or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["applicant.email"] = ["Địa chỉ email không hợp lệ."]
    if not phone and not email and "applicant.phone" not in errors:
        errors["applicant.phone"] = ["Cần số điện thoại hoặc email để liên hệ."]
    address = str(applicant.get("address") or "").strip()
    if len(address) > 500:
        errors["applicant.address"] = ["Tối đa 500 ký tự."]
    if errors:
        raise InvalidInput("Thông tin người nộp không hợp lệ.", fields=errors)
    return {
        "applicant_kind": kind,
        "applicant_name": name,
        "applicant_id_number": id_number,
        "applicant_phone": phone,
        "applicant_email": email,
        "applicant_address": address,
    }


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


def _received_at(received_at: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    if received_at is None:
        return now
    if received_at.tzinfo is None or received_at.utcoffset() is None:
        raise InvalidInput("Thời điểm tiếp nhận cần có múi giờ.", fields={"received_at": ["Thiếu múi giờ."]})
    if received_at > now:
        raise InvalidInput(
            "Thời điểm tiếp nhận không được ở tương lai.", fields={"received_at": ["Ở tương lai."]}
        )
    return received_at


def _procedure(procedure_code: str | None, procedure: Procedure | None) -> Procedure:
    if procedure is not None:
        return procedure
    if not procedure_code:
        raise InvalidInput("Thiếu thủ tục.", fields={"procedure_code": ["Bắt buộc."]})
    found = Procedure.objects.select_related("receiving_agency").filter(code=procedure_code).first()
    if found is None:
        raise InvalidInput("Không có thủ tục này.", fields={"procedure_code": ["Không tồn tại."]})
    return found


def _version_in_force(procedure: Procedure, at: dt.datetime) -> ProcedureVersion:
    """The version a dossier keeps for life: the newest one effective at receipt (pitfall 13)."""
    version = (
        ProcedureVersion.objects.filter(procedure=procedure, effective_from__lte=at)
        .order_by("-effective_from", "-number")
        .first()
    )
    if version is None:
        raise InvalidInput(
            "Thủ tục chưa có hiệu lực tại thời điểm tiếp nhận.", fields={"received_at": ["Chưa có hiệu lực."]}
        )
    return version


def _next_sequence(agency_id: int, day: dt.date) -> int:
    """The next number of the day for the agency, taken atomically by the database (upsert)."""
    table = connection.ops.quote_name(DossierSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, day, last) VALUES (%s, %s, 1) "
            f"ON CONFLICT (agency_id, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [agency_id, connection.ops.adapt_datefield_value(day)],
        )
        return cursor.fetchone()[0]


def _intake(
    *,
    procedure_code: str | None,
    procedure: Procedure | None,
    applicant: dict[str, Any],
    channel: str,
    documents: Sequence[Any] | None,
    received_at: dt.datetime | None,
    by: AbstractBaseUser,
    what: str,
) -> tuple[Procedure, dict[str, str], list[dict[str, Any]], dt.datetime, dt.datetime]:
    now = clock.now()
    received = _received_at(received_at, now)
    fields = validate_applicant(applicant)
    if channel not in Channel.values:
        raise InvalidInput(
            "Hình thức nộp không hợp lệ.", fields={"channel": ["in_person, online hoặc postal."]}
        )
    docs = _documents(documents)
    proc = _procedure(procedure_code, procedure)
    _require_role_at(by, Role.RECEPTION, proc.receiving_agency_id, what)
    if not proc.active:
        raise InvalidInput("Thủ tục đã ngừng áp dụng.", fields={"procedure_code": ["Ngừng áp dụng."]})
    return proc, fields, docs, received, now


def _code(procedure: Procedure, received: dt.datetime) -> str:
    day = deadlines.office_date(received)
    number = _next_sequence(procedure.receiving_agency_id, day)
    return f"{procedure.receiving_agency.code}-{day:%y%m%d}-{number:04d}"


def dossier_register(
    *,
    procedure_code: str | None = None,
    procedure: Procedure | None = None,
    applicant: dict[str, Any],
    channel: str,
    documents: Sequence[Any] | None = None,
    received_at: dt.datetime | None = None,
    by: AbstractBaseUser,
    completed_on_spot: Sequence[Any] | None = None,
) -> tuple[Dossier, str]:
    """Register a dossier at the desk: code, appointment date, process and first stage's tasks.

    Returns the dossier and the lookup key to print on the receipt (only its hash is stored).
    ``received_at`` may be earlier than now for a paper dossier entered late (recorded in the event);
    ``completed_on_spot`` lists documents the applicant completed at the desk.
    """
    proc, fields, docs, received, now = _intake(
        procedure_code=procedure_code,
        procedure=procedure,
        applicant=applicant,
        channel=channel,
        documents=documents,
        received_at=received_at,
        by=by,
        what="tiếp nhận hồ sơ",
    )
    on_spot = _documents(completed_on_spot, "completed_on_spot")
    key = _new_lookup_key()
    with transaction.atomic(), _flow_errors():
        version = _version_in_force(proc, received)
        steps = flows.version_steps(version)
        if not steps:
            raise InvalidInput(
                "Thủ tục chưa khai báo quy trình xử lý.", fields={"procedure_code": ["Chưa có bước."]}
            )
        calendar = deadlines.calendar()
        due = deadlines.committed_due(received, version, calendar=calendar)
        # The process is started first with the dossier still unsaved, so the dossier row is
        # written once, already pointing at its process; its first tasks follow it.
        dossier = Dossier(
            code=_code(proc, received),
            procedure=proc,
            version=version,
            receiving_agency=proc.receiving_agency,  # loaded by _code: the notification reads its name
            channel=channel,
            documents=docs + on_spot,
            status=DossierStatus.PROCESSING,
            current_stage=0,
            stage_count=steps[-1].stage + 1,
            received_at=received,
            due_at=due,
            original_due_at=due,
            lookup_key_hash=hash_lookup_key(key),
            created_by=by,
            **fields,
        )
        transition = flows.Transition(dossier=dossier, at=received, steps=steps)
        dossier.process = flows.start(transition)
        dossier.save(force_insert=True)
        for task in transition.opened:
            task.dossier = dossier
        DossierTask.objects.bulk_create(transition.opened)
        _record(
            dossier,
            action=EventAction.REGISTERED,
            at=now,
            by=by,
            from_status="",
            agency_id=dossier.receiving_agency_id,
            due_at=due,
            data={
                "received_at": received.isoformat(),
                "entered_late": received < now,
                "version": version.number,
                "tasks": [task.pk for task in transition.opened],
                "completed_on_spot": on_spot,
            },
        )
    return dossier, key


def dossier_refuse_at_intake(
    *,
    procedure_code: str | None = None,
    procedure: Procedure | None = None,
    applicant: dict[str, Any],
    channel: str,
    documents: Sequence[Any] | None = None,
    reasons: Sequence[str],
    received_at: dt.datetime | None = None,
    by: AbstractBaseUser,
) -> Dossier:
    """Refuse a dossier at the desk (form 3): it gets a code and status ``rejected``, no process."""
    reasons = [str(reason).strip() for reason in reasons or [] if str(reason).strip()]
    if not reasons:
        raise InvalidInput("Cần nêu lý do từ chối.", fields={"reasons": ["Bắt buộc."]})
    proc, fields, docs, received, now = _intake(
        procedure_code=procedure_code,
        procedure=procedure,
        applicant=applicant,
        channel=channel,
        documents=documents,
        received_at=received_at,
        by=by,
        what="từ chối tiếp nhận",
    )
    with transaction.atomic():
        version = _version_in_force(proc, received)
        dossier = Dossier.objects.create(
            code=_code(proc, received),
            procedure=proc,
            version=version,
            receiving_agency_id=proc.receiving_agency_id,
            channel=channel,
            documents=docs,
            status=DossierStatus.REJECTED,
            received_at=received,
            reasons=reasons,
            lookup_key_hash="",
            created_by=by,
            **fields,
        )
        _record(
            dossier,
            action=EventAction.REFUSED_AT_INTAKE,
            at=now,
            by=by,
            from_status="",
            agency_id=dossier.receiving_agency_id,
            reason="; ".join(reasons),
            data={"reasons": reasons, "received_at": received.isoformat()},
        )
    return dossier


# --- tasks -----------------------------------------------------------------------------------------


def task_claim(*, task: DossierTask | int, by: AbstractBaseUser) -> DossierTask:
    """Take an open task from the agency's queue; claiming one's own task again changes nothing."""
    with transaction.atomic():
        locked = _lock_task(task)
        _require_officer(by, locked)
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
        if locked.owner_id != by.pk and not has_role(by, Role.SUPERVISOR):
            raise NotAllowed("Chỉ người đang xử lý hoặc quản lý Một cửa được trả lại bước này.")
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
    if not has_role(by, Role.SUPERVISOR):
        raise NotAllowed("Chỉ quản lý Một cửa được điều chuyển.")
    with transaction.atomic():
        locked = _lock_task(task)
        if locked.status != TaskStatus.OPEN:
            raise Conflict("Bước này đã kết thúc.")
        if agency_id_of(to_user) != locked.agency_id or not has_role(to_user, locked.role):
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
        _require_officer(by, locked)
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


# --- dossier-level transitions ---------------------------------------------------------------------


def dossier_supplement_received(
    *, dossier: Dossier | int, by: AbstractBaseUser, documents: Sequence[Any]
) -> Dossier:
    """The desk records the applicant's supplement; processing resumes at the same stage.

    Mode ``pause``: the appointment moves by the working time spent waiting. Mode ``restart``: a
    new appointment is the committed duration counted from the return.
    """
    docs = _documents(documents)
    if not docs:
        raise InvalidInput("Cần liệt kê giấy tờ đã bổ sung.", fields={"documents": ["Bắt buộc."]})
    with transaction.atomic(), _flow_errors():
        locked = _lock_dossier(dossier)
        _require_role_at(by, Role.RECEPTION, locked.receiving_agency_id, "nhận hồ sơ bổ sung")
        if locked.status != DossierStatus.WAITING_SUPPLEMENT:
            raise Conflict("Hồ sơ không ở trạng thái chờ bổ sung.")
        pause = locked.pauses.filter(ended_at__isnull=True).order_by("-started_at").first()
        if pause is None:
            raise Conflict("Không có yêu cầu bổ sung đang mở.")
        now = clock.now()
        calendar = deadlines.calendar()
        waited = deadlines.hours_between(pause.started_at, now, calendar=calendar)
        previous_due = locked.due_at
        if pause.mode == SupplementMode.RESTART:
            locked.due_at = deadlines.committed_due(now, locked.version, calendar=calendar)
        else:
            locked.due_at = deadlines.add_hours(locked.due_at, waited, calendar=calendar)
        pause.ended_at = now
        pause.save(update_fields=["ended_at"])
        locked.paused_hours += waited
        locked.paused_at = None
        locked.status = DossierStatus.PROCESSING
        locked.documents = list(locked.documents) + docs
        _forget_deadline_warnings(locked)
        transition = flows.Transition(dossier=locked, at=now)
        flows.resume_after_supplement(locked.process, transition=transition)
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


def _extension_last_day(due: dt.datetime, *, calendar) -> dt.date:
    """The last office day on which an apology letter may still move ``due`` (configurable notice)."""
    notice_days = settings.ONESTOP_EXTENSION_NOTICE_WORKING_DAYS
    due_day = deadlines.office_date(due)
    day_start = next_working_instant(
        dt.datetime.combine(due_day, dt.time.min, tzinfo=deadlines.OFFICE_TZ), calendar=calendar
    )
    if notice_days <= 0:
        return due_day
    back = deadlines.add_hours(day_start, -notice_days * calendar.hours_per_day, calendar=calendar)
    return deadlines.office_date(next_working_instant(back, calendar=calendar))


def dossier_extend(
    *, dossier: Dossier | int, by: AbstractBaseUser, new_due_at: dt.datetime, reason: str
) -> DossierExtension:
    """The apology letter with a new appointment: a head, once per dossier, with notice."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Cần nêu lý do chậm trễ.", fields={"reason": ["Bắt buộc."]})
    if new_due_at.tzinfo is None or new_due_at.utcoffset() is None:
        raise InvalidInput("Ngày hẹn mới cần có múi giờ.", fields={"new_due_at": ["Thiếu múi giờ."]})
    if not has_role(by, Role.HEAD):
        raise NotAllowed("Chỉ lãnh đạo được ký văn bản xin lỗi và hẹn lại.")
    with transaction.atomic():
        locked = _lock_dossier(dossier)
        agency_id = agency_id_of(by)
        if agency_id != locked.receiving_agency_id and not locked.tasks.filter(agency_id=agency_id).exists():
            raise NotAllowed("Hồ sơ không thuộc cơ quan của bạn.")
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
        latest = deadlines.legal_due(locked.due_at, locked.version, calendar=calendar)
        if new_due_at > latest:
            raise InvalidInput(
                f"Ngày hẹn mới không được sau {latest.astimezone(deadlines.OFFICE_TZ):%H:%M %d/%m/%Y}"
                " (thời hạn theo quy định tính từ ngày hẹn hiện tại).",
                fields={"new_due_at": ["Quá xa."]},
            )
        last_day = _extension_last_day(locked.due_at, calendar=calendar)
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
        _record(
            locked,
            action=EventAction.EXTENDED,
            at=now,
            by=by,
            from_status=locked.status,
            agency_id=agency_id,
            due_at=new_due_at,
            reason=reason,
            data={"previous_due_at": previous_due.isoformat()},
        )
    return extension


def dossier_withdraw(*, dossier: Dossier | int, by: AbstractBaseUser, reason: str = "") -> Dossier:
    """The applicant withdraws at the desk: open tasks and the process are cancelled."""
    with transaction.atomic(), _flow_errors():
        locked = _lock_dossier(dossier)
        _require_role_at(by, Role.RECEPTION, locked.receiving_agency_id, "nhận đơn rút hồ sơ")
        if locked.status not in OPEN_STATUSES:
            raise Conflict("Hồ sơ đã kết thúc xử lý, không thể rút.")
        now = clock.now()
        from_status = locked.status
        if locked.process is not None:
            flows.cancel(locked.process)
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
        locked = _lock_dossier(dossier)
        _require_role_at(by, Role.RECEPTION, locked.receiving_agency_id, "trả kết quả")
        if locked.status != DossierStatus.RESULT_READY:
            raise Conflict("Hồ sơ chưa có kết quả để trả.")
        now = clock.now()
        locked.status = DossierStatus.RETURNED
        locked.returned_at = now
        locked.save(update_fields=["status", "returned_at", "updated_at"])
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
    from .selectors import dossier_public_lookup

    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
        raise InvalidInput("Điểm đánh giá từ 1 đến 5.", fields={"score": ["1–5."]})
    found = dossier_public_lookup(code=code, key=key)
    with transaction.atomic():
        locked = _lock_dossier(found.pk)
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
