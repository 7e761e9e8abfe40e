# ruff: noqa: E402 - Django must be set up before the models are imported.
"""Benchmark: the what-if of a cut over one year of a busy procedure (100,000 dossiers), PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python benchmarks/bench_whatif.py

Seeds (once; rows tagged with the code prefix ``WHATIF-``) one procedure of two steps (16 h + 24 h,
committed 5 working days, legal 10) and N dossiers received over 2025, finished with verdicts and
task verdicts computed on the real calendar, 15 % with a wait for a supplement (half in mode
restart) and 3 % with an apology extension; then VACUUM ANALYZE. Times, in the same run, the
baseline (streaming the same three ``values()`` queries without replaying: just reading the rows)
and the whole what-if report (queries + replay on the calendar), and prints the ratio.
Options: ``--dossiers N`` (default 100,000), ``--repeat R`` (default 3), ``--reseed``.
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
from django.utils import timezone

from procedures.calendar import Duration, add_working_time, due_at
from procedures.models import Agency, DurationUnit, Field, Level, Procedure, ProcedureVersion, Step
from reports import whatif_query as Q
from reports.periods import make_period
from reports.whatif import Proposal
from workflows import deadlines, rules
from workflows.models import Dossier

PREFIX = "WHATIF-"
CODE = "9.990001"
YEAR = 2025
TZ = timezone.get_default_timezone()
DOSSIER_COLUMNS = (
    "code", "procedure_id", "version_id", "receiving_agency_id", "applicant_kind", "applicant_name",
    "applicant_id_number", "applicant_phone", "applicant_email", "applicant_address", "channel", "documents",
    "status", "current_stage", "received_at", "due_at", "original_due_at", "finished_at", "returned_at",
    "result", "verdict", "reasons", "extended", "processing_hours", "paused_hours", "lookup_key_hash",
    "created_at", "updated_at", "stage_count",
)  # fmt: skip


def catalog() -> Procedure:
    field, _ = Field.objects.get_or_create(code="WHATIF", defaults={"name": "Lĩnh vực thử"})
    agency, _ = Agency.objects.get_or_create(
        code="000.00.99.W99", defaults={"name": "Cơ quan thử", "level": Level.PROVINCE}
    )
    procedure = Procedure.objects.filter(code=CODE).first()
    if procedure is None:
        procedure = Procedure.objects.create(
            code=CODE, name="Thủ tục bận", field=field, level=Level.PROVINCE, receiving_agency=agency
        )
        version = ProcedureVersion.objects.create(
            procedure=procedure, number=1, effective_from=dt.datetime(2020, 1, 1, tzinfo=TZ),
            legal_duration_value=10, legal_duration_unit=DurationUnit.WORKING_DAYS,
            committed_duration_value=5, committed_duration_unit=DurationUnit.WORKING_DAYS,
        )  # fmt: skip
        Step.objects.create(
            version=version, order=1, stage=0, name="Thẩm định", agency=agency, budget_hours=16
        )
        Step.objects.create(
            version=version, order=2, stage=1, name="Phê duyệt", agency=agency, budget_hours=24
        )
        procedure.current_version = version
        procedure.save(update_fields=["current_version"])
    return Procedure.objects.select_related("current_version").get(pk=procedure.pk)


def seed(n: int) -> None:
    rng = random.Random(11)
    procedure = catalog()
    version = procedure.current_version
    steps = list(version.steps.order_by("order"))
    cal = deadlines.calendar()
    five = Duration(5, DurationUnit.WORKING_DAYS)
    start = dt.datetime(YEAR, 1, 1, tzinfo=TZ)
    pauses, extensions, tasks = [], [], []
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY workflows_dossier ({', '.join(DOSSIER_COLUMNS)}) FROM STDIN") as copy:
            for i in range(n):
                received = start + dt.timedelta(seconds=rng.randrange(365 * 86400))
                due = due_at(received, five, calendar=cal)
                t = received
                paused_hours = 0.0
                step_times = []
                for step in steps:
                    took = rng.uniform(2, step.budget_hours * 1.4)
                    done = add_working_time(t, took, calendar=cal)
                    step_times.append((step, t, done))
                    t = done
                    if step.order == 1 and rng.random() < 0.15:
                        mode = "restart" if rng.random() < 0.5 else "pause"
                        back = add_working_time(t, rng.uniform(4, 40), calendar=cal)
                        due, waited = rules.due_after_supplement(
                            mode=mode,
                            due_at=due,
                            paused_from=t,
                            returned_at=back,
                            version=version,
                            calendar=cal,
                        )
                        paused_hours += waited
                        pauses.append((i, mode, t, back))
                        t = back
                if rng.random() < 0.03:
                    new_due = add_working_time(due, 16, calendar=cal)
                    extensions.append((i, due, new_due, due - dt.timedelta(days=3)))
                    due = new_due
                finished = t
                hours = rules.processing_hours(received, finished, paused_hours, calendar=cal)
                tasks.extend((i, step, created, done) for step, created, done in step_times)
                copy.write_row(
                    (
                        f"{PREFIX}{i:08d}",
                        procedure.id,
                        version.id,
                        procedure.receiving_agency_id,
                        "person",
                        f"Người nộp {i}",
                        f"{i:012d}",
                        "",
                        "",
                        "",
                        "in_person",
                        "[]",
                        "returned",
                        1,
                        received,
                        due,
                        due,
                        finished,
                        finished,
                        "approved",
                        rules.verdict(finished, due),
                        "[]",
                        bool(extensions and extensions[-1][0] == i),
                        hours,
                        paused_hours,
                        "0" * 64,
                        received,
                        finished,
                        2,
                    )  # fmt: skip
                )
        ids = dict(Dossier.objects.filter(code__startswith=PREFIX).values_list("code", "id"))
        key = lambda i: ids[f"{PREFIX}{i:08d}"]  # noqa: E731
        with cursor.cursor.copy(
            "COPY workflows_dossierpause"
            " (dossier_id, stage, mode, missing_documents, note, started_at, ended_at) FROM STDIN"
        ) as copy:
            for i, mode, began, back in pauses:
                copy.write_row((key(i), 0, mode, "[]", "", began, back))
        with cursor.cursor.copy(
            "COPY workflows_dossierextension (dossier_id, previous_due_at, new_due_at, reason, created_at)"
            " FROM STDIN"
        ) as copy:
            for i, previous, new, at in extensions:
                copy.write_row((key(i), previous, new, "Xin lỗi", at))
        with cursor.cursor.copy(
            "COPY workflows_dossiertask (dossier_id, step_id, stage, agency_id, role, status, created_at,"
            " due_at, started_at, finished_at, decision, note, reasons, verdict, wait_hours, work_hours)"
            " FROM STDIN"
        ) as copy:
            for i, step, created, done in tasks:
                task_due = add_working_time(created, step.budget_hours, calendar=cal)
                copy.write_row(
                    (
                        key(i),
                        step.id,
                        step.stage,
                        step.agency_id,
                        step.role,
                        "done",
                        created,
                        task_due,
                        created,
                        done,
                        "approve",
                        "",
                        "[]",
                        rules.verdict(done, task_due),
                        0,
                        deadlines.hours_between(created, done, calendar=cal),
                    )  # fmt: skip
                )
    print(
        f"seeded {n:,} dossiers, {len(pauses):,} pauses, {len(extensions):,} extensions,"
        f" {len(tasks):,} tasks in {time.perf_counter() - t0:.1f} s"
    )


def timed(fn, repeat: int) -> tuple[float, float, object]:
    """Median wall time and median CPU time of this process (the Python side: rows and replay;
    PostgreSQL's own time is in its process), and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus), result


def read_rows(procedure, period) -> tuple[int, int, int]:
    """The baseline: the same three streamed queries, rows built, nothing replayed."""
    dossiers = sum(1 for _ in Q.dossier_rows(procedure, period, None))
    pauses = sum(len(v) for v in Q.pause_rows(procedure, period, None).values())
    tasks = sum(1 for _ in Q.task_rows(procedure, period, None))
    return dossiers, pauses, tasks


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL.")
    call_command("migrate", verbosity=0)
    existing = Dossier.objects.filter(code__startswith=PREFIX).count()
    if args.reseed or existing != args.dossiers:
        Dossier.objects.filter(code__startswith=PREFIX).delete()
        seed(args.dossiers)
        with connection.cursor() as cursor:
            for table in ("dossier", "dossierpause", "dossiertask", "dossierextension"):
                cursor.execute(f"VACUUM ANALYZE workflows_{table}")
    procedure = catalog()
    year = make_period(date_from=dt.date(YEAR, 1, 1), date_to=dt.date(YEAR, 12, 31), tz=TZ)
    cal = deadlines.calendar()
    baseline, baseline_cpu, counts = timed(lambda: read_rows(procedure, year), args.repeat)
    print(
        f"\nPostgreSQL {connection.pg_version}; load average {os.getloadavg()[0]:.1f}; rows read:"
        f" {counts[0]:,} dossiers, {counts[1]:,} pauses, {counts[2]:,} tasks"
    )
    print(f"{'case':48} {'wall':>8} {'× base':>7} {'CPU':>8} {'× base':>7}")
    print(
        f"{'baseline: read the rows (3 queries)':48} {baseline:7.2f}s {1:6.1f}×"
        f" {baseline_cpu:7.2f}s {1:6.1f}×"
    )
    for label, value in (("current 5 days (replay = stored)", 5), ("proposed 3 days", 3)):
        seconds, cpu, report = timed(
            lambda v=value: Q.what_if_report(
                procedure=procedure,
                period=year,
                proposal=Proposal(v, "working_days"),
                agency_ids=None,
                calendar=cal,
            ),
            args.repeat,
        )
        print(
            f"{'what-if, year, ' + label:48} {seconds:7.2f}s {seconds / baseline:6.1f}×"
            f" {cpu:7.2f}s {cpu / baseline_cpu:6.1f}×"
        )
        t = report["totals"]
        print(
            f"    replayed {t['replayed']:,}: late today {t['late_today']:,},"
            f" proposed {t['late_proposed']:,}, turn late {t['turn_late']:,};"
            f" p50/p90 {t['processing_hours_p50']}/{t['processing_hours_p90']} h"
        )
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
