"""Only staff of the task's agency with the step's role act; failures change nothing."""

import pytest

from core.exceptions import Conflict, InvalidInput, NotAllowed
from tests.factories import AgencyFactory, make_procedure
from tests.workflows.conftest import APPLICANT
from workflows import services
from workflows.models import DossierEvent, DossierTask, TaskStatus


@pytest.fixture
def task(clock, agency, reception):
    procedure = make_procedure(agency=agency)
    dossier, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="in_person", by=reception
    )
    return DossierTask.objects.get(dossier=dossier)


def test_other_agency_and_wrong_role_are_refused(task, make_staff, head, reception):
    outsider = make_staff(AgencyFactory(), "specialist")
    for user in (outsider, head, reception):
        with pytest.raises(NotAllowed):
            services.task_claim(task=task, by=user)
        with pytest.raises(NotAllowed):
            services.task_complete(task=task, by=user, decision="approve")
    task.refresh_from_db()
    assert (task.status, task.owner_id) == (TaskStatus.OPEN, None)
    assert DossierEvent.objects.filter(dossier=task.dossier).count() == 1  # registration only


def test_claimed_task_belongs_to_its_owner(task, make_staff, agency, specialist):
    colleague = make_staff(agency, "specialist")
    services.task_claim(task=task, by=specialist)
    with pytest.raises(Conflict):
        services.task_claim(task=task, by=colleague)
    with pytest.raises(NotAllowed):
        services.task_complete(task=task, by=colleague, decision="approve")
    with pytest.raises(NotAllowed):
        services.task_release(task=task, by=colleague)
    services.task_release(task=task, by=specialist)
    services.task_claim(task=task, by=colleague)
    task.refresh_from_db()
    assert task.owner == colleague


def test_supervisor_reassigns(task, make_staff, agency, specialist):
    supervisor = make_staff(AgencyFactory(), "supervisor")
    colleague = make_staff(agency, "specialist")
    with pytest.raises(NotAllowed):
        services.task_reassign(task=task, by=specialist, to_user=colleague)
    with pytest.raises(InvalidInput):
        services.task_reassign(task=task, by=supervisor, to_user=make_staff(AgencyFactory(), "specialist"))
    services.task_claim(task=task, by=specialist)
    services.task_reassign(task=task, by=supervisor, to_user=colleague)
    task.refresh_from_db()
    assert task.owner == colleague
    with pytest.raises(NotAllowed):
        services.task_complete(task=task, by=specialist, decision="approve")
    services.task_complete(task=task, by=colleague, decision="approve")


def test_reception_registers_only_for_its_agency(clock, make_staff):
    procedure = make_procedure()
    stranger = make_staff(AgencyFactory(), "reception")
    with pytest.raises(NotAllowed):
        services.dossier_register(procedure=procedure, applicant=APPLICANT, channel="online", by=stranger)
    assert not procedure.dossier_set.exists()


def test_invalid_decision_changes_nothing(task, specialist):
    with pytest.raises(InvalidInput):
        services.task_complete(task=task, by=specialist, decision="maybe")
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN
