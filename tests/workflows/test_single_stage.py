"""A one-step procedure from registration to the returned result."""

from tests.factories import make_procedure
from tests.workflows.conftest import APPLICANT, local
from workflows import services
from workflows.models import DossierEvent, DossierStatus, DossierTask, EventAction, TaskStatus


def test_single_stage_life(clock, agency, reception, specialist):
    procedure = make_procedure(agency=agency, committed=(2, "working_days"))
    dossier, key = services.dossier_register(
        procedure_code=procedure.code, applicant=APPLICANT, channel="in_person", by=reception
    )
    assert dossier.code == f"{agency.code}-260302-0001"
    assert dossier.status == DossierStatus.PROCESSING
    assert dossier.due_at == local(2026, 3, 4, 8, 0)
    assert len(key) == 10 and dossier.lookup_key_hash != key
    task = DossierTask.objects.get(dossier=dossier)
    assert (task.status, task.stage, task.agency_id, task.role) == ("open", 0, agency.pk, "specialist")
    assert task.due_at == local(2026, 3, 3, 8, 0)

    clock.set(2026, 3, 2, 9, 0)
    services.task_claim(task=task, by=specialist)
    clock.set(2026, 3, 2, 10, 30)
    services.task_complete(task=task, by=specialist, decision="approve", note="Đủ điều kiện")

    dossier.refresh_from_db()
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    assert (task.verdict, task.wait_hours, task.work_hours) == ("early", 1.0, 1.5)
    assert dossier.status == DossierStatus.RESULT_READY
    assert dossier.result == "approved"
    assert dossier.verdict == "early"
    assert dossier.processing_hours == 2.5
    assert dossier.process.status == "DONE"

    clock.set(2026, 3, 3, 8, 0)
    services.dossier_return_result(dossier=dossier, by=reception)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RETURNED
    assert list(DossierEvent.objects.filter(dossier=dossier).values_list("action", flat=True)) == [
        EventAction.REGISTERED,
        EventAction.CLAIMED,
        EventAction.APPROVED,
        EventAction.RESULT_RETURNED,
    ]
