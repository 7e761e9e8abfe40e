"""The phases of ``seed_bench``: catalog and staff, dossier batches, staff assignments, statistics,
derived tables. Each phase prints its time; the batches rewrite one progress line.

What a seeded province is (PostgreSQL only, set based):

- the demo catalog, agencies and staff of ``manage.py load_demo`` (every staff user gets an API
  token for the HTTP benchmarks);
- N dossiers ``BENCH-00000000`` … received over max(1, N / 1,000,000) years ending at the snapshot
  (``core.benchdb.bench_snapshot``: the instant the benchmarks take as "now"), spread uniformly
  over the demo procedures: 45 % online, 3 % refused at intake, 2 % withdrawn, a few percent
  late (a third of those extended), 6 % paused once; what is still open at the snapshot is
  processing at a random stage or waiting for a supplement;
- a task per step the dossier went through (all steps of a finished one; up to the current stage
  of an open one, that stage's tasks open), an event per transition (registered, each decision,
  extension, withdrawal, result returned), pauses and extensions;
- for each open dossier its viewflow process and tasks, exactly as ``services.dossier_register``
  leaves them (receive, what_next, one ``process_step`` per open task), so the services and the
  staff pages can act on a seeded dossier; finished dossiers have no viewflow rows (the process
  history is not read by any page);
- a third of the open specialist tasks assigned to their agency's specialist.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from io import StringIO
from typing import TextIO

from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import override_settings

from . import bulk, sql
from .derived import rebuild_derived

PREFIX = "BENCH-"
DOSSIERS_A_YEAR = 1_000_000
BARE_LOAD_FROM = 50_000  # a first seed this large loads bare tables (benchseed.bulk)
TABLES = (
    "workflows_dossier", "workflows_dossiertask", "workflows_dossierevent", "workflows_dossierpause",
    "workflows_dossierextension", "viewflow_process", "viewflow_task", "viewflow_task_previous",
)  # fmt: skip


STATEMENTS = [
    ("dossiers", sql.DOSSIERS),
    ("refusals", sql.REJECTED_EVENTS),
    ("batch", sql.BATCH),
    ("task plan", sql.TASKS),
    ("processes plan", sql.PROCESSES),
    *((f"viewflow {n}", statement) for n, statement in enumerate(sql.VIEWFLOW, 1)),
    ("tasks and their events", sql.DOSSIER_TASKS),
    ("dossier events", sql.EVENTS),
    *((f"pauses/extensions {n}", statement) for n, statement in enumerate(sql.PAUSES_AND_EXTENSIONS, 1)),
]


def code(i: int) -> str:
    return f"{PREFIX}{i:08d}"


def years_for(total: int) -> int:
    return max(1, math.ceil(total / DOSSIERS_A_YEAR))


def due_days(value: int, unit: str) -> int:
    """The committed duration in calendar days (five working days a week, eight hours a day)."""
    if unit == "working_days":
        return max(1, math.ceil(value * 7 / 5))
    if unit == "working_hours":
        return max(1, math.ceil(value / 8))
    return max(1, value)


class Clock:
    def __init__(self, out: TextIO):
        self.out, self.started, self.phases = out, time.perf_counter(), []

    def phase(self, name: str, since: float) -> None:
        seconds = time.perf_counter() - since
        self.phases.append((name, seconds))
        self.out.write(f"  {name:<34} {seconds:7.1f} s\n")


def load_catalog(out: TextIO) -> int:
    """The demo catalog and staff (idempotent), then the temp tables the batches join."""
    # Fast hashes for the demo staff: 47 PBKDF2 hashes take minutes on a busy 2-core machine. The
    # benchmarks authenticate with tokens and sessions; a bench database's demo passwords need
    # ``manage.py changepassword`` before an interactive login.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        call_command("load_demo", stdout=StringIO())
    from rest_framework.authtoken.models import Token

    from procedures.models import Procedure, Step
    from workflows.models import StaffProfile

    for profile in StaffProfile.objects.select_related("user").filter(user__auth_token__isnull=True):
        Token.objects.get_or_create(user=profile.user)
    rows = []
    procedures = Procedure.objects.filter(current_version__isnull=False).select_related("current_version")
    for procedure in procedures.order_by("code"):
        version = procedure.current_version
        stages = Step.objects.filter(version=version).values_list("stage", flat=True).distinct().count()
        if stages:
            days = due_days(version.committed_duration_value, version.committed_duration_unit)
            rows.append((len(rows), procedure.pk, version.pk, procedure.receiving_agency_id, stages, days))
    with connection.cursor() as c:
        c.execute("DROP TABLE IF EXISTS seed_catalog, seed_steps")
        c.execute(
            "CREATE TEMP TABLE seed_catalog (n int, procedure_id bigint, version_id bigint,"
            " agency_id bigint, stage_count int, due_days int)"
        )
        c.executemany("INSERT INTO seed_catalog VALUES (%s, %s, %s, %s, %s, %s)", rows)
        c.execute(
            """
            CREATE TEMP TABLE seed_steps AS
            SELECT s.version_id, s.id AS step_id, s.stage, s.agency_id, s.role,
                greatest(s.budget_hours, 1) AS budget_hours,
                row_number() OVER (PARTITION BY s.version_id, s.stage ORDER BY s."order", s.id) AS k
            FROM procedures_step s JOIN seed_catalog c ON c.version_id = s.version_id
            """
        )
    out.write(f"  catalog: {len(rows)} procedures of the demo catalog\n")
    return len(rows)


def seed_batches(out: TextIO, *, existing: int, total: int, batch: int, snapshot: dt.datetime, ncat: int):
    years = years_for(total)
    span = (years * 365 * 86400) if total else 0
    started, spent = time.perf_counter(), {}
    with connection.cursor() as c:
        c.execute("SELECT setseed(%s)", [0.42 * (existing / max(total, 1))])
        for lo in range(existing, total, batch):
            hi = min(total, lo + batch) - 1
            params = {"prefix": PREFIX, "now": snapshot, "lo": lo, "hi": hi, "ncat": ncat, "span": span,
                      "first": code(lo), "last": code(hi)}  # fmt: skip
            with transaction.atomic():
                for name, statement in STATEMENTS:
                    t = time.perf_counter()
                    c.execute(statement, params if "%(" in statement else None)
                    spent[name] = spent.get(name, 0.0) + time.perf_counter() - t
                t = time.perf_counter()
            spent["commit"] = spent.get("commit", 0.0) + time.perf_counter() - t
            progress(out, hi + 1 - existing, total - existing, started)
    if spent:
        out.write(
            "  of which: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in spent.items()) + "\n"
        )


def progress(out: TextIO, done: int, total: int, started: float) -> None:
    """A bar rewritten in place: dossiers written (with everything they own), percent, rate, ETA."""
    width, share = 30, done / max(total, 1)
    seconds = time.perf_counter() - started
    rate = done / seconds if seconds else 0
    eta = (total - done) / rate if rate else 0
    bar = "#" * round(width * share)
    end = "\n" if done >= total else ""
    line = f"\r  [{bar:<{width}}] {done:>11,} / {total:,} {share:4.0%}  {rate:8,.0f}/s  eta {eta:5.0f} s{end}"
    if hasattr(out, "style_func"):  # a command's OutputWrapper would end each write with a newline
        out.write(line, ending="")
    else:
        out.write(line)
    out.flush()


def assign_specialists() -> int:
    """A third of the open specialist tasks go to their agency's (first) specialist."""
    with connection.cursor() as c:
        c.execute(
            """
            UPDATE workflows_dossiertask t SET owner_id = u.user_id, assigned_at = t.created_at
            FROM (
                SELECT DISTINCT ON (p.agency_id) p.agency_id, p.user_id
                FROM workflows_staffprofile p
                JOIN auth_user_groups ug ON ug.user_id = p.user_id
                JOIN auth_group g ON g.id = ug.group_id AND g.name = 'specialist'
                ORDER BY p.agency_id, p.user_id
            ) u
            WHERE t.agency_id = u.agency_id AND t.role = 'specialist' AND t.status = 'open'
              AND t.owner_id IS NULL AND t.id % 3 = 0
            """
        )
        return c.rowcount


def analyze(out: TextIO) -> None:
    with connection.cursor() as c:
        for table in TABLES:
            c.execute(f"VACUUM ANALYZE {table}")


def seed(out: TextIO, *, total: int, batch: int, snapshot: dt.datetime) -> Clock:
    """Seed up to ``total`` dossiers (the ones already there are kept); returns the phase timings."""
    from workflows.models import Dossier

    clock = Clock(out)
    t = time.perf_counter()
    ncat = load_catalog(out)
    clock.phase("demo catalog, staff and tokens", t)
    existing = Dossier.objects.filter(code__startswith=PREFIX).count()
    if existing > total:
        out.write(f"  {existing:,} dossiers already there (more than {total:,}): nothing to add\n")
    t = time.perf_counter()
    restored = bulk.restore_indexes()
    if restored:
        clock.phase(f"indexes of an interrupted seed ({restored})", t)
    if existing < total:
        bare = existing == 0 and total >= BARE_LOAD_FROM
        if bare:
            t = time.perf_counter()
            clock.phase(f"secondary indexes dropped ({bulk.drop_indexes()})", t)
        fast = bulk.triggers_off()
        how = f"{'bare tables' if bare else 'indexes kept'}, FK triggers {'off' if fast else 'on'}"
        out.write(f"  {years_for(total)} year(s) ending {snapshot.isoformat()}, {existing:,} there; {how}\n")
        t = time.perf_counter()
        try:
            seed_batches(out, existing=existing, total=total, batch=batch, snapshot=snapshot, ncat=ncat)
        finally:
            bulk.triggers_on()
        clock.phase("dossiers, tasks, events, processes", t)
        if bare:
            t = time.perf_counter()
            clock.phase(f"secondary indexes rebuilt ({bulk.restore_indexes()})", t)
    if existing >= total:
        # Nothing written: the derived tables are as the last seed (or the services) left them,
        # and rebuilding them costs minutes at 10 M on every rerun (``make bench`` seeds first).
        out.write("  nothing added: assignments, statistics and derived tables kept\n")
        return clock
    t = time.perf_counter()
    assigned = assign_specialists()
    clock.phase(f"assignments ({assigned:,} tasks)", t)
    t = time.perf_counter()
    analyze(out)
    clock.phase("VACUUM ANALYZE", t)
    t = time.perf_counter()
    rebuild_derived(out)
    clock.phase("derived tables (benchseed.derived)", t)
    return clock
