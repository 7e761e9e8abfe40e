"""Send-back: the stage ends and the previous stage opens again with fresh tasks."""

import pytest

from core.exceptions import InvalidInput
from tests.factories import AgencyFactory, make_procedure
from tests.workflows.conftest import APPLICANT
from workflows import services
from workflows.models import DossierStatus, DossierTask, TaskStatus


def open_tasks(dossier):
    return list(DossierTask.objects.filter(dossier=dossier, status=TaskStatus.OPEN).order_by("step__order"))


def test_head_sends_back_to_the_specialist(clock, agency, reception, specialist, head):
    procedure = make_procedure(
        agency=agency,
        steps=[
            {"name": "Thẩm định", "budget_hours": 8},
            {"name": "Phê duyệt", "budget_hours": 4, "role": "head"},
        ],
    )
    dossier, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="in_person", by=reception
    )
    [appraise] = open_tasks(dossier)
    with pytest.raises(InvalidInput):
        services.task_complete(task=appraise, by=specialist, decision="send_back", note="Không có bước trước")
    services.task_complete(task=appraise, by=specialist, decision="approve")
    [approve] = open_tasks(dossier)
    with pytest.raises(InvalidInput):
        services.task_complete(task=approve, by=head, decision="send_back")  # a reason is required

    clock.set(2026, 3, 2, 10, 0)
    services.task_complete(task=approve, by=head, decision="send_back", note="Bổ sung ý kiến thẩm định")
    dossier.refresh_from_db()
    [again] = open_tasks(dossier)
    assert dossier.current_stage == 0 and dossier.status == DossierStatus.PROCESSING
    assert again.step_id == appraise.step_id and again.pk != appraise.pk
    approve.refresh_from_db()
    assert approve.decision == "send_back" and approve.note == "Bổ sung ý kiến thẩm định"

    services.task_complete(task=again, by=specialist, decision="approve")
    [approve_again] = open_tasks(dossier)
    services.task_complete(task=approve_again, by=head, decision="approve")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RESULT_READY
    assert dossier.process.status == "DONE"
    assert DossierTask.objects.filter(dossier=dossier).count() == 4


def test_send_back_from_a_parallel_stage_cancels_the_other_branch(clock, make_staff):
    a, b, c = AgencyFactory(), AgencyFactory(), AgencyFactory()
    procedure = make_procedure(
        agency=a,
        steps=[
            {"name": "Thẩm định", "budget_hours": 8},
            {"name": "Ý kiến B", "budget_hours": 8, "agency": b, "parallel_group": "p"},
            {"name": "Ý kiến C", "budget_hours": 8, "agency": c, "parallel_group": "p"},
        ],
    )
    reception, officer_a = make_staff(a, "reception"), make_staff(a, "specialist")
    officer_b = make_staff(b, "specialist")
    dossier, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="online", by=reception
    )
    services.task_complete(task=open_tasks(dossier)[0], by=officer_a, decision="approve")
    branch_b, branch_c = open_tasks(dossier)
    services.task_complete(task=branch_b, by=officer_b, decision="send_back", note="Thiếu bản vẽ")
    branch_c.refresh_from_db()
    assert branch_c.status == TaskStatus.CANCELLED
    assert branch_c.flow_task.status == "CANCELED"
    [back] = open_tasks(dossier)
    assert back.stage == 0 and back.agency == a
    # The old join is finished, the new stage runs on its own split.
    services.task_complete(task=back, by=officer_a, decision="approve")
    assert len(open_tasks(dossier)) == 2
