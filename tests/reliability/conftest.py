"""The reliability suite's fixtures: a real gunicorn on the loopback over the test database, and
the table of what the suite covered, printed at the end of the run."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from . import figures

ROOT = Path(__file__).resolve().parents[2]


# The hand-written nasty-input tables of the API (issue 10): their cases count as bad inputs tried.
BAD_INPUT_MODULES = (
    "tests/api/test_nasty_inputs.py",
    "tests/api/test_input_bounds.py",
    "tests/api/test_text_and_time_inputs.py",
    "tests/api/test_fuzz_schemathesis.py",
)


def pytest_terminal_summary(terminalreporter):
    tried = [
        report
        for outcome in ("passed", "failed")
        for report in terminalreporter.stats.get(outcome, [])
        if getattr(report, "when", "") == "call" and report.nodeid.startswith(BAD_INPUT_MODULES)
    ]
    figures.FIGURES["bad_inputs"] = len(tried)
    if not any(figures.FIGURES.values()):
        return
    terminalreporter.section("reliability: what the suite covered")
    for line in figures.table():
        terminalreporter.write_line(line)


def database_url() -> str:
    """The URL of the database the tests run on (pytest-django's test database on PostgreSQL)."""
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn_server(transactional_db, tmp_path):
    """``http://127.0.0.1:<port>`` of a gunicorn serving the test database; stopped afterwards.
    Its Celery messages go to a queue of their own (no worker takes them; the rows are the record)."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("a gunicorn over the test database needs PostgreSQL (DATABASE_URL)")
    port = free_port()
    queue = f"reliability-{uuid.uuid4().hex[:10]}"
    env = os.environ | {
        "DATABASE_URL": database_url(),
        "CONN_MAX_AGE": "60",
        "DEBUG": "false",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "ONESTOP_EXTENSION_NOTICE_WORKING_DAYS": "0",
        "ONESTOP_AUTH_RATE": "100000/minute",
    }
    workers = str(int(os.environ.get("ONESTOP_SOAK_GUNICORN_WORKERS", "3")))
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115 - closed below
    command = [
        sys.executable, "-m", "gunicorn", "onestop.wsgi", "-b", f"127.0.0.1:{port}", "-w", workers,
        "--timeout", "120", "--graceful-timeout", "5",
    ]  # fmt: skip
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2):
                    break
            except OSError as exc:
                if getattr(exc, "code", None) == 503:
                    break
                if proc.poll() is not None:
                    raise RuntimeError((tmp_path / "gunicorn.log").read_text()) from exc
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        if os.environ.get("REDIS_URL"):
            import redis

            redis.Redis.from_url(os.environ["REDIS_URL"]).delete(queue)


# Fixtures of the workflow tests (a frozen office clock, staff of an agency) and of the API tests
# (two agencies' staff, token clients, a two-agency procedure), shared here.
from tests.api.conftest import agencies, as_user, procedure, staff  # noqa: E402, F401
from tests.workflows.conftest import agency, clock, make_staff  # noqa: E402, F401
