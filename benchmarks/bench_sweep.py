"""How long a deadline sweep takes with a million open tasks (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/onestop_bench .venv/bin/python benchmarks/bench_sweep.py
    options: --tasks 1000000 --gap-seconds 60 --runs 5 --keep (reuse the seeded rows)

Seeds open tasks (4 per dossier) with due times spread from 30 days ago to 60 days ahead, flagged as
if sweeps had run until ``gap`` before ``as_of``, so the sweep finds what became due soon or overdue
in the last ``gap`` (steady state: the previous sweep one interval ago). Rows are generated server
side with INSERT … SELECT generate_series (a bulk load like COPY, without the round trips).

Prints, each as the median of ``runs``: the baseline (a plain indexed count of the open tasks due by
the threshold, the same rows a naive sweep would consider), the sweep, and the sweep with the partial
indexes dropped; the ratio sweep / baseline; and EXPLAIN ANALYZE of the task claims. Each timed run
is inside a transaction that is rolled back, so every run sees the same state (the commit, one WAL
flush, is not included); delivery queueing is replaced by a counter (no broker needed).
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestop.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from core.benchdb import NotABenchDatabase, claim_bench_database, is_bench_database  # noqa: E402
from notifications import sweep as sweep_module  # noqa: E402
from notifications.clock import working_threshold  # noqa: E402

AS_OF = dt.datetime(2026, 3, 4, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))  # a Wednesday morning


PARTIAL_INDEXES = (
    "notif_task_due_soon_todo",
    "notif_task_overdue_todo",
    "notif_dossier_due_soon_todo",
    "notif_dossier_overdue_todo",
)


class Rollback(Exception):
    pass


def timed(fn, runs: int) -> tuple[float, object]:
    """Median seconds of ``fn`` over ``runs`` runs, each in a transaction rolled back afterwards."""
    times, last = [], None
    for _ in range(runs):
        try:
            with transaction.atomic():
                start = time.perf_counter()
                last = fn()
                times.append(time.perf_counter() - start)
                raise Rollback
        except Rollback:
            pass
    return statistics.median(times), last


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


def explain(sql: str, params: list) -> str:
    with transaction.atomic(), connection.cursor() as c:
        c.execute("SET LOCAL jit = off")  # as the sweep does
        c.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
        plan = "\n".join(row[0] for row in c.fetchall())
        transaction.set_rollback(True)
    return plan


def claim_params(kind: str, threshold: dt.datetime, limit: int) -> list:
    adapt = connection.ops.adapt_datetimefield_value
    overdue = kind.endswith("overdue")
    markers = [adapt(AS_OF)] * (2 if overdue else 1)
    window = [adapt(AS_OF)] if overdue else [adapt(AS_OF), adapt(threshold)]
    return [*markers, "open", *window, "processing", limit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--gap-seconds", type=int, default=60)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="reuse the rows seeded by a previous run")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench_sweep.py measures PostgreSQL: set DATABASE_URL=postgres://...")

    try:
        claim_bench_database()
    except NotABenchDatabase as exc:
        sys.exit(str(exc))
    call_command("migrate", verbosity=0)
    if not args.keep:
        seed(args.tasks, dt.timedelta(seconds=args.gap_seconds))
    hours = settings.ONESTOP_DUE_SOON_HOURS
    threshold = working_threshold(as_of=AS_OF, working_hours=hours)

    def baseline():
        with connection.cursor() as c:
            c.execute(
                "SELECT count(*) FROM workflows_dossiertask WHERE status = 'open' AND due_at <= %s",
                [connection.ops.adapt_datetimefield_value(threshold)],
            )
            return c.fetchone()[0]

    queued: list[int] = []

    def run_sweep():
        return sweep_module.sweep_deadlines(as_of=AS_OF, due_soon_hours=hours)

    with mock.patch.object(sweep_module, "queue_deliveries", lambda ids: queued.extend(ids)):
        base_s, considered = timed(baseline, args.runs)
        sweep_s, result = timed(run_sweep, args.runs)

        def without_partial_indexes() -> float:
            with connection.cursor() as c:
                for name in PARTIAL_INDEXES:
                    c.execute(f"DROP INDEX {name}")  # DDL is transactional: rolled back with the run
            start = time.perf_counter()
            run_sweep()
            return time.perf_counter() - start

        no_partial = statistics.median(timed(without_partial_indexes, 1)[1] for _ in range(args.runs))

    print(f"as_of {AS_OF.isoformat()}, threshold {threshold.isoformat()} ({hours:g} working hours)")
    print(f"open tasks due by the threshold (baseline rows): {considered:,}")
    print(
        f"sweep found: {result.tasks_overdue} tasks overdue, {result.tasks_due_soon} due soon, "
        f"{result.dossiers_overdue} dossiers overdue, {result.dossiers_due_soon} due soon; "
        f"{result.notifications} notifications"
    )
    print(f"baseline  indexed count(*)            median {base_s * 1000:8.1f} ms")
    print(f"sweep     (partial indexes)           median {sweep_s * 1000:8.1f} ms")
    print(f"sweep     (partial indexes dropped)   median {no_partial * 1000:8.1f} ms")
    print(
        f"ratio sweep / baseline: {sweep_s / base_s:.3f}; without partial indexes: {no_partial / base_s:.3f}"
    )

    for kind in ("task_overdue", "task_due_soon"):
        sql = sweep_module._claim_sql(kind=kind, vendor="postgresql")
        print(f"\nEXPLAIN ANALYZE claim {kind}:")
        print(explain(sql, claim_params(kind, threshold, settings.ONESTOP_SWEEP_BATCH_SIZE)))


if __name__ == "__main__":
    main()
