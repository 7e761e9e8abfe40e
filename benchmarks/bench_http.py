# ruff: noqa: E402 - Django must be set up before the models are imported.
"""Benchmark: the API over HTTP, gunicorn + wrk on the loopback, against a trivial JSON view.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<bench db> .venv/bin/python benchmarks/bench_http.py

Needs a database seeded by ``manage.py seed_bench`` (or bench_reports.py + bench_api.py). Starts
gunicorn (``gunicorn.conf.py``: gthread workers; ``--workers`` = CPU count) with
``benchmarks.bench_settings`` (the app plus ``/bench/trivial``, a JSON view without the database),
rate limits lifted, DEBUG off; then runs ``wrk`` (Debian package ``wrk``) per case for
``--seconds`` at concurrency 1 (latency: p50 / p90 / p99) and at concurrency 8 (requests per
second), and prints each against the trivial view measured in the same run. One fixed URL per
case (wrk repeats it): the database pages it reads stay cached, as a desk's do.
Options: ``--seconds 5``, ``--only <substring>``, ``--port 8765``.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestop.settings")

import django

django.setup()

from django.contrib.auth.models import User
from django.db import connection

from benchmarks.api_seed import USER_PREFIX, lookup_key
from benchmarks.http_server import bench_server, worker_count
from workflows.models import Dossier

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, token: str | None, connections: int, seconds: int) -> dict:
    threads = min(connections, 2)
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if token:
        cmd[1:1] = ["-H", f"Authorization: Token {token}"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    for pct in ("50", "90", "99"):
        value, unit = re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)", out).groups()
        result[pct] = float(value) * UNITS[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    result["errors"] = int(errors.group(1)) if errors else 0
    return result


def cases() -> list[tuple[str, str, str | None]]:
    users = {u.username: u for u in User.objects.filter(username__startswith=USER_PREFIX)}

    def token(name: str) -> str:
        return next(u for n, u in users.items() if n.startswith(USER_PREFIX + name)).auth_token.key

    code = (
        Dossier.objects.filter(code__startswith="BENCH-")
        .exclude(lookup_key_hash="0" * 64)
        .values_list("code", flat=True)
        .first()
    )
    head = next(u for n, u in users.items() if n.startswith(USER_PREFIX + "head"))
    head_dossier = (
        Dossier.objects.filter(receiving_agency_id=head.staff.agency_id)
        .values_list("code", flat=True)
        .first()
    )
    lst = "/api/v1/dossiers/?"
    month = "received_from=2025-06-01&received_to=2025-06-30"
    out = [
        ("trivial JSON view (baseline)", "/bench/trivial", None),
        ("citizen lookup", f"/api/v1/public/dossiers/{code}/?key={lookup_key(code)}", None),
        ("inbox: specialist", "/api/v1/tasks/", token("specialist")),
        ("inbox: specialist ?overdue=true", "/api/v1/tasks/?overdue=true", token("specialist")),
        ("inbox: head", "/api/v1/tasks/", token("head")),
    ]
    for role in ("reception", "head", "supervisor"):
        out += [
            (f"dossiers: {role}", lst, token(role)),
            (f"dossiers: {role} ?status=processing", f"{lst}status=processing", token(role)),
            (
                f"dossiers: {role}, a month",
                f"{lst}{month}",
                token(role),
            ),
            (f"dossiers: {role} ?search=<code prefix>", f"{lst}search=BENCH-00123", token(role)),
            (f"dossiers: {role} ?search=<name part>", f"{lst}search=n%E1%BB%99p%20654321", token(role)),
        ]
    out.append(("dossier detail (head)", f"/api/v1/dossiers/{head_dossier}/", token("head")))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--only", default="")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    if connection.vendor != "postgresql" or not shutil.which("wrk"):
        sys.exit("Needs PostgreSQL (DATABASE_URL) and wrk (apt-get install -y wrk).")
    todo = [c for c in cases() if not args.only or args.only in c[0] or c[0].startswith("trivial")]
    connection.close()
    workers = worker_count()
    with bench_server(args.port) as base:
        print(f"gunicorn: {workers} gthread workers; wrk {args.seconds} s per case and concurrency")
        print(
            f"{'case':44} {'p50':>7} {'p90':>7} {'p99':>7} {'×base':>6} {'rps@8':>8} {'%base':>6} {'err':>4}"
        )
        baseline = None
        for name, path, token in todo:
            one = wrk(base + path, token, 1, args.seconds)
            eight = wrk(base + path, token, 8, args.seconds)
            baseline = baseline or (one["50"], eight["rps"])
            print(
                f"{name:44} {one['50']:7.1f} {one['90']:7.1f} {one['99']:7.1f}"
                f" {one['50'] / baseline[0]:7.1f} {eight['rps']:7.0f} {eight['rps'] / baseline[1]:7.0%}"
                f" {one['errors'] + eight['errors']:7d}",
                flush=True,
            )


if __name__ == "__main__":
    main()
