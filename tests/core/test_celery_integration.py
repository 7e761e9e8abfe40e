"""End-to-end Celery wiring on real Redis: a worker process started here runs a queued task."""

import os
import uuid

import pytest
from celery.result import allow_join_result

from tests.celery_worker import running_worker

REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = [
    pytest.mark.integration,
    pytest.mark.redis,
    pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set: the Celery integration test needs Redis"),
]


@pytest.fixture
def celery_worker_process():
    with running_worker() as queue:
        yield queue


def test_a_queued_task_is_run_by_a_real_worker(celery_worker_process):
    from core.tasks import ping
    from onestop.celery import app

    app.conf.task_always_eager = False
    token = uuid.uuid4().hex
    result = ping.apply_async(args=[token], queue=celery_worker_process)
    # Eager tasks run by other tests' threads toggle Celery's process-wide "inside a task" flag
    # without a lock, so it can be left on; this test is not inside a task.
    with allow_join_result():
        assert result.get(timeout=60) == token
    assert app.conf.broker_url.startswith("redis://")
