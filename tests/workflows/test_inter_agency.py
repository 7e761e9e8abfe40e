"""A four-stage inter-agency procedure whose second stage runs two agencies in parallel."""

import pytest

from core.exceptions import Conflict
from tests.factories import AgencyFactory, make_procedure
from tests.workflows.conftest import APPLICANT, local
from workflows import services
from workflows.models import DossierStatus, DossierTask, TaskStatus


@pytest.fixture
def setup(clock, make_staff):
    a, b, c = AgencyFactory(), AgencyFactory(), AgencyFactory()
    procedure = make_procedure(
        agency=a,
        committed=(5, "working_days"),
        steps=[
            {"name": "Thẩm định", "budget_hours": 8, "agency": a},
            {"name": "Ý kiến Sở Xây dựng", "budget_hours": 16, "agency": b, "parallel_group": "y-kien"},
            {"name": "Ý kiến Sở Tài nguyên", "budget_hours": 8, "agency": c, "parallel_group": "y-kien"},
            {"name": "Phê duyệt", "budget_hours": 4, "agency": a, "role": "head"},
            {"name": "Cấp giấy", "budget_hours": 4, "agency": b, "role": "head"},
        ],
    )
    staff = {
        "reception": make_staff(a, "reception"),
        "a": make_staff(a, "specialist"),
        "a_head": make_staff(a, "head"),
        "b": make_staff(b, "specialist"),
        "b_head": make_staff(b, "head"),
        "c": make_staff(c, "specialist"),
    }
    return procedure, (a, b, c), staff


def open_tasks(dossier):
    return list(DossierTask.objects.filter(dossier=dossier, status=TaskStatus.OPEN).order_by("step__order"))


def test_four_stages_with_a_parallel_stage(setup, clock):
    procedure, (a, b, c), staff = setup
    dossier, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="online", by=staff["reception"]
    )
    assert dossier.stage_count == 4
    [first] = open_tasks(dossier)
    assert first.agency == a

    clock.set(2026, 3, 2, 14, 0)
    services.task_complete(task=first, by=staff["a"], decision="approve")
    parallel = open_tasks(dossier)
    assert [(t.agency, t.stage) for t in parallel] == [(b, 1), (c, 1)]
    # Each step's due time is its own budget from the stage's start (Mon 14:00).
    assert [t.due_at for t in parallel] == [local(2026, 3, 4, 14, 0), local(2026, 3, 3, 14, 0)]

    clock.set(2026, 3, 3, 9, 0)
    services.task_complete(task=parallel[1], by=staff["c"], decision="approve")
    dossier.refresh_from_db()
    assert dossier.current_stage == 1  # still waiting for agency B
    assert [t.agency for t in open_tasks(dossier)] == [b]

    clock.set(2026, 3, 3, 10, 0)
    services.task_complete(task=parallel[0], by=staff["b"], decision="approve")
    dossier.refresh_from_db()
    [approval] = open_tasks(dossier)
    assert (dossier.current_stage, approval.agency, approval.role) == (2, a, "head")

    services.task_complete(task=approval, by=staff["a_head"], decision="approve")
    [issue] = open_tasks(dossier)
    assert (issue.agency, issue.stage) == (b, 3)
    clock.set(2026, 3, 3, 15, 0)
    services.task_complete(task=issue, by=staff["b_head"], decision="approve")

    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RESULT_READY
    assert dossier.result == "approved"
    assert dossier.process.status == "DONE"
    assert DossierTask.objects.filter(dossier=dossier).count() == 5
    assert not open_tasks(dossier)
    with pytest.raises(Conflict):
        services.task_complete(task=issue, by=staff["b_head"], decision="approve")


def test_steps_come_from_the_version_the_dossier_was_received_under(setup, clock):
    procedure, (a, b, c), staff = setup
    dossier, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="online", by=staff["reception"]
    )
    # A later catalog edit (a new version with other steps) does not move this dossier.
    from procedures.models import ProcedureVersion, Step

    old = procedure.current_version
    new = ProcedureVersion.objects.create(
        procedure=procedure,
        number=2,
        effective_from=local(2026, 3, 2, 9, 0),
        legal_duration_value=1,
        legal_duration_unit="working_days",
        committed_duration_value=1,
        committed_duration_unit="working_days",
    )
    Step.objects.create(version=new, order=1, stage=0, name="Một bước", agency=c, budget_hours=2)
    [first] = open_tasks(dossier)
    services.task_complete(task=first, by=staff["a"], decision="approve")
    assert {t.step.version_id for t in open_tasks(dossier)} == {old.pk}
    assert len(open_tasks(dossier)) == 2
