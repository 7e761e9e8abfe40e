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
import hashlib
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
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.authtoken.models import Token

from core.benchdb import NotABenchDatabase, claim_bench_database
from core.roles import Role
from procedures.models import Agency
from workflows import visibility
from workflows.models import Dossier, DossierTask, StaffProfile
from workflows.services import hash_lookup_key

PREFIX = "BENCH-"
USER_PREFIX = "bench-api-"
STAFF_AGENCIES = 4  # agencies 000.00.00.B99 … 000.00.03.B99 get a reception, a specialist and a head
LOOKUP_DOSSIERS = 300
YEAR = 2025
TZ = timezone.get_default_timezone()


def lookup_key(code: str) -> str:
    """The key 'printed on the receipt' of a benchmark dossier, derived from its code."""
    return hashlib.sha256(f"bench-api:{code}".encode()).hexdigest()[:10].upper()


def seed_tasks() -> None:
    """Tasks and their events, all in SQL: ``t`` numbers the dossiers that get tasks."""
    now = timezone.now()
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as c:
        # The step each agency handles (bench_reports gives every agency one procedure, one step).
        c.execute(
            """
            CREATE TEMP TABLE bench_agency_step ON COMMIT DROP AS
            SELECT row_number() OVER (ORDER BY a.code) - 1 AS n, a.id AS agency_id, s.id AS step_id
            FROM procedures_agency a
            JOIN procedures_procedure p ON p.receiving_agency_id = a.id AND p.code LIKE '9.9%%'
            JOIN procedures_step s ON s.version_id = p.current_version_id
            WHERE a.code LIKE '000.00.%%.B99'
            """
        )
        c.execute("SELECT count(*) FROM bench_agency_step")
        agencies = c.fetchone()[0]
        # Open dossiers, and one returned dossier in four.
        c.execute(
            """
            CREATE TEMP TABLE bench_target ON COMMIT DROP AS
            SELECT d.id, d.status IN ('processing', 'waiting_supplement') AS open, d.received_at,
                   d.finished_at, s.step_id, s.n AS agency_n, d.receiving_agency_id AS agency_id
            FROM workflows_dossier d JOIN bench_agency_step s ON s.agency_id = d.receiving_agency_id
            WHERE d.code LIKE %(prefix)s
              AND (d.status IN ('processing', 'waiting_supplement')
                   OR (d.status = 'returned' AND d.id %% 4 = 0))
            """,
            {"prefix": PREFIX + "%"},
        )
        common = {"now": now, "agencies": agencies}
        # Specialist at the receiving agency: done for finished dossiers and half the open ones.
        # Open tasks are due from 3 days ago to 5 days ahead of now; some are overdue.
        c.execute(
            """
            INSERT INTO workflows_dossiertask (dossier_id, step_id, stage, agency_id, role, status,
                created_at, due_at, started_at, finished_at, decision, note, reasons, verdict,
                work_hours)
            SELECT id, step_id, 0, agency_id, 'specialist',
                CASE WHEN open AND id %% 2 = 1 THEN 'open' ELSE 'done' END,
                received_at + interval '1 hour',
                CASE WHEN open AND id %% 2 = 1
                     THEN %(now)s + ((id %% 193) - 72) * interval '1 hour'
                     ELSE received_at + interval '3 days' END,
                CASE WHEN open AND id %% 2 = 1 THEN NULL ELSE received_at + interval '5 hours' END,
                CASE WHEN open AND id %% 2 = 1 THEN NULL
                     ELSE received_at + (20 + id %% 60) * interval '1 hour' END,
                CASE WHEN open AND id %% 2 = 1 THEN '' ELSE 'approve' END, '', '[]',
                CASE WHEN open AND id %% 2 = 1 THEN '' WHEN id %% 60 < 52 THEN 'early' ELSE 'late' END,
                CASE WHEN open AND id %% 2 = 1 THEN NULL ELSE 6 + id %% 20 END
            FROM bench_target
            """,
            common,
        )
        specialist = c.rowcount
        print(f"  specialist: {specialist:,} rows, {time.perf_counter() - t0:.1f} s", flush=True)
        # Head at the receiving agency, once the specialist is done: open for open dossiers.
        c.execute(
            """
            INSERT INTO workflows_dossiertask (dossier_id, step_id, stage, agency_id, role, status,
                created_at, due_at, started_at, finished_at, decision, note, reasons, verdict,
                work_hours)
            SELECT id, step_id, 0, agency_id, 'head', CASE WHEN open THEN 'open' ELSE 'done' END,
                received_at + (20 + id %% 60) * interval '1 hour',
                CASE WHEN open THEN %(now)s + ((id %% 97) - 24) * interval '1 hour'
                     ELSE received_at + (44 + id %% 60) * interval '1 hour' END,
                CASE WHEN open THEN NULL ELSE received_at + (22 + id %% 60) * interval '1 hour' END,
                CASE WHEN open THEN NULL ELSE coalesce(finished_at, received_at + interval '4 days')
                     - interval '2 hours' END,
                CASE WHEN open THEN '' ELSE 'approve' END, '', '[]',
                CASE WHEN open THEN '' ELSE 'early' END,
                CASE WHEN open THEN NULL ELSE 2 + id %% 5 END
            FROM bench_target WHERE NOT open OR id %% 2 = 0
            """,
            common,
        )
        head = c.rowcount
        print(f"  head: {head:,} rows, {time.perf_counter() - t0:.1f} s", flush=True)
        # One dossier in seven also goes through another agency (liên thông).
        c.execute(
            """
            INSERT INTO workflows_dossiertask (dossier_id, step_id, stage, agency_id, role, status,
                created_at, due_at, started_at, finished_at, decision, note, reasons, verdict,
                work_hours)
            SELECT t.id, o.step_id, 1, o.agency_id, 'specialist',
                CASE WHEN t.open THEN 'open' ELSE 'done' END,
                t.received_at + interval '2 days',
                CASE WHEN t.open THEN %(now)s + ((t.id %% 121) - 48) * interval '1 hour'
                     ELSE t.received_at + interval '4 days' END,
                CASE WHEN t.open THEN NULL ELSE t.received_at + interval '50 hours' END,
                CASE WHEN t.open THEN NULL ELSE t.received_at + interval '70 hours' END,
                CASE WHEN t.open THEN '' ELSE 'approve' END, '', '[]',
                CASE WHEN t.open THEN '' ELSE 'early' END,
                CASE WHEN t.open THEN NULL ELSE 8 END
            FROM bench_target t
            JOIN bench_agency_step o ON o.n = (t.agency_n + 1 + t.id %% (%(agencies)s - 1)) %% %(agencies)s
            WHERE t.id %% 7 = 0
            """,
            common,
        )
        other = c.rowcount
        print(f"  other: {other:,} rows, {time.perf_counter() - t0:.1f} s", flush=True)
        c.execute(
            """
            INSERT INTO workflows_dossierevent (dossier_id, at, action, from_status, to_status,
                task_id, step_id, agency_id, due_at, verdict, reason, data, actor_username)
            SELECT t.dossier_id, t.finished_at, 'approved', 'processing', 'processing', t.id,
                t.step_id, t.agency_id, t.due_at, t.verdict, '', '{}'::jsonb, ''
            FROM workflows_dossiertask t JOIN bench_target b ON b.id = t.dossier_id
            WHERE t.status = 'done'
            """
        )
        events = c.rowcount
        print(f"  events: {events:,} rows, {time.perf_counter() - t0:.1f} s", flush=True)
    print(
        f"tasks: {specialist:,} specialist, {head:,} head, {other:,} at another agency;"
        f" {events:,} events; {time.perf_counter() - t0:.1f} s"
    )


def seed_lookup_keys() -> None:
    """300 dossiers, open and finished ones with tasks, get the hash of a key derived from the code."""
    with connection.cursor() as c:
        c.execute(
            """
            SELECT d.code FROM workflows_dossier d
            WHERE d.code LIKE %s AND EXISTS (SELECT 1 FROM workflows_dossiertask t WHERE t.dossier_id = d.id)
            ORDER BY md5(d.code) LIMIT %s
            """,
            [PREFIX + "%", LOOKUP_DOSSIERS],
        )
        codes = [row[0] for row in c.fetchall()]
        c.executemany(
            "UPDATE workflows_dossier SET lookup_key_hash = %s WHERE code = %s",
            [(hash_lookup_key(lookup_key(code)), code) for code in codes],
        )
    print(f"lookup keys: {len(codes)} dossiers")


def seed_staff() -> None:
    agencies = list(Agency.objects.filter(code__endswith=".B99").order_by("code")[:STAFF_AGENCIES])
    groups = {role: Group.objects.get_or_create(name=role)[0] for role in Role}
    for agency in agencies:
        for role in (Role.RECEPTION, Role.SPECIALIST, Role.HEAD):
            user = User.objects.create_user(f"{USER_PREFIX}{role}-{agency.code}")
            user.groups.add(groups[role])
            StaffProfile.objects.create(user=user, agency=agency)
            Token.objects.create(user=user)
            if role == Role.SPECIALIST:  # a third of the agency's open specialist tasks are theirs
                with connection.cursor() as c:
                    c.execute(
                        "UPDATE workflows_dossiertask SET owner_id = %s, assigned_at = now()"
                        " WHERE agency_id = %s AND role = %s AND status = 'open' AND id %% 3 = 0",
                        [user.id, agency.id, role.value],
                    )
    user = User.objects.create_user(f"{USER_PREFIX}supervisor")
    user.groups.add(groups[Role.SUPERVISOR])
    StaffProfile.objects.create(user=user, agency=agencies[0])
    Token.objects.create(user=user)
    print(f"staff: {User.objects.filter(username__startswith=USER_PREFIX).count()} users with tokens")


def seed(reseed: bool) -> None:
    seeded = DossierTask.objects.filter(dossier__code__startswith=PREFIX).exists()
    if seeded and not reseed:
        return
    if seeded:
        with transaction.atomic(), connection.cursor() as c:
            c.execute(
                "DELETE FROM workflows_dossierevent WHERE action = 'approved' AND dossier_id IN"
                " (SELECT id FROM workflows_dossier WHERE code LIKE %s)",
                [PREFIX + "%"],
            )
            c.execute(
                "DELETE FROM workflows_dossiertask WHERE dossier_id IN"
                " (SELECT id FROM workflows_dossier WHERE code LIKE %s)",
                [PREFIX + "%"],
            )
            c.execute(
                "UPDATE workflows_dossier SET lookup_key_hash = %s WHERE code LIKE %s",
                ["0" * 64, PREFIX + "%"],
            )
    User.objects.filter(username__startswith=USER_PREFIX).delete()
    seed_tasks()
    print(f"visibility: {visibility.rebuild():,} rows")  # the tasks were written by SQL
    seed_lookup_keys()
    seed_staff()
    with connection.cursor() as c:
        for table in (
            "workflows_dossier",
            "workflows_dossiertask",
            "workflows_dossierevent",
            "workflows_dossieragency",
        ):
            c.execute(f"VACUUM ANALYZE {table}")


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
