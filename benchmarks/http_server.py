"""The gunicorn the over-HTTP benchmarks measure: the app plus ``/bench/trivial``
(``benchmarks.bench_settings``), a worker per CPU, rate limits lifted, DEBUG off."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def worker_count() -> int:
    return os.cpu_count() or 2


@contextmanager
def bench_server(port: int, root: Path = ROOT) -> Iterator[str]:
    """Start it on ``port``, wait until the trivial view answers, yield its base URL, stop it.
    ``root``: the checkout whose code it serves (another one to compare two versions in a run)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.bench_settings",
        "DEBUG": "false",
        "ONESTOP_PUBLIC_RATE": "1000000/second",
        "ONESTOP_AUTH_RATE": "1000000/second",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "onestop.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(worker_count()), "--error-logfile", "-", "--log-level", "warning"],
        cwd=root, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/bench/trivial", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
