"""On PostgreSQL: deliverers racing on one dossier send each row once and in order; two fetches of
the same online dossier at once register it once."""

import threading
import time

import pytest
from django.db import connection

from portal.delivery import deliver_dossier
from portal.fake import FakePortalClient
from portal.intake import register_online_dossier
from portal.models import OnlineDossier, SyncRow
from tests.factories import make_procedure
from tests.portal.test_online import online_item
from tests.workflows.conftest import APPLICANT
from workflows import services
from workflows.models import Dossier

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and SKIP LOCKED need PostgreSQL (DATABASE_URL)")


class SlowPortal(FakePortalClient):
    """Holds each call a moment, so that a second deliverer meets the locked head row."""

    def _accept(self, service, item):
        time.sleep(0.05)
        super()._accept(service, item)


def _in_threads(count, target):
    barrier = threading.Barrier(count)
    errors = []

    def run():
        try:
            connection.ensure_connection()  # connected before the race starts, so the threads overlap
            barrier.wait()
            target()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []


def test_racing_deliverers_send_each_row_once_in_order(
    portal, monkeypatch, clock, agency, reception, specialist
):
    # Commits are real here: without this, eager Celery would deliver each row at its commit.
    monkeypatch.setattr("portal.receivers.queue_delivery", lambda ids, **kw: None)
    procedure = make_procedure(agency=agency)
    dossier, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="online", by=reception
    )
    task = dossier.tasks.get()
    services.task_claim(task=task, by=specialist)
    services.task_release(task=task, by=specialist)
    services.task_claim(task=task, by=specialist)
    services.task_complete(task=task, by=specialist, decision="approve")
    services.dossier_return_result(dossier=dossier, by=reception)
    rows = SyncRow.objects.filter(dossier=dossier).count()
    assert portal.calls == []

    _in_threads(4, lambda: deliver_dossier(dossier_id=dossier.pk, client=SlowPortal()))

    sent = [item for _, item in portal.calls]
    assert len(sent) == rows == 6
    assert [item.get("TrangThaiHoSo", item.get("TrangThai")) for item in sent] == [2, 4, 4, 4, 9, 10]
    assert set(SyncRow.objects.values_list("status", "attempts")) == {("sent", 1)}


def test_two_fetches_at_once_register_the_dossier_once(portal, clock, agency, make_staff):
    procedure = make_procedure(agency=agency)
    make_staff(agency, "reception", username=f"dvcqg.{agency.code}")
    item = online_item(procedure)
    outcomes = []

    _in_threads(3, lambda: outcomes.append(register_online_dossier(item)))

    assert sorted(outcomes) == ["already", "already", "registered"]
    assert Dossier.objects.count() == 1 and OnlineDossier.objects.get().dossier == Dossier.objects.get()
