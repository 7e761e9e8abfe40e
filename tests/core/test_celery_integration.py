"""End-to-end Celery wiring on real Redis: a worker process started here runs a queued task."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from celery.result import allow_join_result

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set: the Celery integration test needs Redis"),
]


@pytest.fixture
def celery_worker_process():
    """Start `celery worker` on a queue of its own, so no other worker can take the task."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "onestop",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=os.environ | {"CELERY_TASK_ALWAYS_EAGER": "false"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield queue
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


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
