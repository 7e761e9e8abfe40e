"""A real `celery worker` process for the integration tests, on a queue of its own."""

import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def running_worker(*, extra_env: dict[str, str] | None = None, default_queue: bool = False) -> Iterator[str]:
    """The queue of a worker from ``worker_process`` (for tests that never touch the process)."""
    with worker_process(extra_env=extra_env, default_queue=default_queue) as (queue, _proc):
        yield queue


@contextmanager
def worker_process(
    *, extra_env: dict[str, str] | None = None, default_queue: bool = False, queue: str | None = None
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Start a solo-pool worker consuming only a fresh queue (no other worker can take its tasks)
    and yield the queue's name and the process (a test may kill it); stop it afterwards. ``queue``
    reuses a queue, so a restarted worker takes what a killed one left. With ``default_queue`` the
    worker also sends the tasks it queues itself to that queue, so it runs them too. Its output
    goes to a temporary file, not a pipe nobody reads (a full pipe would stall the worker)."""
    queue = queue or f"test-{uuid.uuid4().hex[:12]}"
    command = [
        sys.executable, "-m", "celery", "-A", "onestop", "worker", "--pool=solo", "-Q", queue,
        "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    env = os.environ | {"CELERY_TASK_ALWAYS_EAGER": "false"} | (extra_env or {})
    if default_queue:
        env["CELERY_TASK_DEFAULT_QUEUE"] = queue
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            yield queue, proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
