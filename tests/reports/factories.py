"""Dossiers in a given state, written directly with the ORM (the workflow is not under test here)."""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from procedures.models import DurationUnit, Procedure, ProcedureVersion
from workflows.models import (
    Dossier,
    DossierEvent,
    DossierExtension,
    DossierPause,
    DossierRating,
    DossierStatus,
    DossierTask,
)

OFFICE_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_codes = itertools.count(1)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """An instant on the office clock (Asia/Ho_Chi_Minh)."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=OFFICE_TZ)


def add_version(
    procedure: Procedure, *, number: int, committed: tuple[int, str], effective_from
) -> ProcedureVersion:
    current = procedure.current_version
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        number=number,
        effective_from=effective_from,
        legal_duration_value=current.legal_duration_value,
        legal_duration_unit=current.legal_duration_unit,
        committed_duration_value=committed[0],
        committed_duration_unit=committed[1],
        online_level=current.online_level,
    )
    procedure.current_version = version
    procedure.save(update_fields=["current_version"])
    return version


def make_dossier(
    *,
    procedure: Procedure,
    received_at: dt.datetime,
    channel: str = "in_person",
    status: str = DossierStatus.PROCESSING,
    due_at: dt.datetime | None = None,
    finished_at: dt.datetime | None = None,
    result: str = "",
    verdict: str = "",
    extended: bool = False,
    processing_hours: float | None = None,
    paused_at: dt.datetime | None = None,
    version: ProcedureVersion | None = None,
    updated_at: dt.datetime | None = None,
) -> Dossier:
    """A dossier as the workflow would leave it. ``finished`` with a result ⇒ status returned."""
    if finished_at is not None and result and status == DossierStatus.PROCESSING:
        status = DossierStatus.RETURNED
    number = next(_codes)
    dossier = Dossier.objects.create(
        code=f"{procedure.receiving_agency.code}-{received_at:%y%m%d}-{number:04d}",
        procedure=procedure,
        version=version or procedure.current_version,
        receiving_agency=procedure.receiving_agency,
        applicant_name=f"Người nộp {number}",
        applicant_id_number=f"0010{number:08d}",
        channel=channel,
        status=status,
        received_at=received_at,
        due_at=due_at,
        original_due_at=due_at,
        paused_at=paused_at,
        finished_at=finished_at,
        returned_at=finished_at if status == DossierStatus.RETURNED else None,
        result=result,
        verdict=verdict,
        extended=extended,
        processing_hours=processing_hours,
        lookup_key_hash="0" * 64,
    )
    if updated_at is not None:  # auto_now: only an UPDATE can set it
        Dossier.objects.filter(pk=dossier.pk).update(updated_at=updated_at)
    return dossier


def pause(dossier: Dossier, *, started_at: dt.datetime, ended_at: dt.datetime | None = None) -> DossierPause:
    return DossierPause.objects.create(
        dossier=dossier, stage=0, mode="pause", started_at=started_at, ended_at=ended_at
    )


def withdrawal_event(dossier: Dossier, *, at: dt.datetime) -> DossierEvent:
    """What the withdraw service records: the dossier's ``withdrawn_at`` and the audit event."""
    Dossier.objects.filter(pk=dossier.pk).update(withdrawn_at=at)
    return DossierEvent.objects.create(
        dossier=dossier,
        at=at,
        action="withdrawn",
        from_status=DossierStatus.PROCESSING,
        to_status=DossierStatus.WITHDRAWN,
    )


def extension(dossier: Dossier, *, previous_due_at: dt.datetime, new_due_at: dt.datetime) -> DossierExtension:
    return DossierExtension.objects.create(
        dossier=dossier,
        previous_due_at=previous_due_at,
        new_due_at=new_due_at,
        reason="Cần xác minh thêm",
        created_at=previous_due_at - dt.timedelta(days=1),
    )


def rating(dossier: Dossier, *, score: int, created_at: dt.datetime) -> DossierRating:
    row = DossierRating.objects.create(dossier=dossier, score=score)
    DossierRating.objects.filter(pk=row.pk).update(created_at=created_at)  # auto_now_add
    return row


def task(
    dossier: Dossier,
    *,
    finished_at: dt.datetime,
    wait_hours: float,
    work_hours: float,
    verdict: str,
    step=None,
    status: str = "done",
) -> DossierTask:
    step = step or dossier.version.steps.first()
    return DossierTask.objects.create(
        dossier=dossier,
        step=step,
        stage=step.stage,
        agency=step.agency,
        role=step.role,
        status=status,
        created_at=finished_at - dt.timedelta(hours=wait_hours + work_hours),
        due_at=finished_at,
        started_at=finished_at - dt.timedelta(hours=work_hours),
        finished_at=finished_at,
        verdict=verdict,
        wait_hours=wait_hours,
        work_hours=work_hours,
    )


WORKING_DAYS = DurationUnit.WORKING_DAYS
