"""How long a deadline sweep takes over 100,000 open tasks, in steady state and after a day's gap.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/onestop_bench_sweep \
        .venv/bin/python benchmarks/bench_sweep.py
    options: --tasks 100000 --gaps 60,86400 --runs 5 --explain --json

For each gap, seeds open tasks (4 per dossier) with due times spread from 30 days ago to 60 days
ahead, flagged as if sweeps had run until ``gap`` before ``as_of``, so the sweep finds what became
due soon or overdue in the last ``gap`` (60 s: steady state, the previous sweep one interval ago;
86,400 s: a day without sweeps, thousands of tasks crossing their thresholds). Rows are generated
server side with INSERT … SELECT generate_series (a bulk load like COPY, without the round trips).

Times, each as the median of ``runs``, in the same run on the same rows:
- baseline "count": a plain indexed count of the open tasks due by the threshold (the rows a naive
  sweep would consider);
- baseline "insert": one INSERT … SELECT generate_series of as many notification rows as the sweep
  writes (the floor for writing them);
- "before": the sweep as it was (tests/notifications/reference_sweep.py: the same claims, rows
  built in Python, 500 per INSERT, one delivery publish per e-mail);
- "after": the set-based sweep (notifications/sweep.py).
and the SQL statements each sweep sends (savepoints not counted), ratios to the baselines and
after / before. Each timed run is a transaction rolled back after ``SET CONSTRAINTS ALL
IMMEDIATE`` (the deferred foreign-key checks a commit would run are timed; the WAL flush is not),
with a VACUUM between runs so that every run sees the same state. Delivery publishes are replaced
by counters (no broker needed): "messages" is how many a sweep would publish.
"""

import argparse
import datetime as dt
import json
import logging
import os
import statistics
import sys
import time
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "false")  # as in production: no query log, no debug cursor
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestop.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from core.benchdb import NotABenchDatabase, claim_bench_database, is_bench_database  # noqa: E402
from notifications import outbox  # noqa: E402
from notifications import sweep as sweep_module  # noqa: E402
from notifications.clock import working_threshold  # noqa: E402

AS_OF = dt.datetime(2026, 3, 4, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))  # a Wednesday morning


class Rollback(Exception):
    pass


def vacuum() -> None:
    """Clear the dead rows a rolled-back run left, so that the next run sees the same tables."""
    with connection.cursor() as c:
        for table in ("workflows_dossiertask", "workflows_dossier", "notifications_notification"):
            c.execute(f"VACUUM {table}")


def timed(fn, runs: int) -> tuple[float, object]:
    """Median seconds of ``fn`` over ``runs`` runs, each in a transaction rolled back afterwards
    (after the deferred constraint checks a commit would run, which are timed)."""
    times, last = [], None
    for _ in range(runs):
        try:
            with transaction.atomic():
                start = time.perf_counter()
                last = fn()
                with connection.cursor() as c:
                    c.execute("SET CONSTRAINTS ALL IMMEDIATE")
                times.append(time.perf_counter() - start)
                raise Rollback
        except Rollback:
            pass
        vacuum()
    return statistics.median(times), last


def statements(fn) -> int:
    """SQL statements ``fn`` sends, in a transaction rolled back. Transaction control is not
    counted (the savepoints are the sweep's BEGIN and COMMIT at the top level), nor the calendar,
    read once and then cached (in Redis in production)."""
    working_threshold(as_of=AS_OF, working_hours=settings.ONESTOP_DUE_SOON_HOURS)
    with CaptureQueriesContext(connection) as captured:  # an exception through it drops its end
        try:
            with transaction.atomic():
                fn()
                raise Rollback
        except Rollback:
            pass
    vacuum()
    control = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK", "BEGIN", "COMMIT")
    return sum(1 for q in captured.captured_queries if not q["sql"].startswith(control))


def seed(n_tasks: int, gap: dt.timedelta) -> None:
    from django.contrib.auth.models import Group, User

    from core.roles import Role
    from tests.factories import make_procedure
    from workflows.models import StaffProfile

    if not is_bench_database():  # never TRUNCATE a database a benchmark did not create
        raise NotABenchDatabase(f"{connection.settings_dict['NAME']!r} is not a benchmark database")
    with connection.cursor() as c:
        c.execute(
            "TRUNCATE notifications_notification, workflows_dossiertask, workflows_dossier,"
            " workflows_staffprofile RESTART IDENTITY CASCADE"
        )
    User.objects.filter(username__startswith="bench-").delete()
    from procedures.models import Procedure

    procedure = Procedure.objects.filter(code="9.999999").first() or make_procedure(code="9.999999")
    agency = procedure.receiving_agency
    step = procedure.current_version.steps.first()
    for role in (Role.HEAD, Role.SUPERVISOR, Role.SPECIALIST, Role.SPECIALIST):
        user = User.objects.create_user(f"bench-{role}-{User.objects.count()}", email=f"{role}@example.vn")
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        StaffProfile.objects.create(user=user, agency=agency)

    previous = AS_OF - gap
    prev_threshold = working_threshold(as_of=previous, working_hours=settings.ONESTOP_DUE_SOON_HOURS)
    n_dossiers = max(n_tasks // 4, 1)
    span = 90 * 24 * 60  # minutes: due times from 30 days ago to 60 days ahead
    common = {"as_of": AS_OF, "previous": previous, "prev_threshold": prev_threshold, "span": span}
    started = time.perf_counter()
    with connection.cursor() as c:
        c.execute(
            """
            INSERT INTO workflows_dossier (code, procedure_id, version_id, receiving_agency_id,
                applicant_kind,
                applicant_name, applicant_id_number, applicant_phone, applicant_email, applicant_address,
                channel, documents, status, current_stage, received_at, due_at, original_due_at, result,
                verdict, reasons, extended, paused_hours, lookup_key_hash, created_at, updated_at,
                stage_count, due_soon_notified_at, overdue_notified_at)
            SELECT 'BENCH-' || g, %(procedure)s, %(version)s, %(agency)s, 'person', 'Nguyễn Văn A',
                '001' || g, '', '', '', 'in_person', '[]',
                CASE WHEN g %% 50 = 0 THEN 'waiting_supplement' ELSE 'processing' END, 0,
                d - interval '20 days', d, d, '', '', '[]', false, 0, '', now(), now(), 1,
                CASE WHEN d <= %(prev_threshold)s THEN d - interval '1 day' END,
                CASE WHEN d <= %(previous)s THEN d END
            FROM (SELECT g, %(as_of)s + ((g::bigint * 7919) %% %(span)s - 30 * 24 * 60)
                                 * interval '1 minute' AS d
                  FROM generate_series(1, %(n)s) g) s
            """,
            common
            | {
                "n": n_dossiers,
                "procedure": procedure.id,
                "version": procedure.current_version_id,
                "agency": agency.id,
            },
        )
        c.execute(
            """
            INSERT INTO workflows_dossiertask (dossier_id, step_id, stage, agency_id, role, status,
                created_at,
                due_at, decision, note, reasons, verdict, due_soon_notified_at, overdue_notified_at)
            SELECT (g - 1) %% %(n_dossiers)s + 1, %(step)s, 0, %(agency)s, 'specialist', 'open',
                d - interval '5 days', d, '', '', '[]', '',
                CASE WHEN d <= %(prev_threshold)s THEN d - interval '1 day' END,
                CASE WHEN d <= %(previous)s THEN d END
            FROM (SELECT g, %(as_of)s + ((g::bigint * 104729) %% %(span)s - 30 * 24 * 60)
                                 * interval '1 minute' AS d
                  FROM generate_series(1, %(n)s) g) s
            """,
            common | {"n": n_tasks, "n_dossiers": n_dossiers, "step": step.id, "agency": agency.id},
        )
        c.execute("VACUUM ANALYZE workflows_dossier")  # what autovacuum does after a bulk load
        c.execute("VACUUM ANALYZE workflows_dossiertask")
    print(
        f"seeded {n_tasks:,} open tasks and {n_dossiers:,} dossiers in {time.perf_counter() - started:.1f} s"
    )


def explain(sql: str, params) -> str:
    with transaction.atomic(), connection.cursor() as c:
        c.execute("SET LOCAL jit = off")  # as the sweep does
        c.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
        plan = "\n".join(row[0] for row in c.fetchall())
        transaction.set_rollback(True)
    vacuum()
    return plan


def claim_params(kind: str, threshold: dt.datetime, limit: int) -> list:
    adapt = connection.ops.adapt_datetimefield_value
    overdue = kind.endswith("overdue")
    markers = [adapt(AS_OF)] * (2 if overdue else 1)
    window = [adapt(AS_OF)] if overdue else [adapt(AS_OF), adapt(threshold)]
    return [*markers, "open", *window, "processing", limit]


def insert_baseline(n_rows: int) -> None:
    """One INSERT … SELECT of ``n_rows`` notification rows: the floor for writing what a sweep writes."""
    with connection.cursor() as c:
        c.execute(
            """
            INSERT INTO notifications_notification (kind, channel, recipient_id, address, recipient_key,
                dossier_id, task_id, dedupe_key, payload, status, created_at, next_attempt_at, sent_at,
                attempts, last_error)
            SELECT 'task_overdue', 'in_app', u.id, '', 'user:' || u.id, t.dossier_id, t.id,
                'baseline:' || g, jsonb_build_object('dossier_code', 'BENCH-' || g), 'sent', now(), NULL,
                now(), 0, ''
            FROM generate_series(1, %s) g
            JOIN workflows_dossiertask t ON t.id = g
            CROSS JOIN (SELECT min(id) AS id FROM auth_user WHERE username LIKE 'bench-%%') u
            """,
            [n_rows],
        )


def measure(gap: int, args) -> list[dict]:
    """Seed for ``gap``, then time both baselines and both sweeps on the same rows."""
    from tests.notifications.reference_sweep import reference_sweep

    seed(args.tasks, dt.timedelta(seconds=gap))
    vacuum()
    hours = settings.ONESTOP_DUE_SOON_HOURS
    threshold = working_threshold(as_of=AS_OF, working_hours=hours)

    def count_baseline():
        with connection.cursor() as c:
            c.execute(
                "SELECT count(*) FROM workflows_dossiertask WHERE status = 'open' AND due_at <= %s",
                [connection.ops.adapt_datetimefield_value(threshold)],
            )
            return c.fetchone()[0]

    messages = {"before": 0, "after": 0}

    def before(check: bool = False):
        reference_sweep(as_of=AS_OF, due_soon_hours=hours)
        if check:  # what it wrote, to compare with the new sweep (a run not timed)
            with connection.cursor() as c:
                c.execute("SELECT count(*) FROM notifications_notification")
                return c.fetchone()[0]

    def after():
        return sweep_module.sweep_deadlines(as_of=AS_OF, due_soon_hours=hours)

    def publish(key):
        def send(ids):
            ids = list(ids)
            messages[key] += len(ids) if key == "before" else -(-len(ids) // outbox.DELIVERY_BATCH)

        return send

    rows = []
    with (
        mock.patch.object(outbox, "queue_deliveries", publish("before")),
        mock.patch.object(sweep_module, "queue_delivery_batches", publish("after")),
        # on_commit callbacks do not run in a rolled-back transaction: run them at once instead
        mock.patch.object(transaction, "on_commit", lambda fn, using=None, robust=False: fn()),
    ):
        count_s, considered = timed(count_baseline, args.runs)
        after_s, result = timed(after, args.runs)
        before_s, _ = timed(before, args.runs)
        insert_s, _ = timed(lambda: insert_baseline(result.notifications), args.runs)
        published = {key: value // args.runs for key, value in messages.items()}
        queries = {"before": statements(before), "after": statements(after)}
        before_rows = timed(lambda: before(check=True), 1)[1]
    if before_rows != result.notifications:
        sys.exit(
            f"before wrote {before_rows} notifications, after {result.notifications}: not the same sweep"
        )
    crossing = (
        result.tasks_overdue + result.tasks_due_soon + result.dossiers_overdue + result.dossiers_due_soon
    )
    label = "steady state" if gap <= 300 else f"after a {gap / 3600:g} h gap"
    print(
        f"\n{label}: {considered:,} open tasks due by the threshold; the sweep finds {result.tasks_overdue:,}"
        f" tasks overdue, {result.tasks_due_soon:,} due soon, {result.dossiers_overdue:,} dossiers overdue,"
        f" {result.dossiers_due_soon:,} due soon; {result.notifications:,} notifications"
    )
    common = {
        "benchmark": "sweep",
        "gap_s": gap,
        "tasks": args.tasks,
        "crossing": crossing,
        "notifications": result.notifications,
    }
    for case, seconds, n_queries, n_messages in (
        ("baseline: count(*) of open tasks due", count_s, 1, 0),
        (f"baseline: INSERT of {result.notifications:,} rows", insert_s, 1, 0),
        ("before: rows built in Python", before_s, queries["before"], published["before"]),
        ("after: set-based", after_s, queries["after"], published["after"]),
    ):
        rows.append(
            common | {"case": case, "ms": seconds * 1000, "queries": n_queries, "messages": n_messages}
        )
    for row in rows:
        row["vs_count"] = row["ms"] / (count_s * 1000)
        row["vs_insert"] = row["ms"] / (insert_s * 1000)
    rows[-1]["after_vs_before"] = after_s / before_s
    if args.explain:
        for kind in ("task_overdue", "task_due_soon"):
            sql = sweep_module._claim_sql(kind=kind, vendor="postgresql")
            print(f"\nEXPLAIN ANALYZE claim {kind}:")
            print(explain(sql, claim_params(kind, threshold, settings.ONESTOP_SWEEP_BATCH_SIZE)))
    return rows


def print_table(rows: list[dict]) -> None:
    print(
        f"\n{'deadline sweep, ' + format(rows[0]['tasks'], ',') + ' open tasks':<44}{'gap s':>7}"
        f"{'crossing':>9}{'queries':>8}{'messages':>9}{'median ms':>11}"
        f"{'/count':>8}{'/insert':>8}{'/before':>8}"
    )
    for row in rows:
        ratio = f"{row['after_vs_before']:.3f}" if "after_vs_before" in row else ""
        print(
            f"{row['case']:<44}{row['gap_s']:>7,}{row['crossing']:>9,}{row['queries']:>8}{row['messages']:>9,}"
            f"{row['ms']:>11.1f}{row['vs_count']:>8.1f}{row['vs_insert']:>8.2f}{ratio:>8}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument(
        "--gaps", default="60,86400", help="seconds since the previous sweep, comma-separated"
    )
    parser.add_argument("--gap-seconds", type=int, help="one gap only (the option's earlier form)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the task claims")
    parser.add_argument("--json", action="store_true", help="also print the rows as JSON (for a bench table)")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench_sweep.py measures PostgreSQL: set DATABASE_URL=postgres://...")

    try:
        claim_bench_database()
    except NotABenchDatabase as exc:
        sys.exit(str(exc))
    call_command("migrate", verbosity=0)
    logging.getLogger("notifications").setLevel(logging.WARNING)  # no INFO line per timed sweep
    threshold = working_threshold(as_of=AS_OF, working_hours=settings.ONESTOP_DUE_SOON_HOURS)
    print(f"as_of {AS_OF.isoformat()}, threshold {threshold.isoformat()}; median of {args.runs} runs")
    gaps = [args.gap_seconds] if args.gap_seconds is not None else [int(g) for g in args.gaps.split(",")]
    rows = [row for gap in gaps for row in measure(gap, args)]
    print_table(rows)
    if args.json:
        print(json.dumps(rows))


if __name__ == "__main__":
    main()
