"""Backup and restore (README "Backup and restore"): ``pg_dump -Fc`` of the database, restored with
``pg_restore`` into an empty database, holds every dossier, task and event, and an open dossier
can still be completed there (a ``manage.py shell`` on the restored database runs the services)."""

import json
import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings

from tests.factories import AgencyFactory, make_procedure
from tests.workflows.conftest import APPLICANT
from workflows import services
from workflows.models import Dossier, DossierEvent, DossierTask

from . import figures
from .conftest import ROOT, database_url

pytestmark = [pytest.mark.postgres]

COMPLETE_THE_OPEN_DOSSIER = """
import json
from django.contrib.auth import get_user_model
from workflows import services
from workflows.models import Dossier, DossierEvent, DossierTask
before = {"dossiers": Dossier.objects.count(), "tasks": DossierTask.objects.count(),
          "events": DossierEvent.objects.count(),
          "trail": list(DossierEvent.objects.order_by("id").values_list("dossier__code", "action"))}
User = get_user_model()
dossier = Dossier.objects.get(code=CODE)
task = DossierTask.objects.get(dossier=dossier, status="open")
services.task_claim(task=task, by=User.objects.get(username="chuyenvien"))
services.task_complete(task=task, by=User.objects.get(username="chuyenvien"), decision="approve")
services.dossier_return_result(dossier=dossier, by=User.objects.get(username="tiepnhan"))
dossier.refresh_from_db()
after = {"status": dossier.status, "events_after": DossierEvent.objects.count()}
print("RESULT " + json.dumps({**before, **after}))
"""


def _admin_url(name: str) -> str:
    return database_url().rsplit("/", 1)[0] + f"/{name}"


def _psql(*sql: str) -> None:
    url = _admin_url("postgres")
    for statement in sql:
        subprocess.run(["psql", url, "-q", "-c", statement], check=True, capture_output=True)


def test_a_dump_restored_into_an_empty_database_carries_on(transactional_db, make_staff, tmp_path):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("pg_dump / pg_restore need PostgreSQL (DATABASE_URL)")
    agency = AgencyFactory()
    reception = make_staff(agency, "reception", username="tiepnhan")
    specialist = make_staff(agency, "specialist", username="chuyenvien")
    procedure = make_procedure(agency=agency)
    done, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="online", by=reception
    )
    task = DossierTask.objects.get(dossier=done)
    services.task_claim(task=task, by=specialist)
    services.task_complete(task=task, by=specialist, decision="refuse", reasons=["Không đủ điều kiện"])
    services.dossier_return_result(dossier=done, by=reception)
    still_open, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="online", by=reception
    )
    trail = list(DossierEvent.objects.order_by("id").values_list("dossier__code", "action"))

    dump = tmp_path / "onestop.dump"
    subprocess.run(["pg_dump", "-Fc", "--no-owner", "-f", str(dump), database_url()], check=True)
    scratch = f"onestop_reliability_restore_{uuid.uuid4().hex[:8]}"
    _psql(f'CREATE DATABASE "{scratch}"')
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "-d", _admin_url(scratch), str(dump)], check=True
        )
        env = os.environ | {"DATABASE_URL": _admin_url(scratch), "CELERY_TASK_ALWAYS_EAGER": "true"}
        script = COMPLETE_THE_OPEN_DOSSIER.replace("CODE", json.dumps(still_open.code))
        shell = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", script],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert shell.returncode == 0, shell.stderr[-3000:]
        result = json.loads(shell.stdout.split("RESULT ", 1)[1])
    finally:
        _psql(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')

    assert result["dossiers"] == Dossier.objects.count() == 2
    assert result["tasks"] == DossierTask.objects.count()
    assert result["events"] == DossierEvent.objects.count()
    assert [tuple(row) for row in result["trail"]] == trail
    assert result["status"] == "returned"
    assert result["events_after"] == len(trail) + 3  # claimed, approved, result returned
    # The restored database is untouched by the original: the dossier is still open here.
    assert Dossier.objects.get(pk=still_open.pk).status == "processing"
    figures.add(faults_injected=1, faults_survived=1, transitions=3)
