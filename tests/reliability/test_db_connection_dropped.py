"""The database connection dropped in the middle of a transition: another connection kills ours
(``pg_terminate_backend``) after the transition has written part of its rows and before its audit
event. Nothing is half-written (the transaction rolls back), and a retry on a new connection
succeeds with exactly one event."""

import psycopg
import pytest
from django.db import DatabaseError, InterfaceError, connection
from viewflow.workflow.models import Task

from tests.factories import make_procedure
from tests.workflows.conftest import APPLICANT
from workflows import services
from workflows.models import Dossier, DossierEvent, DossierSequence, DossierTask
from workflows.services import _common, intake, tasks

from . import figures
from .conftest import database_url

pytestmark = [pytest.mark.postgres]


def _rows() -> dict:
    return {
        "dossiers": list(Dossier.objects.order_by("pk").values("pk", "status", "current_stage", "code")),
        "tasks": list(DossierTask.objects.order_by("pk").values("pk", "status", "decision", "owner_id")),
        "events": list(DossierEvent.objects.order_by("pk").values_list("pk", "action")),
        "sequence": list(DossierSequence.objects.values_list("agency_id", "day", "last")),
        "flow_tasks": list(Task.objects.order_by("pk").values_list("pk", "status")),
    }


@pytest.fixture
def killed_before_the_event(monkeypatch):
    """Patch ``_record`` (where the services call it) so that the first call has our backend
    terminated from another connection before the event is written."""
    calls = {"killed": 0}

    def record(*args, **kwargs):
        if calls["killed"] == 0:
            calls["killed"] += 1
            pid = connection.connection.info.backend_pid
            with psycopg.connect(database_url(), autocommit=True) as other:
                other.execute("SELECT pg_terminate_backend(%s)", [pid])
        return _common._record(*args, **kwargs)

    for module in (intake, tasks):
        monkeypatch.setattr(module, "_record", record)
    return calls


def _reconnect() -> None:
    connection.close()
    connection.ensure_connection()


@pytest.fixture
def desk(transactional_db, make_staff, agency):
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend needs PostgreSQL (DATABASE_URL)")
    return {
        "procedure": make_procedure(agency=agency),
        "reception": make_staff(agency, "reception"),
        "specialist": make_staff(agency, "specialist"),
    }


def test_a_registration_cut_off_writes_nothing_and_the_retry_takes_the_same_number(
    desk, killed_before_the_event
):
    before = _rows()
    with pytest.raises((DatabaseError, InterfaceError)):
        services.dossier_register(
            procedure=desk["procedure"], applicant=APPLICANT, channel="online", by=desk["reception"]
        )
    assert killed_before_the_event["killed"] == 1
    _reconnect()
    assert _rows() == before  # no dossier, no task, no process, and the sequence did not move
    dossier, _ = services.dossier_register(
        procedure=desk["procedure"], applicant=APPLICANT, channel="online", by=desk["reception"]
    )
    assert dossier.code.endswith("-0001")
    assert list(DossierEvent.objects.filter(dossier=dossier).values_list("action", flat=True)) == [
        "registered"
    ]
    figures.add(faults_injected=1, faults_survived=1, transitions=1)


def test_a_decision_cut_off_leaves_the_task_open_and_the_retry_decides_once(desk, killed_before_the_event):
    killed_before_the_event["killed"] = 1  # let the registration and the claim through
    dossier, _ = services.dossier_register(
        procedure=desk["procedure"], applicant=APPLICANT, channel="online", by=desk["reception"]
    )
    task = DossierTask.objects.get(dossier=dossier)
    services.task_claim(task=task, by=desk["specialist"])
    killed_before_the_event["killed"] = 0
    before = _rows()
    with pytest.raises((DatabaseError, InterfaceError)):
        services.task_complete(task=task, by=desk["specialist"], decision="approve")
    _reconnect()
    assert _rows() == before  # the task open and claimed, the dossier processing, no decision event
    services.task_complete(task=task, by=desk["specialist"], decision="approve")
    assert Dossier.objects.get(pk=dossier.pk).status == "result_ready"
    actions = list(DossierEvent.objects.filter(dossier=dossier).values_list("action", flat=True))
    assert actions == ["registered", "claimed", "approved"]
    figures.add(faults_injected=1, faults_survived=1, transitions=4)
