"""Two sweeps at the same instant on PostgreSQL: every task is claimed once, notified once."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from core.roles import Role
from notifications.models import Notification
from notifications.sweep import sweep_deadlines
from tests.factories import AgencyFactory, make_procedure
from tests.notifications.factories import make_dossier, make_staff, make_task

VN = ZoneInfo("Asia/Ho_Chi_Minh")

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent sweeps need PostgreSQL (row locks, SKIP LOCKED); SQLite serialises writers")


def test_two_sweeps_at_once_notify_each_task_once(settings):
    settings.ONESTOP_SWEEP_BATCH_SIZE = 10  # many small batches, so the two sweeps interleave
    agency = AgencyFactory()
    head = make_staff(role=Role.HEAD, agency=agency)
    dossier = make_dossier(procedure=make_procedure(agency=agency), due_at=dt.datetime(2026, 6, 1, tzinfo=VN))
    tasks = [make_task(dossier=dossier, due_at=dt.datetime(2026, 3, 2, 8, 0, tzinfo=VN)) for _ in range(120)]
    as_of = dt.datetime(2026, 3, 2, 9, 0, tzinfo=VN)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(sweep_deadlines(as_of=as_of, due_soon_hours=8))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert sum(r.tasks_overdue for r in results) == len(tasks)
    assert Notification.objects.filter(recipient=head).count() == len(tasks)
    assert Notification.objects.values("task_id").distinct().count() == len(tasks)
