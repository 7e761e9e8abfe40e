# ruff: noqa: E402 - Django must be set up before the models are imported.
"""Benchmark: form II.06a over one year of a province (one million dossiers) on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python benchmarks/bench_reports.py

Seeds (once; rows are tagged with the code prefix ``BENCH-``) ~30 agencies, fields and procedures
and N dossiers received over 2025 with a realistic status mix, by COPY; then VACUUM ANALYZE, and
times the reports against a baseline measured in the same run: a plain COUNT(*) over the same
rows (same WHERE clause). Prints the figures, the ratio and the EXPLAIN ANALYZE of the main query.
Options: ``--dossiers N`` (default 1,000,000), ``--repeat R`` (default 5), ``--reseed``.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "false")  # as in production: no query log, no debug cursor
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestop.settings")

import django

django.setup()

from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from core.benchdb import NotABenchDatabase, claim_bench_database
from procedures.models import (
    Agency,
    DurationUnit,
    Field,
    Level,
    OnlineLevel,
    Procedure,
    ProcedureVersion,
    Step,
)
from reports import selectors
from reports.periods import make_period
from workflows.models import Dossier, DossierEvent

PREFIX = "BENCH-"
AGENCIES = 30
YEAR = 2025
TZ = timezone.get_default_timezone()
NOW = dt.datetime(YEAR + 1, 1, 10, 9, tzinfo=TZ)  # when the snapshot is taken: a few open ones remain

DOSSIER_COLUMNS = (
    "code", "procedure_id", "version_id", "receiving_agency_id", "applicant_kind", "applicant_name",
    "applicant_id_number", "applicant_phone", "applicant_email", "applicant_address", "channel", "documents",
    "status", "current_stage", "received_at", "due_at", "original_due_at", "paused_at", "finished_at",
    "returned_at", "result", "verdict", "reasons", "extended", "processing_hours", "paused_hours",
    "lookup_key_hash", "created_at", "updated_at", "stage_count", "withdrawn_at",
)  # fmt: skip


def catalog() -> list[tuple[int, int, int]]:
    """(procedure id, version id, agency id) for ~30 agencies, each with one procedure."""
    fields = [
        Field.objects.get_or_create(code=f"BENCH{i}", defaults={"name": f"Lĩnh vực {i}"})[0]
        for i in range(10)
    ]
    out = []
    for i in range(AGENCIES):
        agency, _ = Agency.objects.get_or_create(
            code=f"000.00.{i:02d}.B99",
            defaults={
                "name": f"Cơ quan {i}",
                "level": [Level.PROVINCE, Level.DISTRICT, Level.COMMUNE][i % 3],
            },
        )
        procedure = Procedure.objects.filter(code=f"9.{900000 + i:06d}").first()
        if procedure is None:
            procedure = Procedure.objects.create(
                code=f"9.{900000 + i:06d}", name=f"Thủ tục {i}", field=fields[i % 10],
                level=agency.level, receiving_agency=agency,
            )  # fmt: skip
            version = ProcedureVersion.objects.create(
                procedure=procedure, number=1, effective_from=dt.datetime(2020, 1, 1, tzinfo=TZ),
                legal_duration_value=10 + i % 5, legal_duration_unit=DurationUnit.WORKING_DAYS,
                committed_duration_value=7 + i % 3, committed_duration_unit=DurationUnit.WORKING_DAYS,
                online_level=[OnlineLevel.FULL, OnlineLevel.PARTIAL, OnlineLevel.NONE][i % 3],
            )  # fmt: skip
            Step.objects.create(version=version, order=1, name="Thẩm định", agency=agency, budget_hours=16)
            procedure.current_version = version
            procedure.save(update_fields=["current_version"])
        out.append((procedure.id, procedure.current_version_id, agency.id))
    return out


def progress(done: int, total: int, t0: float) -> None:
    """One line rewritten in place: rows written, percent, seconds so far."""
    end = "\n" if done >= total else ""
    print(
        f"\r  dossiers {done:>11,} / {total:,} ({done / max(total, 1):4.0%})"
        f" {time.perf_counter() - t0:6.1f} s",
        end=end,
        flush=True,
    )


def seed(n: int) -> None:
    rng = random.Random(7)
    procedures = catalog()
    start = dt.datetime(YEAR, 1, 1, tzinfo=TZ)
    seconds = 365 * 86400
    withdrawn, paused = [], []
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY workflows_dossier ({', '.join(DOSSIER_COLUMNS)}) FROM STDIN") as copy:
            for i in range(n):
                if i % 50_000 == 0:
                    progress(i, n, t0)
                procedure_id, version_id, agency_id = procedures[rng.randrange(len(procedures))]
                received = start + dt.timedelta(seconds=rng.randrange(seconds))
                due = received + dt.timedelta(days=rng.choice((5, 7, 10, 14, 21)))
                roll = rng.random()
                channel = (
                    "online" if rng.random() < 0.45 else ("in_person" if rng.random() < 0.8 else "postal")
                )
                status, finished, result, verdict, extended, hours, paused_at = (
                    "processing", None, "", "", False, None, None
                )  # fmt: skip
                updated = received
                if roll < 0.03:
                    status = "rejected"
                elif roll < 0.05:
                    status = "withdrawn"
                    updated = received + dt.timedelta(days=rng.randrange(1, 10))
                    withdrawn.append((i, updated))
                else:
                    lateness = rng.random()
                    finished = (
                        due - dt.timedelta(days=rng.randrange(0, 5))
                        if lateness < 0.9
                        else due + dt.timedelta(days=rng.randrange(1, 10))
                    )
                    if finished > NOW:  # still open at the snapshot
                        finished = None
                        if rng.random() < 0.2:
                            status, paused_at = (
                                "waiting_supplement",
                                min(NOW, received + dt.timedelta(days=2)),
                            )
                            paused.append((i, paused_at))
                    else:
                        status = "returned"
                        result = "approved" if rng.random() < 0.97 else "refused"
                        verdict = (
                            "late"
                            if finished > due
                            else ("on_time" if finished.date() == due.date() else "early")
                        )
                        extended = verdict == "late" and rng.random() < 0.3
                        hours = round(rng.uniform(4, 160), 2)
                        updated = finished
                copy.write_row(
                    (
                        f"{PREFIX}{i:08d}",
                        procedure_id,
                        version_id,
                        agency_id,
                        "person",
                        f"Người nộp {i}",
                        f"{i:012d}",
                        "",
                        "",
                        "",
                        channel,
                        "[]",
                        status,
                        0,
                        received,
                        due,
                        due,
                        paused_at,
                        finished,
                        finished,
                        result,
                        verdict,
                        "[]",
                        extended,
                        hours,
                        0,
                        "0" * 64,
                        received,
                        updated,
                        1,
                        updated if status == "withdrawn" else None,
                    )  # fmt: skip
                )
        progress(n, n, t0)
        print(f"COPY {n:,} dossiers: {time.perf_counter() - t0:.1f} s")
        ids = dict(Dossier.objects.filter(code__startswith=PREFIX).values_list("code", "id"))
        with cursor.cursor.copy(
            "COPY workflows_dossierevent"
            " (dossier_id, at, action, from_status, to_status, reason, data, verdict, actor_username)"
            " FROM STDIN"
        ) as copy:
            for i, at in withdrawn:
                copy.write_row(
                    (ids[f"{PREFIX}{i:08d}"], at, "withdrawn", "processing", "withdrawn", "", "{}", "", "")
                )
        with cursor.cursor.copy(
            "COPY workflows_dossierpause"
            " (dossier_id, stage, mode, missing_documents, note, started_at) FROM STDIN"
        ) as copy:
            for i, at in paused:
                copy.write_row((ids[f"{PREFIX}{i:08d}"], 0, "pause", "[]", "", at))
    print(
        f"seeded in {time.perf_counter() - t0:.1f} s ({len(withdrawn):,} withdrawn, {len(paused):,} paused)"
    )


def seed_audit_trail() -> None:
    """The audit trail a real province has: a ``receive`` event per dossier and a ``finish`` event
    per finished one (set-based INSERT … SELECT), so the withdrawal lookup is measured against a
    realistic event table, not one holding only withdrawals."""
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO workflows_dossierevent
                (dossier_id, at, action, from_status, to_status, reason, data, verdict, actor_username)
            SELECT id, received_at, 'receive', '', 'processing', '', '{}'::jsonb, '', ''
            FROM workflows_dossier
            WHERE code LIKE %(prefix)s AND status <> 'rejected'
            UNION ALL
            SELECT id, finished_at, 'finish', 'processing', 'result_ready', '', '{}'::jsonb, verdict, ''
            FROM workflows_dossier
            WHERE code LIKE %(prefix)s AND finished_at IS NOT NULL
            """,
            {"prefix": PREFIX + "%"},
        )
        print(f"audit trail: {cursor.rowcount:,} events in {time.perf_counter() - t0:.1f} s")


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL.")
    try:
        claim_bench_database()
    except NotABenchDatabase as exc:
        sys.exit(str(exc))
    call_command("migrate", verbosity=0)
    existing = Dossier.objects.filter(code__startswith=PREFIX).count()
    if args.reseed or existing < args.dossiers:
        Dossier.objects.filter(code__startswith=PREFIX).delete() if existing else None
        seed(args.dossiers)
        with connection.cursor() as cursor:
            for table in ("workflows_dossier", "workflows_dossierevent", "workflows_dossierpause"):
                cursor.execute(f"VACUUM ANALYZE {table}")
    if not DossierEvent.objects.filter(action="receive", dossier__code__startswith=PREFIX).exists():
        seed_audit_trail()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE workflows_dossierevent")
    total = Dossier.objects.count()
    events = DossierEvent.objects.count()
    print(f"\n{total:,} dossiers, {events:,} audit events; PostgreSQL {connection.pg_version}")

    year = make_period(
        date_from=dt.date(YEAR, 1, 1), date_to=dt.date(YEAR, 12, 31), tz=TZ, label=f"Năm {YEAR}"
    )
    q3 = make_period(date_from=dt.date(YEAR, 7, 1), date_to=dt.date(YEAR, 9, 30), tz=TZ, label="Quý 3")
    scanned = Dossier.objects.filter(received_at__lt=year.end).filter(
        Q(received_at__gte=year.start) | Q(finished_at__isnull=True) | Q(finished_at__gte=year.start)
    )
    baseline, count = timed(lambda: scanned.count(), args.repeat)
    plain, _ = timed(lambda: Dossier.objects.count(), args.repeat)
    print(
        f"baseline COUNT(*) over the same rows ({count:,}): {baseline * 1000:.0f} ms;"
        f" plain COUNT(*): {plain * 1000:.0f} ms"
    )
    print(f"\n{'report':44} {'median':>9} {'× baseline':>11}")
    cases = [
        ("II.06a, year, by agency", lambda: selectors.processing_report(period=year, group_by="agency")),
        ("II.06a, year, by field", lambda: selectors.processing_report(period=year, group_by="field")),
        (
            "II.06a, year, by procedure",
            lambda: selectors.processing_report(period=year, group_by="procedure"),
        ),
        ("II.06a, year, by level", lambda: selectors.processing_report(period=year, group_by="level")),
        ("II.06a, Q3, by agency", lambda: selectors.processing_report(period=q3, group_by="agency")),
        ("cutting, year, by procedure (percentiles)", lambda: selectors.cutting_report(period=year)),
        ("indicators, year", lambda: selectors.indicators_report(period=year)),
    ]
    for name, fn in cases:
        seconds, report = timed(fn, args.repeat)
        print(f"{name:44} {seconds * 1000:7.0f} ms {seconds / baseline:10.1f}×")
    report = selectors.processing_report(period=year, group_by="agency")
    print(f"\nyear totals: {report.totals}")
    print("\nEXPLAIN (ANALYZE, BUFFERS) II.06a, year, by agency:")
    print(selectors.processing_queryset(period=year, group_by="agency").explain(analyze=True, buffers=True))


if __name__ == "__main__":
    main()
