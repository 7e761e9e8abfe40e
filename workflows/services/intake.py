"""Reception at the desk: registering a dossier or refusing it at intake (form 3)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction

from core import inserts
from core.exceptions import InvalidInput
from procedures.models import Procedure, ProcedureVersion
from procedures.selectors import version_in_force

from .. import clock, deadlines, visibility
from ..applicants import validate_applicant
from ..flow.transition import Transition, version_steps
from ..keys import hash_lookup_key, new_lookup_key
from ..models import (
    Channel,
    Dossier,
    DossierSequence,
    DossierStatus,
    EventAction,
)
from ..permissions import Action, require
from . import _driving as driving
from ._common import _documents, _flow_errors, _record


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
    """The version a dossier keeps for life (``procedures.selectors.version_in_force``;
    docs/viewflow.md, note 13)."""
    version = version_in_force(procedure=procedure, at=at)
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


@dataclass
class _Intake:
    """What the desk typed, checked: the procedure, the applicant's fields, the documents, when."""

    procedure: Procedure
    applicant: dict[str, str]
    documents: list[dict[str, Any]]
    channel: str
    received: dt.datetime
    now: dt.datetime
    by: AbstractBaseUser

    def dossier(self, version: ProcedureVersion, **state: Any) -> Dossier:
        """The dossier row (not saved yet), with its code of the day."""
        return Dossier(
            code=_code(self.procedure, self.received),
            procedure=self.procedure,
            version=version,
            receiving_agency=self.procedure.receiving_agency,  # loaded by _code: notifications read it
            channel=self.channel,
            received_at=self.received,
            created_by=self.by,
            **self.applicant,
            **state,
        )

    def record(self, dossier: Dossier, action: str, **details: Any) -> None:
        _record(dossier, action=action, at=self.now, by=self.by, from_status="",
                agency_id=dossier.receiving_agency_id, **details)  # fmt: skip


def _intake(
    *,
    procedure_code: str | None,
    procedure: Procedure | None,
    applicant: dict[str, Any],
    channel: str,
    documents: Sequence[Any] | None,
    received_at: dt.datetime | None,
    by: AbstractBaseUser,
) -> _Intake:
    """The checks registration and refusal at intake share, in the order errors are reported."""
    now = clock.now()
    received = _received_at(received_at, now)
    fields = validate_applicant(applicant)
    if channel not in Channel.values:
        raise InvalidInput(
            "Hình thức nộp không hợp lệ.", fields={"channel": ["in_person, online hoặc postal."]}
        )
    docs = _documents(documents)
    proc = _procedure(procedure_code, procedure)
    require(by, Action.REGISTER, proc)
    if not proc.active:
        raise InvalidInput("Thủ tục đã ngừng áp dụng.", fields={"procedure_code": ["Ngừng áp dụng."]})
    return _Intake(proc, fields, docs, channel, received, now, by)


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
    intake = _intake(
        procedure_code=procedure_code,
        procedure=procedure,
        applicant=applicant,
        channel=channel,
        documents=documents,
        received_at=received_at,
        by=by,
    )
    on_spot = _documents(completed_on_spot, "completed_on_spot")
    key = new_lookup_key()
    received = intake.received
    with transaction.atomic(), _flow_errors():
        version = _version_in_force(intake.procedure, received)
        steps = version_steps(version)
        if not steps:
            raise InvalidInput(
                "Thủ tục chưa khai báo quy trình xử lý.", fields={"procedure_code": ["Chưa có bước."]}
            )
        due = deadlines.committed_due(received, version, calendar=deadlines.calendar())
        # The process is started first with the dossier still unsaved, so the dossier row is
        # written once, already pointing at its process; its first tasks follow it.
        dossier = intake.dossier(
            version,
            documents=intake.documents + on_spot,
            status=DossierStatus.PROCESSING,
            current_stage=0,
            stage_count=steps[-1].stage + 1,
            due_at=due,
            original_due_at=due,
            lookup_key_hash=hash_lookup_key(key),
        )
        transition = Transition(dossier=dossier, at=received, steps=steps)
        dossier.process = driving.start(transition)
        inserts.insert([dossier])
        for task in transition.opened:
            task.dossier = dossier
        inserts.insert(transition.opened)
        visibility.grant(dossier, (task.agency_id for task in transition.opened))
        intake.record(
            dossier,
            EventAction.REGISTERED,
            due_at=due,
            data={
                "received_at": received.isoformat(),
                "entered_late": received < intake.now,
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
    intake = _intake(
        procedure_code=procedure_code,
        procedure=procedure,
        applicant=applicant,
        channel=channel,
        documents=documents,
        received_at=received_at,
        by=by,
    )
    with transaction.atomic():
        version = _version_in_force(intake.procedure, intake.received)
        dossier = intake.dossier(
            version,
            documents=intake.documents,
            status=DossierStatus.REJECTED,
            reasons=reasons,
            lookup_key_hash="",
        )
        inserts.insert([dossier])
        visibility.grant(dossier)
        intake.record(
            dossier,
            EventAction.REFUSED_AT_INTAKE,
            reason="; ".join(reasons),
            data={"reasons": reasons, "received_at": intake.received.isoformat()},
        )
    return dossier
