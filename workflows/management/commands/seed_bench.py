"""``python manage.py seed_bench --dossiers N``: a province's dossiers for the benchmarks, set based.

Refuses any database not created for benchmarks (``core.benchdb``: point DATABASE_URL at a new
database name on PostgreSQL; it is created and marked). Then, all in SQL (INSERT … SELECT over
``generate_series``, in batches with a progress line):

- the benchmark catalog of ``benchmarks/bench_reports.py`` (30 agencies, one procedure each);
- N dossiers ``BENCH-00000000``… received over N / 1,000,000 years (at least one) ending with
  2025, with the mix of a real desk: 45 % online, 3 % refused at intake, 2 % withdrawn, most
  finished (90 % on time or early, the rest late, a third of those with an apology letter), the
  open ones of the last weeks still processing or waiting for a supplement;
- their audit trail (receive / finish / withdrawn events) and pauses;
- the tasks, events, lookup keys and staff with tokens of ``benchmarks/bench_api.py``;
- VACUUM ANALYZE.

One million takes a few minutes on a 2-core machine. Rerunning adds nothing if N are there.
"""

from __future__ import annotations

import datetime as dt
import math
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from core.benchdb import NotABenchDatabase, claim_bench_database

PREFIX = "BENCH-"
SNAPSHOT = "2026-01-10 09:00+07"  # "now" of the seeded province: the last weeks are still open

DOSSIERS_SQL = """
INSERT INTO workflows_dossier (code, procedure_id, version_id, receiving_agency_id, applicant_kind,
    applicant_name, applicant_id_number, applicant_phone, applicant_email, applicant_address,
    channel, documents, status, current_stage, received_at, due_at, original_due_at, paused_at,
    finished_at, returned_at, result, verdict, reasons, extended, processing_hours, paused_hours,
    lookup_key_hash, created_at, updated_at, stage_count, withdrawn_at)
SELECT %(prefix)s || lpad(i::text, 8, '0'), procedure_id, version_id, agency_id, 'person',
    'Người nộp ' || i, lpad(i::text, 12, '0'), '', '', '', channel, '[]', status, 0,
    received, due, due,
    CASE WHEN status = 'waiting_supplement'
         THEN LEAST(%(now)s::timestamptz, received + interval '2 days') END,
    CASE WHEN status = 'returned' THEN fin END, CASE WHEN status = 'returned' THEN fin END,
    CASE WHEN status <> 'returned' THEN '' WHEN u6 < 0.97 THEN 'approved' ELSE 'refused' END,
    verdict, '[]', verdict = 'late' AND u7 < 0.3,
    CASE WHEN status = 'returned' THEN round((4 + u7 * 156)::numeric, 2) END, 0, repeat('0', 64),
    received,
    CASE status WHEN 'returned' THEN fin WHEN 'withdrawn' THEN withdrawn ELSE received END, 1,
    CASE WHEN status = 'withdrawn' THEN withdrawn END
FROM (
    SELECT b.*,
        CASE WHEN status <> 'returned' THEN ''
             WHEN fin > due THEN 'late'
             WHEN (fin AT TIME ZONE 'Asia/Ho_Chi_Minh')::date = (due AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
                  THEN 'on_time'
             ELSE 'early' END AS verdict
    FROM (
        SELECT f.*,
            CASE WHEN u2 < 0.03 THEN 'rejected' WHEN u2 < 0.05 THEN 'withdrawn'
                 WHEN fin > %(now)s::timestamptz THEN
                     CASE WHEN u5 < 0.2 THEN 'waiting_supplement' ELSE 'processing' END
                 ELSE 'returned' END AS status,
            received + (1 + floor(u3 * 9)) * interval '1 day' AS withdrawn,
            CASE WHEN u9 < 0.45 THEN 'online' WHEN u10 < 0.8 THEN 'in_person' ELSE 'postal' END AS channel
        FROM (
            SELECT r.*, c.procedure_id, c.version_id, c.agency_id, d.received, d.due,
                CASE WHEN u4 < 0.9 THEN d.due - floor(u3 * 5) * interval '1 day'
                     ELSE d.due + (1 + floor(u3 * 9)) * interval '1 day' END AS fin
            FROM (
                SELECT i, random() u1, random() u2, random() u3, random() u4, random() u5, random() u6,
                       random() u7, random() u8, random() u9, random() u10
                FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) i
            ) r
            JOIN bench_catalog c ON c.n = r.i %% %(ncat)s
            CROSS JOIN LATERAL (
                SELECT %(start)s::timestamptz + r.u1 * %(span)s * interval '1 second' AS received
            ) a
            CROSS JOIN LATERAL (
                SELECT a.received, a.received + (ARRAY[5, 7, 10, 14, 21])[1 + floor(r.u8 * 5)::int]
                       * interval '1 day' AS due
            ) d
        ) f
    ) b
) s
"""


class Command(BaseCommand):
    help = "Seed a benchmark province (set based) into a database created for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, default=1_000_000)
        parser.add_argument("--batch", type=int, default=100_000)

    def handle(self, *args, dossiers: int, batch: int, **options):
        if connection.vendor != "postgresql":
            raise CommandError("seed_bench needs PostgreSQL: set DATABASE_URL to a new database name.")
        try:
            how = claim_bench_database()
        except NotABenchDatabase as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"database {connection.settings_dict['NAME']!r}: {how}")
        call_command("migrate", verbosity=0)
        from benchmarks import bench_api, bench_reports
        from workflows.models import Dossier

        existing = Dossier.objects.filter(code__startswith=PREFIX).count()
        t0 = time.perf_counter()
        if existing < dossiers:
            self.seed_dossiers(bench_reports.catalog(), existing, dossiers, batch, t0)
        if existing < dossiers:
            bench_reports.seed_audit_trail()
        bench_api.seed(reseed=False)
        with connection.cursor() as c:
            for table in ("workflows_dossier", "workflows_dossiertask", "workflows_dossierevent"):
                c.execute(f"VACUUM ANALYZE {table}")
        self.stdout.write(f"done: {Dossier.objects.count():,} dossiers in {time.perf_counter() - t0:.1f} s")

    def seed_dossiers(self, catalog, existing: int, total: int, batch: int, t0: float) -> None:
        years = max(1, math.ceil(total / 1_000_000))
        start = dt.datetime(2026 - years, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=7)))
        span = (dt.datetime(2026, 1, 1, tzinfo=start.tzinfo) - start).total_seconds()
        with connection.cursor() as c:
            c.execute("DROP TABLE IF EXISTS bench_catalog")
            c.execute(
                "CREATE TEMP TABLE bench_catalog (n int, procedure_id int, version_id int, agency_id int)"
            )
            c.executemany(
                "INSERT INTO bench_catalog VALUES (%s, %s, %s, %s)",
                [(n, *row) for n, row in enumerate(catalog)],
            )
            c.execute("SELECT setseed(0.42)")
            for lo in range(existing, total, batch):
                hi = min(total, lo + batch) - 1
                with transaction.atomic():
                    c.execute(
                        DOSSIERS_SQL,
                        {"prefix": PREFIX, "now": SNAPSHOT, "lo": lo, "hi": hi, "ncat": len(catalog),
                         "start": start, "span": span},
                    )  # fmt: skip
                done = hi + 1
                self.stdout.write(
                    f"  dossiers {done:>11,} / {total:,} ({done / total:4.0%})"
                    f" {time.perf_counter() - t0:6.1f} s"
                )
            with transaction.atomic():
                c.execute(
                    """
                    INSERT INTO workflows_dossierevent (dossier_id, at, action, from_status, to_status,
                        reason, data, verdict, actor_username)
                    SELECT id, withdrawn_at, 'withdrawn', 'processing', 'withdrawn', '', '{}'::jsonb, '', ''
                    FROM workflows_dossier WHERE code LIKE %(p)s AND status = 'withdrawn'
                    """,
                    {"p": PREFIX + "%"},
                )
                c.execute(
                    """
                    INSERT INTO workflows_dossierpause (dossier_id, stage, mode, missing_documents, note,
                        started_at)
                    SELECT id, 0, 'pause', '[]', '', paused_at
                    FROM workflows_dossier WHERE code LIKE %(p)s AND status = 'waiting_supplement'
                    """,
                    {"p": PREFIX + "%"},
                )
