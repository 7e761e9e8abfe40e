# ruff: noqa: E402 - Django must be set up before the models are imported.
"""Benchmark: the read endpoints of the API over one million dossiers (PostgreSQL), in process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python benchmarks/bench_api.py

Needs the million ``BENCH-`` dossiers of ``benchmarks/bench_reports.py`` (run it first). Seeds once,
set-based (INSERT … SELECT), what the API reads on top of them: tasks for the open dossiers and a
quarter of the returned ones (specialist then head at the receiving agency; one dossier in seven
also has a step at another agency), an event per finished task, 300 dossiers with a known lookup
key, and staff users with tokens (reception, specialist, head at four agencies; a supervisor).

Then calls the real URLs with Django's test ``Client`` (DEBUG off, throttling off), each case
``--requests`` times on random targets, and prints p50/p95/max in ms, the ratio of p50 to the
baseline (``GET /api/v1/auth/ping``-like cost: an authenticated call to a page of the catalog is not
trivial, so the baseline is ``/healthz`` with the broker check stubbed: one ``SELECT 1``) and the SQL
queries per request (captured once per case, on a separate request). ``--explain`` prints EXPLAIN
ANALYZE of each list's queries. Options: ``--requests N`` (default 200), ``--reseed``, ``--only``.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
import warnings
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestop.settings")
os.environ.setdefault("DEBUG", "false")
warnings.filterwarnings("ignore", message="No directory at")  # static files are not served here

import django

django.setup()

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, override_settings

from benchmarks.api_seed import PREFIX, STAFF_AGENCIES, USER_PREFIX, YEAR, lookup_key, seed
from core.benchdb import NotABenchDatabase, claim_bench_database
from core.roles import Role
from procedures.models import Agency
from workflows.models import Dossier, DossierTask

# --- measuring ---------------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class Case:
    def __init__(self, name: str, user: User | None, urls, target_ms: float | None = 50):
        self.name, self.user, self.urls, self.target_ms = name, user, urls, target_ms

    def client(self) -> Client:
        if self.user is None:
            return Client()
        return Client(HTTP_AUTHORIZATION=f"Token {self.user.auth_token.key}")


def run(
    case: Case, n: int, rng: random.Random, max_seconds: float, explain: bool = False
) -> tuple[list[float], int, int]:
    client = case.client()
    urls = [case.urls(rng) for _ in range(n)]
    client.get(urls[0])  # warm: imports, plan caches
    times, budget = [], time.perf_counter() + max_seconds
    for url in urls:
        if time.perf_counter() > budget and len(times) >= 20:
            break  # a slow case: enough requests for the median
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
    queries = []

    def capture(execute, sql, params, many, context):
        queries.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        response = client.get(urls[-1])
    body = response.json()
    count = body.get("count", 1) if isinstance(body, dict) else len(body)
    if explain:
        print(f"\n--- {case.name}: GET {urls[-1]}")
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


def month_range(rng: random.Random) -> str:
    month = rng.randrange(1, 13)
    start = dt.date(YEAR, month, 1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return f"received_from={start}&received_to={end}"


def cases() -> list[Case]:
    users = {u.username: u for u in User.objects.filter(username__startswith=USER_PREFIX)}
    agencies = list(Agency.objects.filter(code__endswith=".B99").order_by("code"))
    staff_agencies = agencies[:STAFF_AGENCIES]

    def user(role: str, agency: Agency) -> User:
        return users[f"{USER_PREFIX}{role}-{agency.code}"]

    def pick(role: str):
        """A random agency's user of that role per request would need one client per request; a
        case uses one user, agencies vary between cases."""
        return user(role, staff_agencies[1])

    supervisor = users[f"{USER_PREFIX}supervisor"]
    procedures = list(
        Dossier.objects.filter(code__startswith=PREFIX).values_list("procedure__code", flat=True).distinct()
    ) or ["9.900000"]
    lookups = [
        (code, lookup_key(code))
        for code in Dossier.objects.filter(code__startswith=PREFIX)
        .exclude(lookup_key_hash="0" * 64)
        .values_list("code", flat=True)
    ]
    head = pick(Role.HEAD)
    head_codes = list(
        Dossier.objects.filter(
            receiving_agency=staff_agencies[1], code__startswith=PREFIX, tasks__isnull=False
        )
        .order_by("-received_at")
        .values_list("code", flat=True)[:2000]
    )
    n_dossiers = 1_000_000
    agency_codes = list(
        Dossier.objects.filter(receiving_agency=staff_agencies[1], code__startswith=PREFIX)
        .order_by("-received_at")
        .values_list("code", flat=True)[:5000]
    )

    def code_prefix(rng):
        return f"{PREFIX}{rng.randrange(n_dossiers // 1000):05d}"

    def name_part(rng):
        return f"n%E1%BB%99p%20{int(rng.choice(agency_codes)[len(PREFIX) :])}"  # "nộp 123456"

    reception = pick(Role.RECEPTION)
    specialist = pick(Role.SPECIALIST)
    lst = "/api/v1/dossiers/?"
    public = "/api/v1/public/dossiers/{}/?key={}"
    out = [
        Case("baseline: /healthz (SELECT 1)", None, lambda r: "/healthz", None),
        Case("citizen lookup", None, lambda r: public.format(*r.choice(lookups)), 10),
        Case("procedures (catalog, 30)", None, lambda r: "/api/v1/procedures/"),
        Case("inbox: specialist", specialist, lambda r: "/api/v1/tasks/"),
        Case("inbox: specialist ?assigned=me", specialist, lambda r: "/api/v1/tasks/?assigned=me"),
        Case("inbox: specialist ?overdue=true", specialist, lambda r: "/api/v1/tasks/?overdue=true"),
        Case("inbox: head", head, lambda r: "/api/v1/tasks/"),
    ]
    for role, who in (("reception", reception), ("head", head), ("supervisor", supervisor)):
        out += [
            Case(f"dossiers: {role}", who, lambda r: lst),
            Case(f"dossiers: {role} ?status=processing", who, lambda r: f"{lst}status=processing"),
            Case(f"dossiers: {role} ?overdue=true", who, lambda r: f"{lst}overdue=true"),
            Case(f"dossiers: {role}, a month", who, lambda r: f"{lst}{month_range(r)}"),
            Case(f"dossiers: {role} ?search=<code prefix>", who, lambda r: f"{lst}search={code_prefix(r)}"),
            Case(f"dossiers: {role} ?search=<name part>", who, lambda r: f"{lst}search={name_part(r)}"),
        ]
    return out + [
        Case(
            "dossiers: supervisor ?procedure=", supervisor, lambda r: f"{lst}procedure={r.choice(procedures)}"
        ),
        Case("dossiers: supervisor ?agency=", supervisor, lambda r: f"{lst}agency={r.choice(agencies).code}"),
        Case(
            "dossiers: supervisor ?agency=&a month",
            supervisor,
            lambda r: f"{lst}agency={r.choice(agencies).code}&{month_range(r)}",
        ),
        Case(
            "dossier detail (head, own agency)", head, lambda r: f"/api/v1/dossiers/{r.choice(head_codes)}/"
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--max-seconds", type=float, default=20, help="Per case (at least 20 requests).")
    parser.add_argument("--only", default="", help="Run only the cases whose name contains this.")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE each case's queries.")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL.")
    try:
        claim_bench_database()
    except NotABenchDatabase as exc:
        sys.exit(str(exc))
    call_command("migrate", verbosity=0)
    if Dossier.objects.filter(code__startswith=PREFIX).count() < 1_000:
        sys.exit("Seed the dossiers first: benchmarks/bench_reports.py.")
    seed(args.reseed)
    print(
        f"{Dossier.objects.count():,} dossiers, {DossierTask.objects.count():,} tasks;"
        f" PostgreSQL {connection.pg_version}; DEBUG={settings.DEBUG}; {args.requests} requests a case"
    )
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "public": None, "auth": None}
    rest = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    rng = random.Random(11)
    baseline = None
    with (
        override_settings(REST_FRAMEWORK=rest, DEBUG=False, ALLOWED_HOSTS=["testserver"]),
        mock.patch("core.views.check_broker", return_value=(True, "stub")),
    ):
        print(f"\n{'case':46} {'p50':>7} {'p95':>7} {'max':>7} {'×base':>6} {'SQL':>4} {'count':>9}  target")
        for case in cases():
            if args.only and args.only not in case.name and baseline is not None:
                continue
            times, queries, count = run(case, args.requests, rng, args.max_seconds, args.explain)
            p50 = statistics.median(times)
            baseline = baseline or p50
            verdict = "" if case.target_ms is None else ("ok" if p50 < case.target_ms else "MISSED")
            print(
                f"{case.name:46} {p50:7.1f} {percentile(times, 95):7.1f} {max(times):7.1f}"
                f" {p50 / baseline:6.1f} {queries:4d} {count:9,}  "
                f"{'' if case.target_ms is None else f'<{case.target_ms:g}'} {verdict}"
            )


if __name__ == "__main__":
    main()
