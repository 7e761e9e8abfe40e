"""Registrations and task completions through the services against a baseline transaction writing
the same rows, in the same run.

    .venv/bin/python benchmarks/bench_workflow.py                       # throw-away test database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/onestop .venv/bin/python benchmarks/bench_workflow.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/onestop_bench_1m \\
        .venv/bin/python benchmarks/bench_workflow.py --in-place --count 600 --processes 1,2

By default it runs on the configured database server in a throw-away test database
(``test_<name>``, created, migrated and dropped), so it never touches real data. ``--in-place``
runs in the configured database itself, to measure at the size of a seeded province (``manage.py
seed_bench``): only a benchmark database is accepted (``core/benchdb.py``), and the run adds its
own agency, procedure, two officers and the dossiers it registers (the audit trail is append-only,
so they stay).

For each number of worker processes it measures:

- register: ``services.dossier_register`` (code, due date, process, first stage's task, event,
  the applicant's notification row);
- complete: ``services.task_complete`` approving stage 1, which opens stage 2 (join, route, split);
- finish: ``services.task_complete`` approving stage 2, which ends processing (result ready, the
  process ends, the applicant's notification row is written);
- and the baselines: one transaction writing the same rows as a registration (the code sequence,
  viewflow's process, its three tasks and their links, the dossier, its task, the event, the
  notification) and as a completion (the finished task and viewflow task updated, viewflow's
  join, gateway and next step inserted with their links, the next task, the dossier updated, the
  event), each table with one plain ORM statement and no business logic: the floor any
  implementation writing these rows pays on this server at this moment.

and prints operations per second, the median latency, the client's CPU time per operation (less
sensitive than the wall clock to a shared machine's other load), queries per operation (counted on
a separate sample) and the ratio service / baseline (operations per second). Timings are
informative only; no test depends on them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "false")  # as in production: no query log, no debug cursor
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestop.settings")
# The notification deliveries the measured transitions queue go to a queue of this run's own, purged
# at the end: the real queue's workers never see them (the database they point at is dropped) and the
# embedded broker is not left with thousands of messages.
BENCH_QUEUE = f"bench-{os.getpid()}"
os.environ["CELERY_TASK_DEFAULT_QUEUE"] = BENCH_QUEUE

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from benchmarks.workflow_baselines import (  # noqa: E402
    APPLICANT,
    op_baseline_complete,
    op_baseline_register,
    open_baseline_rows,
)

STEPS = [{"name": "Thẩm định", "budget_hours": 8}, {"name": "Phê duyệt", "budget_hours": 4}]


def setup_fixtures(run: str = ""):
    """The procedure measured, the baseline's own procedure, a reception officer and a specialist.

    ``run`` makes the codes and user names unique when the database is not a fresh one."""
    from tests.factories import AgencyFactory, FieldFactory, make_procedure
    from workflows.models import StaffProfile

    suffix = f"-{run}" if run else ""
    agency = AgencyFactory(code=f"B{run}" if run else "000.00.99.B99")  # 13 characters at most
    field = FieldFactory(code=f"BENCH{suffix}")
    procedure = make_procedure(code=f"BENCH-W{suffix}", agency=agency, field=field, steps=STEPS)
    baseline = make_procedure(code=f"BENCH-B{suffix}", agency=agency, field=field, steps=STEPS)
    User = get_user_model()
    users = {}
    for role in ("reception", "specialist"):
        user = User.objects.create_user(username=f"bench-{role}{suffix}", password="x")
        StaffProfile.objects.create(user=user, agency=agency)
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        users[role] = user
    return procedure.pk, baseline.pk, users["reception"].pk, users["specialist"].pk


def _user(pk):
    user = get_user_model().objects.get(pk=pk)
    from core.roles import agency_id_of, roles_of

    roles_of(user), agency_id_of(user)  # warm the per-user caches, as one API request would
    return user


def op_register(procedure_pk, reception_pk, n):
    from procedures.models import Procedure
    from workflows import services

    procedure = Procedure.objects.select_related("receiving_agency").get(pk=procedure_pk)
    by = _user(reception_pk)
    latencies = []
    for _ in range(n):
        started = time.perf_counter()
        services.dossier_register(procedure=procedure, applicant=APPLICANT, channel="online", by=by)
        latencies.append(time.perf_counter() - started)
    return latencies


def op_complete(task_pks, specialist_pk):
    from workflows import services

    by = _user(specialist_pk)
    latencies = []
    for pk in task_pks:
        started = time.perf_counter()
        services.task_complete(task=pk, by=by, decision="approve")
        latencies.append(time.perf_counter() - started)
    return latencies


OPERATIONS = {
    "baseline_register": op_baseline_register,
    "baseline_complete": op_baseline_complete,
    "register": op_register,
    "complete": op_complete,
}


def _worker(args):
    """(latencies, this process's CPU seconds for them)."""
    name, payload = args
    connections.close_all()
    try:
        cpu = time.process_time()
        latencies = OPERATIONS[name](*payload)
        return latencies, time.process_time() - cpu
    finally:
        connections.close_all()


def run_parallel(name, payloads):
    """Run one payload per process (fork): (operations per second, all latencies, client CPU
    milliseconds per operation). The CPU figure depends less on the machine's other load."""
    connections.close_all()
    started = time.perf_counter()
    if len(payloads) == 1:
        parts = [_worker((name, payloads[0]))]
    else:
        with multiprocessing.get_context("fork").Pool(len(payloads)) as pool:
            parts = pool.map(_worker, [(name, p) for p in payloads])
    wall = time.perf_counter() - started
    latencies = [x for part, _ in parts for x in part]
    cpu = sum(seconds for _, seconds in parts)
    return len(latencies) / wall, latencies, cpu * 1000 / max(len(latencies), 1)


def open_tasks(procedure_pk, stage=0):
    from workflows.models import DossierTask

    return list(
        DossierTask.objects.filter(
            dossier__procedure_id=procedure_pk, status="open", stage=stage, flow_task__isnull=False
        )
        .order_by("id")
        .values_list("pk", flat=True)
    )


def count_queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def split(items, processes):
    return [items[i::processes] for i in range(processes)]


def measure(processes, per, procedure_pk, baseline_pk, reception_pk, specialist_pk):
    """One round at ``processes`` workers: [(operation, ops/s, latencies, CPU ms/op, baseline ops/s)]."""
    base_reg = run_parallel("baseline_register", [(baseline_pk, per)] * processes)
    reg = run_parallel("register", [(procedure_pk, reception_pk, per)] * processes)
    rows = open_baseline_rows(baseline_pk)[: per * processes]
    base_done = run_parallel("baseline_complete", [(baseline_pk, chunk) for chunk in split(rows, processes)])
    tasks = open_tasks(procedure_pk)[: per * processes]
    done = run_parallel("complete", [(chunk, specialist_pk) for chunk in split(tasks, processes)])
    tasks = open_tasks(procedure_pk, 1)[: per * processes]
    finish = run_parallel("complete", [(chunk, specialist_pk) for chunk in split(tasks, processes)])
    return [
        ("baseline register", *base_reg, base_reg[0]),
        ("register", *reg, base_reg[0]),
        ("baseline complete", *base_done, base_done[0]),
        ("complete", *done, base_done[0]),
        ("finish", *finish, base_done[0]),
    ]


def count_all(procedure_pk, baseline_pk, reception_pk, specialist_pk) -> dict[str, int]:
    """Queries per operation, counted once on a warm connection (BEGIN and COMMIT included)."""
    from procedures.models import Procedure
    from workflows import services

    procedure = Procedure.objects.select_related("receiving_agency").get(pk=procedure_pk)
    reception, specialist = _user(reception_pk), _user(specialist_pk)

    def register():
        services.dossier_register(procedure=procedure, applicant=APPLICANT, channel="online", by=reception)

    op_baseline_register(baseline_pk, 1)
    register()
    counts = {
        "baseline register": count_queries(lambda: op_baseline_register(baseline_pk, 1)),
        "register": count_queries(register),
    }
    rows = open_baseline_rows(baseline_pk)
    op_baseline_complete(baseline_pk, rows[:1])
    counts["baseline complete"] = count_queries(lambda: op_baseline_complete(baseline_pk, rows[1:2]))
    first, second = open_tasks(procedure_pk)[:2]
    services.task_complete(task=first, by=specialist, decision="approve")
    counts["complete"] = count_queries(
        lambda: services.task_complete(task=second, by=specialist, decision="approve")
    )
    counts["finish"] = count_queries(
        lambda: services.task_complete(task=open_tasks(procedure_pk, 1)[0], by=specialist, decision="approve")
    )
    counts["finish"] -= 1  # the lookup of the task id is not part of the operation
    return counts


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=300, help="operations per measurement (default 300)")
    parser.add_argument(
        "--processes", default="1,2", help="worker process counts, comma-separated (default 1,2)"
    )
    parser.add_argument(
        "--in-place",
        action="store_true",
        help="run in the configured database (a benchmark database, e.g. seed_bench's) instead of a test one",
    )
    args = parser.parse_args()

    old_name = connection.settings_dict["NAME"]
    if args.in_place:
        from core.benchdb import is_bench_database

        if not is_bench_database():
            sys.exit(f"{old_name!r} is not a benchmark database (core/benchdb.py): refusing --in-place.")
        run = dt.datetime.now().strftime("%y%m%d%H%M%S")
    else:
        if connection.vendor == "sqlite":  # a file, not memory: forked workers must share it
            test_file = Path(tempfile.gettempdir()) / f"bench_workflow_{os.getpid()}.sqlite3"
            connection.settings_dict.setdefault("TEST", {})["NAME"] = str(test_file)
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        run = ""
    try:
        from workflows.models import Dossier

        existing = Dossier.objects.count()
        pks = setup_fixtures(run)
        counts = count_all(*pks)
        print(
            f"database: {connection.vendor} ({connection.settings_dict['NAME']}, {existing:,} dossiers),"
            f" {os.cpu_count()} CPUs, {args.count} operations each"
        )
        print(
            f"{'processes':>9} {'operation':<18} {'ops/s':>8} {'median ms':>10} {'cpu ms/op':>10}"
            f" {'queries':>8} {'vs baseline':>12}"
        )
        for processes in [int(p) for p in args.processes.split(",")]:
            for name, rate, latencies, cpu, base in measure(processes, args.count // processes, *pks):
                median = statistics.median(latencies) * 1000
                print(
                    f"{processes:>9} {name:<18} {rate:>8.1f} {median:>10.2f} {cpu:>10.2f}"
                    f" {counts[name]:>8} {rate / base:>11.2f}×"
                )
    finally:
        connections.close_all()
        if not args.in_place:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        print(f"purged {purge_bench_queue()} queued deliveries of this run ({BENCH_QUEUE})")


def purge_bench_queue() -> int:
    """Remove what this run queued, from its own queue only (never another queue's messages)."""
    from onestop.celery import app

    with app.connection_for_write() as conn:
        return conn.default_channel.queue_purge(BENCH_QUEUE) or 0


if __name__ == "__main__":
    main()
