"""A Celery worker killed (SIGKILL) in the middle of a delivery: the row stays pending (the send and
the ``sent`` mark share one transaction), and after a restart the outbox's catch-up
(``deliver_pending``, which beat runs every 5 minutes) delivers it exactly once."""

import datetime as dt
import os
import signal
import time

import pytest
from django.db import connection
from django.utils import timezone

from notifications.models import Notification
from tests.celery_worker import worker_process
from tests.factories import make_procedure
from tests.notifications.factories import make_dossier

from . import figures
from .conftest import database_url

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]
PHONE = "0905000111"


def _wait(predicate, seconds=60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def test_a_worker_killed_mid_delivery_delivers_once_after_restart(tmp_path):
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        pytest.skip("a real worker on the test database needs PostgreSQL and Redis")
    from notifications.tasks import deliver_notification, deliver_pending
    from onestop.celery import app

    dossier = make_dossier(procedure=make_procedure(), due_at=timezone.now() + dt.timedelta(days=3))
    now = timezone.now()
    sms = Notification.objects.create(
        kind="received", channel="sms", address=PHONE, recipient_key=f"addr:{PHONE}", dossier=dossier,
        dedupe_key="worker-killed", payload={"dossier_code": dossier.code}, created_at=now,
        next_attempt_at=now,
    )  # fmt: skip
    env = {
        "DATABASE_URL": database_url(),
        "ONESTOP_SMS_BACKEND": "tests.reliability.sms_backends.HangOnceSMSBackend",
        "ONESTOP_TEST_SMS_DIR": str(tmp_path),
    }
    app.conf.task_always_eager = False
    with worker_process(default_queue=True, extra_env=env) as (queue, proc):
        deliver_notification.apply_async(args=[sms.pk], queue=queue)
        assert _wait(lambda: (tmp_path / "started").exists()), "the worker never started the delivery"
        os.kill(proc.pid, signal.SIGKILL)  # mid-send: the gateway has not accepted it yet
        proc.wait(timeout=10)
    figures.add(faults_injected=1)
    sms.refresh_from_db()
    assert (sms.status, sms.attempts, sms.sent_at) == ("pending", 0, None)  # the attempt rolled back

    # The catch-up re-queues rows pending past their grace (2 minutes): the row is that late now.
    Notification.objects.filter(pk=sms.pk).update(next_attempt_at=now - dt.timedelta(minutes=3))
    with worker_process(default_queue=True, extra_env=env, queue=queue):
        deliver_pending.apply_async(queue=queue)
        assert _wait(lambda: Notification.objects.get(pk=sms.pk).status == "sent"), (
            "not delivered after restart"
        )
        deliver_pending.apply_async(queue=queue)  # a second catch-up finds nothing left to send
        deliver_notification.apply_async(args=[sms.pk], queue=queue)  # nor does a duplicate message
        time.sleep(2)
    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == ("sent", 1)
    assert (tmp_path / "sent").read_text().splitlines() == [PHONE]  # once
    figures.add(faults_survived=1)
