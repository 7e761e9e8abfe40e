"""What ``bench_api.py`` and ``bench_http.py`` read on top of the ``BENCH-`` dossiers, seeded once and
set-based (INSERT … SELECT): tasks for the open dossiers and a quarter of the returned ones, an event
per finished task, 300 dossiers with a known lookup key, and staff users with tokens. Imported after
``django.setup()``."""

import hashlib
import time

from django.contrib.auth.models import Group, User
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from core.roles import Role
from procedures.models import Agency
from workflows import visibility
from workflows.models import DossierTask, StaffProfile
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
