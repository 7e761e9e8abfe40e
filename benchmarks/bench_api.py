# ruff: noqa: E402 - Django must be set up before the models are imported.
"""Benchmark: the desk's read requests in process, on a province seeded by ``manage.py seed_bench``.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<bench db> .venv/bin/python benchmarks/bench_api.py

The cases are the over-HTTP suite's (``benchmarks.suite_http.cases``: the citizen lookup, the
inboxes, every dossier list filter and search of every role, the detail, the staff UI's pages),
called with Django's test ``Client`` (DEBUG off, rate limits lifted), each ``--requests`` times,
against the trivial JSON view of ``benchmarks.bench_settings`` in the same run. Prints p50 / p95 /
max in ms, the ratio of p50 to the baseline's, the SQL queries per request (captured once, on a
separate request) and the list's ``count``. Without gunicorn and the loopback this shows the
request's own cost; ``--explain`` prints EXPLAIN (ANALYZE, BUFFERS) of every query of each case.
Options: ``--requests N`` (default 100), ``--max-seconds S`` per case, ``--only <substring>``.
Reads only: the database is not written.
"""

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.bench_settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ONESTOP_PUBLIC_RATE", "1000000/second")
os.environ.setdefault("ONESTOP_AUTH_RATE", "1000000/second")
warnings.filterwarnings("ignore", message="No directory at")  # static files are not served here

import django

django.setup()

from django.conf import settings
from django.db import connection, transaction
from django.test import Client, override_settings

from benchmarks.suite_http import Case, cases, credentials
from workflows.models import Dossier, DossierTask


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def client_for(case: Case) -> Client:
    headers = credentials(case)
    if "Cookie" in headers:  # a staff UI session: the test client keeps cookies itself
        client = Client()
        client.cookies["sessionid"] = headers["Cookie"].split("=", 1)[1]
        return client
    return Client(headers=headers)


def run(case: Case, n: int, max_seconds: float, explain: bool) -> tuple[list[float], int, str]:
    client = client_for(case)
    client.get(case.path)  # warm: imports, plan caches, prepared statements
    times, budget = [], time.perf_counter() + max_seconds
    for _ in range(n):
        if time.perf_counter() > budget and len(times) >= 20:
            break  # a slow case: enough requests for the median
        start = time.perf_counter()
        response = client.get(case.path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (case.path, response.status_code, response.content[:300])
    queries = []

    def capture(execute, sql, params, many, context):
        queries.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        response = client.get(case.path)
    count = ""
    if response.get("Content-Type", "").startswith("application/json"):
        body = response.json()
        if isinstance(body, dict) and "count" in body:
            count = f"{body['count']:,}" + ("+" if body.get("count_capped") else "")
    if explain:
        print(f"\n--- {case.name}: GET {case.path}")
        for sql, params in queries:
            print(explain_plan(sql, params))
    return times, len(queries), count


def explain_plan(sql: str, params) -> str:
    """EXPLAIN ANALYZE of one query a request ran (reads only; rolled back anyway)."""
    if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
        return f"(not a read) {sql[:120]}"
    with transaction.atomic(), connection.cursor() as c:
        c.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
        plan = "\n".join(row[0] for row in c.fetchall())
        transaction.set_rollback(True)
    return f"{sql[:300]}\n{plan}\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--max-seconds", type=float, default=10, help="Per case (at least 20 requests).")
    parser.add_argument("--only", default="", help="Run only the cases whose name contains this.")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE each case's queries.")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL.")
    if not Dossier.objects.exists():
        sys.exit("Seed the province first: manage.py seed_bench --dossiers N.")
    print(
        f"{Dossier.objects.count():,} dossiers, {DossierTask.objects.count():,} tasks;"
        f" PostgreSQL {connection.pg_version}; DEBUG={settings.DEBUG}; {args.requests} requests a case"
    )
    todo = [c for c in cases() if not args.only or args.only in c.name or c.path.startswith("/bench/")]
    baseline = None
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
        print(f"\n{'case':46} {'p50':>7} {'p95':>7} {'max':>7} {'×base':>6} {'SQL':>4} {'count':>10}")
        for case in todo:
            times, queries, count = run(case, args.requests, args.max_seconds, args.explain)
            p50 = statistics.median(times)
            baseline = baseline or p50
            print(
                f"{case.name:46} {p50:7.1f} {percentile(times, 95):7.1f} {max(times):7.1f}"
                f" {p50 / baseline:6.1f} {queries:4d} {count:>10}",
                flush=True,
            )


if __name__ == "__main__":
    main()
