"""Throughput of registrations and task completions against plain ORM inserts, in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/onestop .venv/bin/python benchmarks/bench_workflow.py
    .venv/bin/python benchmarks/bench_workflow.py --count 300 --processes 1,2,4

Runs on the configured database server in a throw-away test database (``test_<name>``, created,
migrated and dropped), so it never touches real data. For each number of worker processes it
measures:

- baseline: one transaction with three plain ORM inserts (a dossier, a task, an event), the floor
  any registration pays;
- register: ``services.dossier_register`` (code, due date, process, first stage's task, event);
- complete: ``services.task_complete`` approving stage 1, which opens stage 2 (join, route, split);
- finish: ``services.task_complete`` approving stage 2, which ends processing (result ready, the
  process ends, the applicant's notification rows are written);

and prints operations per second, the median latency, queries per operation (counted on a separate
sample) and the ratio against the baseline. Timings are informative only; no test depends on them.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
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
from django.db import connection, connections, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

APPLICANT = {"name": "Nguyễn Văn An", "id_number": "001090012345", "phone": "0912345678"}


def setup_fixtures():
    from tests.factories import AgencyFactory, make_procedure
    from workflows.models import StaffProfile

    agency = AgencyFactory(code="000.00.99.B99")
    procedure = make_procedure(
        agency=agency,
        steps=[{"name": "Thẩm định", "budget_hours": 8}, {"name": "Phê duyệt", "budget_hours": 4}],
    )
    User = get_user_model()
    users = {}
    for role in ("reception", "specialist"):
        user = User.objects.create_user(username=f"bench-{role}", password="x")
        StaffProfile.objects.create(user=user, agency=agency)
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        users[role] = user
    return procedure.pk, users["reception"].pk, users["specialist"].pk


def _user(pk):
    user = get_user_model().objects.get(pk=pk)
    from core.roles import agency_id_of, roles_of

    roles_of(user), agency_id_of(user)  # warm the per-user caches, as one API request would
    return user


def op_baseline(procedure_pk, n):
    from procedures.models import Procedure, Step
    from workflows.models import Dossier, DossierEvent, DossierTask

    procedure = Procedure.objects.select_related("current_version").get(pk=procedure_pk)
    step = Step.objects.filter(version=procedure.current_version).first()
    now = timezone.now()
    latencies = []
    for i in range(n):
        started = time.perf_counter()
        with transaction.atomic():
            dossier = Dossier.objects.create(
                code=f"BASE-{os.getpid()}-{i}-{time.monotonic_ns()}",
                procedure=procedure,
                version=procedure.current_version,
                receiving_agency_id=procedure.receiving_agency_id,
                applicant_name="A",
                applicant_id_number="001090012345",
                channel="online",
                status="processing",
                received_at=now,
                due_at=now,
            )
            task = DossierTask.objects.create(
                dossier=dossier,
                step=step,
                stage=0,
                agency_id=step.agency_id,
                role=step.role,
                created_at=now,
                due_at=now,
            )
            DossierEvent.objects.create(dossier=dossier, at=now, action="registered", task=task)
        latencies.append(time.perf_counter() - started)
    return latencies


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


def _worker(args):
    name, payload = args
    connections.close_all()
    try:
        if name == "baseline":
            return op_baseline(*payload)
        if name == "register":
            return op_register(*payload)
        return op_complete(*payload)
    finally:
        connections.close_all()


def run_parallel(name, payloads):
    """Run one payload per process (fork) and return (wall seconds, all latencies)."""
    connections.close_all()
    started = time.perf_counter()
    if len(payloads) == 1:
        latencies = _worker((name, payloads[0]))
    else:
        with multiprocessing.get_context("fork").Pool(len(payloads)) as pool:
            latencies = [x for part in pool.map(_worker, [(name, p) for p in payloads]) for x in part]
    return time.perf_counter() - started, latencies


def open_stage_one_tasks(stage=0):
    from workflows.models import DossierTask

    return list(
        DossierTask.objects.filter(status="open", stage=stage, flow_task__isnull=False)
        .order_by("id")
        .values_list("pk", flat=True)
    )


def count_queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=300, help="operations per measurement (default 300)")
    parser.add_argument("--processes", default="1,2,4", help="worker process counts, comma-separated")
    args = parser.parse_args()

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        procedure_pk, reception_pk, specialist_pk = setup_fixtures()
        from procedures.models import Procedure
        from workflows import services

        # Queries per operation, counted once on a warm connection.
        procedure = Procedure.objects.select_related("receiving_agency").get(pk=procedure_pk)
        reception, specialist = _user(reception_pk), _user(specialist_pk)
        op_baseline(procedure_pk, 1)
        services.dossier_register(procedure=procedure, applicant=APPLICANT, channel="online", by=reception)
        q_base = count_queries(lambda: op_baseline(procedure_pk, 1))
        q_reg = count_queries(
            lambda: services.dossier_register(
                procedure=procedure, applicant=APPLICANT, channel="online", by=reception
            )
        )
        q_done = count_queries(
            lambda: services.task_complete(task=open_stage_one_tasks()[0], by=specialist, decision="approve")
        )
        q_done -= 1  # the lookup of the task id above is not part of the operation
        q_finish = count_queries(
            lambda: services.task_complete(task=open_stage_one_tasks(1)[0], by=specialist, decision="approve")
        )
        q_finish -= 1

        print(
            f"database: {connection.vendor} ({old_name}), {os.cpu_count()} CPUs, {args.count} operations each"
        )
        print(
            f"queries per operation: baseline {q_base}, register {q_reg}, complete {q_done},"
            f" finish {q_finish}"
        )
        print(f"{'processes':>9} {'operation':<10} {'ops/s':>8} {'median ms':>10} {'vs baseline':>12}")
        for processes in [int(p) for p in args.processes.split(",")]:
            per = args.count // processes
            wall, lat = run_parallel("baseline", [(procedure_pk, per)] * processes)
            base_rate = per * processes / wall
            rows = [("baseline", base_rate, lat)]
            wall, lat = run_parallel("register", [(procedure_pk, reception_pk, per)] * processes)
            rows.append(("register", per * processes / wall, lat))
            tasks = open_stage_one_tasks()[: per * processes]
            chunks = [(tasks[i::processes], specialist_pk) for i in range(processes)]
            wall, lat = run_parallel("complete", chunks)
            rows.append(("complete", len(tasks) / wall, lat))
            tasks = open_stage_one_tasks(1)[: per * processes]
            chunks = [(tasks[i::processes], specialist_pk) for i in range(processes)]
            wall, lat = run_parallel("complete", chunks)
            rows.append(("finish", len(tasks) / wall, lat))
            for name, rate, latencies in rows:
                median = statistics.median(latencies) * 1000
                print(f"{processes:>9} {name:<10} {rate:>8.1f} {median:>10.2f} {base_rate / rate:>11.1f}x")
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        print(f"purged {purge_bench_queue()} queued deliveries of this run ({BENCH_QUEUE})")


def purge_bench_queue() -> int:
    """Remove what this run queued, from its own queue only (never another queue's messages)."""
    from onestop.celery import app

    with app.connection_for_write() as conn:
        return conn.default_channel.queue_purge(BENCH_QUEUE) or 0


if __name__ == "__main__":
    main()
