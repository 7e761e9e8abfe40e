"""The SQL and the Python time of one registration and one completion, for finding what to cut.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/onestop .venv/bin/python benchmarks/profile_workflow.py
    .venv/bin/python benchmarks/profile_workflow.py --count 200 --top 40

Uses the benchmark's throw-away database and fixtures. Prints every query of one warm
registration and one warm completion (opening the next stage), then the functions where
``--count`` of each spend their time (cProfile, cumulative).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_workflow as bench  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def show(title, call):
    with CaptureQueriesContext(connection) as queries:
        call()
    print(f"\n== {title}: {len(queries)} queries")
    for number, query in enumerate(queries, 1):
        sql = query["sql"]
        print(f"{number:3d} {query['time']:>6}s  {sql if len(sql) < 300 else sql[:297] + '...'}")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=200, help="operations profiled (default 200)")
    parser.add_argument("--top", type=int, default=35, help="functions listed per profile")
    args = parser.parse_args()

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        procedure_pk, _baseline_pk, reception_pk, specialist_pk = bench.setup_fixtures()
        from procedures.models import Procedure
        from workflows import services

        procedure = Procedure.objects.select_related("receiving_agency").get(pk=procedure_pk)
        reception, specialist = bench._user(reception_pk), bench._user(specialist_pk)

        def register():
            services.dossier_register(
                procedure=procedure, applicant=bench.APPLICANT, channel="online", by=reception
            )

        for _ in range(3):
            register()
        tasks = iter(bench.open_tasks(procedure_pk))
        services.task_complete(task=next(tasks), by=specialist, decision="approve")
        show("register", register)
        task = next(tasks)
        show("complete", lambda: services.task_complete(task=task, by=specialist, decision="approve"))

        for title, call in (
            ("register", lambda: [register() for _ in range(args.count)]),
            (
                "complete",
                lambda: [
                    services.task_complete(task=pk, by=specialist, decision="approve")
                    for pk in bench.open_tasks(procedure_pk)[: args.count]
                ],
            ),
        ):
            profiler = cProfile.Profile()
            profiler.enable()
            call()
            profiler.disable()
            print(f"\n== cProfile, {args.count} × {title}")
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(args.top)
            stats.sort_stats("tottime").print_stats(args.top)
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
