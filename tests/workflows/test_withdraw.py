"""Withdrawal: open tasks and the viewflow process are cancelled; finished dossiers cannot be withdrawn."""

import pytest

from core.exceptions import Conflict, NotAllowed
from tests.factories import make_procedure
from tests.workflows.conftest import APPLICANT
from workflows import services
from workflows.models import DossierStatus, DossierTask, TaskStatus


def test_withdraw_while_processing(clock, agency, reception, specialist):
    procedure = make_procedure(agency=agency)
    dossier, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="in_person", by=reception
    )
    with pytest.raises(NotAllowed):
        services.dossier_withdraw(dossier=dossier, by=specialist)
    clock.set(2026, 3, 2, 9, 0)
    services.dossier_withdraw(dossier=dossier, by=reception, reason="Người dân xin rút")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.WITHDRAWN
    assert dossier.withdrawn_at is not None
    task = DossierTask.objects.get(dossier=dossier)
    assert task.status == TaskStatus.CANCELLED
    assert dossier.process.status == "CANCELED"
    assert not dossier.process.task_set.exclude(status__in=["DONE", "CANCELED"]).exists()
    with pytest.raises(Conflict):
        services.task_complete(task=task, by=specialist, decision="approve")
    with pytest.raises(Conflict):
        services.dossier_withdraw(dossier=dossier, by=reception)


def test_withdraw_while_waiting_for_supplement(clock, agency, reception, specialist):
    procedure = make_procedure(agency=agency)
    dossier, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="in_person", by=reception
    )
    task = DossierTask.objects.get(dossier=dossier)
    services.task_complete(
        task=task, by=specialist, decision="request_supplement", missing_documents=["Tờ khai"]
    )
    clock.set(2026, 3, 3, 8, 0)
    services.dossier_withdraw(dossier=dossier, by=reception)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.WITHDRAWN
    assert dossier.paused_hours == 8.0
    assert dossier.pauses.get().ended_at is not None
    assert dossier.process.status == "CANCELED"


def test_finished_dossier_cannot_be_withdrawn(clock, agency, reception, specialist):
    procedure = make_procedure(agency=agency)
    dossier, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="in_person", by=reception
    )
    services.task_complete(task=DossierTask.objects.get(dossier=dossier), by=specialist, decision="approve")
    with pytest.raises(Conflict):
        services.dossier_withdraw(dossier=dossier, by=reception)
    assert dossier.events.count() == 2
