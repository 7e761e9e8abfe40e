"""Concurrent submissions on PostgreSQL, each thread on its own database connection."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from core.exceptions import Conflict
from tests.factories import AgencyFactory, make_procedure
from tests.workflows.conftest import APPLICANT
from workflows import services
from workflows.models import Dossier, DossierTask, TaskStatus

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent upserts are tested on PostgreSQL (set DATABASE_URL)")


def run_together(*calls):
    """Run the calls at the same instant in threads; return each result or the exception raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_officers_complete_the_same_task(clock, make_staff):
    agency = AgencyFactory()
    procedure = make_procedure(
        agency=agency,
        steps=[{"name": "Thẩm định", "budget_hours": 8}, {"name": "Phê duyệt", "budget_hours": 4}],
    )
    reception = make_staff(agency, "reception")
    one, two = make_staff(agency, "specialist"), make_staff(agency, "specialist")
    dossier, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="online", by=reception
    )
    task = DossierTask.objects.get(dossier=dossier)

    results = run_together(
        lambda: services.task_complete(task=task.pk, by=one, decision="approve"),
        lambda: services.task_complete(task=task.pk, by=two, decision="approve"),
    )
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "DossierTask"]
    assert isinstance(next(r for r in results if isinstance(r, Exception)), Conflict)
    dossier.refresh_from_db()
    assert dossier.current_stage == 1
    assert DossierTask.objects.filter(dossier=dossier, stage=1).count() == 1
    assert dossier.process.task_set.filter(flow_task_type="FUNCTION").count() == 2
    assert dossier.events.filter(action="approved").count() == 1


def test_parallel_branches_finish_together(clock, make_staff):
    a, b, c = AgencyFactory(), AgencyFactory(), AgencyFactory()
    procedure = make_procedure(
        agency=a,
        steps=[
            {"name": "Ý kiến B", "budget_hours": 8, "agency": b, "parallel_group": "p"},
            {"name": "Ý kiến C", "budget_hours": 8, "agency": c, "parallel_group": "p"},
            {"name": "Phê duyệt", "budget_hours": 4, "role": "head"},
        ],
    )
    reception = make_staff(a, "reception")
    officer_b, officer_c = make_staff(b, "specialist"), make_staff(c, "specialist")
    for _ in range(5):
        dossier, _ = services.dossier_register(
            procedure=procedure, applicant=APPLICANT, channel="online", by=reception
        )
        task_b, task_c = DossierTask.objects.filter(dossier=dossier).order_by("step__order")
        results = run_together(
            lambda t=task_b: services.task_complete(task=t.pk, by=officer_b, decision="approve"),
            lambda t=task_c: services.task_complete(task=t.pk, by=officer_c, decision="approve"),
        )
        assert not [r for r in results if isinstance(r, Exception)]
        dossier.refresh_from_db()
        assert dossier.current_stage == 1
        assert list(
            DossierTask.objects.filter(dossier=dossier, status=TaskStatus.OPEN).values_list(
                "stage", flat=True
            )
        ) == [1]
        joins = dossier.process.task_set.filter(flow_task_type="JOIN")
        assert [j.status for j in joins] == ["DONE"]


def test_fifty_concurrent_registrations_get_consecutive_codes(clock, make_staff):
    agency = AgencyFactory()
    procedure = make_procedure(agency=agency)
    reception = make_staff(agency, "reception")

    def register(_):
        try:
            return services.dossier_register(
                procedure=procedure, applicant=APPLICANT, channel="online", by=reception
            )[0].code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=16) as pool:
        codes = list(pool.map(register, range(50)))
    assert len(set(codes)) == 50
    assert sorted(int(code[-4:]) for code in codes) == list(range(1, 51))
    assert Dossier.objects.filter(receiving_agency=agency).count() == 50
