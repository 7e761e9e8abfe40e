"""Issue 10 #18: Ctrl-C on `make run` (scripts/run.sh) stops every process it started."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STARTUP_LIMIT = 120  # seconds; a guard against a hang on a loaded machine, not a measurement


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (children, grandchildren...), from /proc."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def running(pid: int) -> bool:
    """Alive and not a zombie (a killed process its parent has not reaped yet is gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="reads the process tree from /proc")
def test_ctrl_c_stops_the_web_server_the_worker_and_beat(tmp_path):
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "DATABASE_URL"}
    } | {
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "ONESTOP_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ONESTOP_BIND": f"127.0.0.1:{port}",
        "ONESTOP_STOP_TIMEOUT": "3",
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    with (tmp_path / "run.log").open("wb") as log:
        # A session of its own, as a terminal's foreground job: Ctrl-C signals its whole group.
        script = subprocess.Popen(
            ["bash", "scripts/run.sh"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            celery_log = tmp_path / "var" / "celery.log"
            deadline = time.monotonic() + STARTUP_LIMIT
            while time.monotonic() < deadline and not (
                listening(port) and celery_log.exists() and "ready." in celery_log.read_text()
            ):
                assert script.poll() is None, (tmp_path / "run.log").read_text()
                time.sleep(0.5)
            assert listening(port), "the web server did not start"
            time.sleep(1)  # let the worker's pool and beat finish forking
            started = descendants(script.pid)
            # runserver and its reloaded child, the worker, its two pool processes and beat.
            assert len(started) >= 5, started

            os.killpg(script.pid, signal.SIGINT)
            script.wait(timeout=60)
        finally:
            if script.poll() is None:
                os.killpg(script.pid, signal.SIGKILL)
            left = {pid for pid in descendants(script.pid) | locals().get("started", set()) if running(pid)}
            for pid in left:
                os.kill(pid, signal.SIGKILL)
    assert not left, f"still running after run.sh exited: {left}\n{(tmp_path / 'run.log').read_text()}"
    assert not listening(port)
