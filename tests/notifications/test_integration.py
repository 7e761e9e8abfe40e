"""End to end on Redis and PostgreSQL: a real worker sweeps, finds a late dossier, delivers the e-mail."""

import os
import time

import pytest
from django.db import connection
from django.utils import timezone

from core.roles import Role
from notifications.models import Notification
from tests.celery_worker import running_worker
from tests.factories import AgencyFactory, make_procedure
from tests.notifications.factories import make_dossier, make_staff

REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = [
    pytest.mark.integration,
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set: the worker integration test needs Redis"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def worker_queue():
    """A `celery worker` on the test database, publishing and consuming on a queue of its own."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "The worker process must share the test database: needs DATABASE_URL on PostgreSQL "
            "(the SQLite test database is in memory, invisible to another process)"
        )
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    database_url = f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    with running_worker(
        default_queue=True,
        extra_env={
            "DATABASE_URL": database_url,
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        },
    ) as queue:
        yield queue


def test_a_late_dossier_is_swept_and_its_email_delivered_by_the_worker(worker_queue):
    from notifications.tasks import sweep_deadlines_task
    from onestop.celery import app

    agency = AgencyFactory()
    head = make_staff(role=Role.HEAD, agency=agency, email="lanhdao@example.vn")
    dossier = make_dossier(
        procedure=make_procedure(agency=agency), due_at=timezone.now() - timezone.timedelta(minutes=1)
    )
    app.conf.task_always_eager = False

    sweep_deadlines_task.apply_async(queue=worker_queue)  # what beat does every minute

    deadline = time.monotonic() + 90
    email = None
    while time.monotonic() < deadline:
        email = Notification.objects.filter(dossier=dossier, recipient=head, channel="email").first()
        if email is not None and email.sent_at is not None:
            break
        time.sleep(0.5)
    assert email is not None, "the worker did not sweep the late dossier"
    assert email.kind == "dossier_overdue"
    assert (email.status, email.attempts) == ("sent", 1)
    assert email.sent_at is not None
    dossier.refresh_from_db()
    assert dossier.overdue_notified_at is not None
