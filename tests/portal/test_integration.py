"""End to end on Redis and PostgreSQL: transitions at the desk, a real Celery worker, the real HTTP
client, a portal on the loopback that records what it accepts: every call once, in order."""

import os
import time

import pytest
from django.db import connection

from tests.celery_worker import running_worker
from tests.factories import make_procedure
from tests.portal.loopback import loopback_portal
from tests.portal.test_life import EXPECTED_LIFE, live_a_whole_life
from tests.workflows.conftest import APPLICANT
from workflows import services

REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = [
    pytest.mark.integration,
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set: the worker integration test needs Redis"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def portal_and_worker(settings):
    """The loopback portal, and a worker on the test database delivering to it on its own queue;
    this process publishes its deliveries to that queue too."""
    if connection.vendor != "postgresql":
        pytest.skip("The worker process must share the test database: needs DATABASE_URL on PostgreSQL")
    from onestop.celery import app

    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    database_url = f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    with loopback_portal() as (url, recorder):
        portal_env = {
            "ONESTOP_PORTAL_URL": url, "ONESTOP_PORTAL_USERNAME": "motcua", "ONESTOP_PORTAL_PASSWORD": "mk",
            "ONESTOP_PORTAL_AGENCY_CODE": "000.00.31.H57",
        }  # fmt: skip
        for name, value in portal_env.items():
            setattr(settings, name, value)
        settings.ONESTOP_PORTAL_CLIENT = "portal.client.HttpPortalClient"
        with running_worker(
            default_queue=True, extra_env={"DATABASE_URL": database_url, **portal_env}
        ) as queue:
            eager, default_queue = app.conf.task_always_eager, app.conf.task_default_queue
            app.conf.task_always_eager, app.conf.task_default_queue = False, queue
            try:
                yield recorder
            finally:
                app.conf.task_always_eager, app.conf.task_default_queue = eager, default_queue


def _wait_for(recorder, count: int, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and len(recorder.services()) < count:
        time.sleep(0.3)


def test_the_worker_delivers_every_call_once_and_in_order(
    portal_and_worker, clock, agency, reception, specialist, head
):
    recorder = portal_and_worker
    procedure = make_procedure(
        agency=agency,
        committed=(5, "working_days"),
        steps=[
            {"name": "Thẩm định", "budget_hours": 8},
            {"name": "Phê duyệt", "budget_hours": 4, "role": "head"},
        ],
    )
    dossier = live_a_whole_life(clock, procedure, reception, specialist, head)
    other, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="online", by=reception
    )
    services.dossier_withdraw(dossier=other, by=reception, reason="Xin rút")

    _wait_for(recorder, len(EXPECTED_LIFE) + 2)
    time.sleep(2)  # a duplicate would arrive now

    def sent(code):
        return [
            (body["service"], item.get("TrangThaiHoSo", item.get("TrangThai")))
            for body in recorder.services()
            for item in body["data"]
            if item["MaHoSo"] == code
        ]

    assert sent(dossier.code) == EXPECTED_LIFE
    assert sent(other.code) == [("DongBoHoSoMC", 2), ("DongBoHoSoMC", 8)]
    assert len(recorder.services()) == len(EXPECTED_LIFE) + 2
    assert {(body["session"], body["madonvi"]) for body in recorder.services()} == {
        ("phien-1", "000.00.31.H57")
    }
    from portal.models import SyncRow

    assert set(SyncRow.objects.values_list("status", "attempts")) == {("sent", 1)}
