"""Refusal: during processing (result "refused") and at the desk (status "rejected")."""

import pytest

from core.exceptions import Conflict, InvalidInput
from tests.factories import AgencyFactory, make_procedure
from tests.workflows.conftest import APPLICANT
from workflows import services
from workflows.models import DossierStatus, DossierTask, TaskStatus


def test_refuse_ends_processing_with_reasons(clock, make_staff):
    a, b = AgencyFactory(), AgencyFactory()
    procedure = make_procedure(
        agency=a,
        steps=[
            {"name": "Ý kiến A", "budget_hours": 8, "parallel_group": "p"},
            {"name": "Ý kiến B", "budget_hours": 8, "agency": b, "parallel_group": "p"},
            {"name": "Phê duyệt", "budget_hours": 4, "role": "head"},
        ],
    )
    reception, officer_a, officer_b = (
        make_staff(a, "reception"),
        make_staff(a, "specialist"),
        make_staff(b, "specialist"),
    )
    dossier, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="online", by=reception
    )
    task_a, task_b = DossierTask.objects.filter(dossier=dossier).order_by("step__order")
    with pytest.raises(InvalidInput):
        services.task_complete(task=task_b, by=officer_b, decision="refuse")
    services.task_complete(task=task_b, by=officer_b, decision="refuse", reasons=["Không phù hợp quy hoạch"])

    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RESULT_READY
    assert (dossier.result, dossier.reasons) == ("refused", ["Không phù hợp quy hoạch"])
    assert dossier.finished_at is not None and dossier.verdict == "early"
    task_a.refresh_from_db()
    assert task_a.status == TaskStatus.CANCELLED
    assert dossier.process.status == "DONE"
    with pytest.raises(Conflict):
        services.task_complete(task=task_a, by=officer_a, decision="approve")
    services.dossier_return_result(dossier=dossier, by=reception)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RETURNED


def test_refusal_at_intake(clock, agency, reception):
    procedure = make_procedure(agency=agency)
    with pytest.raises(InvalidInput):
        services.dossier_refuse_at_intake(
            procedure=procedure, applicant=APPLICANT, channel="in_person", reasons=[], by=reception
        )
    dossier = services.dossier_refuse_at_intake(
        procedure=procedure,
        applicant=APPLICANT,
        channel="in_person",
        reasons=["Không thuộc thẩm quyền"],
        by=reception,
    )
    assert dossier.status == DossierStatus.REJECTED
    assert dossier.code.endswith("-260302-0001")
    assert dossier.process is None and dossier.due_at is None
    assert not DossierTask.objects.filter(dossier=dossier).exists()
    event = dossier.events.get()
    assert (event.action, event.to_status, event.reason) == (
        "refused_at_intake",
        "rejected",
        "Không thuộc thẩm quyền",
    )
    with pytest.raises(Conflict):
        services.dossier_return_result(dossier=dossier, by=reception)
