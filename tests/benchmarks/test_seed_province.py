"""``seed_bench`` seeds a province the services can act on, and a rerun adds nothing (PostgreSQL)."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from core.benchdb import MARKER_TABLE, SNAPSHOT_TABLE, bench_snapshot
from workflows import services
from workflows.demo import username_for
from workflows.models import Dossier, DossierEvent, DossierStatus, DossierTask

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def bench_database():
    if connection.vendor != "postgresql":
        pytest.skip("seed_bench is set-based PostgreSQL SQL (DATABASE_URL)")
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {MARKER_TABLE} (created_at TIMESTAMP NOT NULL)")
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {MARKER_TABLE}, {SNAPSHOT_TABLE}")


def seed(n: int) -> str:
    out = StringIO()
    call_command("seed_bench", dossiers=n, batch=150, snapshot="2026-03-04T09:00+07:00", stdout=out)
    return out.getvalue()


def test_a_seeded_open_task_is_completed_through_the_services(bench_database):
    output = seed(400)
    assert "dossiers, tasks, events, processes" in output
    assert Dossier.objects.filter(code__startswith="BENCH-").count() == 400
    tasks = DossierTask.objects.count()
    again = seed(400)  # a rerun (make bench seeds first) writes nothing and rebuilds nothing
    assert "nothing added" in again and "derived:" not in again
    assert (Dossier.objects.count(), DossierTask.objects.count()) == (400, tasks)
    assert bench_snapshot().isoformat() == "2026-03-04T02:00:00+00:00"
    open_dossiers = Dossier.objects.filter(status=DossierStatus.PROCESSING)
    assert open_dossiers.exists() and not open_dossiers.filter(process__isnull=True).exists()
    assert not DossierTask.objects.filter(status="open", flow_task__isnull=True).exists()
    assert (
        DossierEvent.objects.filter(action="registered").count()
        == Dossier.objects.exclude(status=DossierStatus.REJECTED).count()
    )

    task = (
        DossierTask.objects.filter(status="open", role="specialist", owner__isnull=True)
        .select_related("agency", "dossier")
        .order_by("id")
        .first()
    )
    officer = get_user_model().objects.get(username=username_for("specialist", task.agency))
    services.task_complete(task=task.pk, by=officer, decision="approve")

    task.refresh_from_db()
    assert task.status == "done" and task.decision == "approve"
    assert DossierEvent.objects.filter(task=task, action="approved", actor=officer).exists()
    dossier = Dossier.objects.get(pk=task.dossier_id)
    moved_on = dossier.current_stage > task.stage or dossier.status == DossierStatus.RESULT_READY
    still_waiting = DossierTask.objects.filter(dossier=dossier, stage=task.stage, status="open").exists()
    assert moved_on or still_waiting

    before = (Dossier.objects.count(), DossierTask.objects.count(), DossierEvent.objects.count())
    seed(400)
    assert (Dossier.objects.count(), DossierTask.objects.count(), DossierEvent.objects.count()) == before
