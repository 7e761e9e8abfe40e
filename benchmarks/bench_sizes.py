"""Disk per table, per row and per million dossiers: the figures docs/SIZING.md is made from.

    DATABASE_URL=postgres://…/<a seeded copy> .venv/bin/python benchmarks/bench_sizes.py
    DATABASE_URL=postgres://…/onestop .venv/bin/python benchmarks/bench_sizes.py --flow 500

Without ``--flow`` it only reads the configured database (PostgreSQL): for each table with rows,
its row count (the planner's estimate after ANALYZE: run ``ANALYZE`` first on a fresh copy), its
``pg_total_relation_size`` (heap, TOAST and indexes), the bytes per row and the megabytes per
million dossiers. It writes nothing.

``--flow N`` measures what the real services write for one dossier, in a throw-away test database
(``test_<name>``, created, migrated and dropped, as bench_workflow does): N dossiers registered,
both stages approved and the result returned, with an e-mail and a phone number (so the citizen's
notifications are written and delivered in-process) and the portal exchange on (the fake client),
then rows per dossier for each table. A seeded database gives bytes per row at scale; the flow
gives rows per dossier; docs/SIZING.md multiplies the two.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "false")  # as in production: no query log, no debug cursor
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestop.settings")
BENCH_QUEUE = f"bench-sizes-{os.getpid()}"
os.environ["CELERY_TASK_DEFAULT_QUEUE"] = BENCH_QUEUE
if "--flow" in sys.argv:
    # Deliveries in-process (console e-mail, logging SMS), the portal on with its fake client.
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    os.environ.setdefault("ONESTOP_PORTAL_URL", "http://portal.invalid")
    os.environ["ONESTOP_PORTAL_CLIENT"] = "portal.fake.FakePortalClient"
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

import django  # noqa: E402

django.setup()

from django.db import connection, connections  # noqa: E402

SIZES_SQL = """
SELECT c.relname, GREATEST(c.reltuples, 0)::bigint, pg_total_relation_size(c.oid),
       pg_relation_size(c.oid), pg_indexes_size(c.oid)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r' AND n.nspname = 'public'
ORDER BY pg_total_relation_size(c.oid) DESC
"""


def table_sizes() -> list[tuple[str, int, int, int, int]]:
    with connection.cursor() as cursor:
        cursor.execute(SIZES_SQL)
        return cursor.fetchall()


def exact_count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - a name from pg_class
        return cursor.fetchone()[0]


def print_sizes(limit: int) -> None:
    rows = table_sizes()
    dossiers = exact_count("workflows_dossier")
    total = sum(r[2] for r in rows)
    name = connection.settings_dict["NAME"]
    print(f"database {name}: {dossiers:,} dossiers, {total / 2**20:,.0f} MB in tables")
    columns = (
        f"{'rows':>12} {'total MB':>9} {'heap MB':>8} {'index MB':>9} {'B/row':>6} {'MB/M dossiers':>14}"
    )
    print(f"{'table':<34} {columns}")
    for table, estimate, size, heap, indexes in rows[:limit]:
        per_row = size / estimate if estimate else 0
        per_million = size / dossiers * 1_000_000 / 2**20 if dossiers else 0
        print(
            f"{table:<34} {estimate:>12,} {size / 2**20:>9,.1f} {heap / 2**20:>8,.1f}"
            f" {indexes / 2**20:>9,.1f}"
            f" {per_row:>6,.0f} {per_million:>14,.1f}"
        )
    all_per_million = total / dossiers * 1e6 / 2**20 if dossiers else 0
    print(f"{'all tables':<34} {'':>12} {total / 2**20:>9,.1f} {'':>26} {all_per_million:>14,.1f}")


def run_flow(count: int) -> None:
    from benchmarks.bench_workflow import APPLICANT, _user, open_stage_one_tasks, setup_fixtures
    from procedures.models import Procedure
    from workflows import services
    from workflows.models import Dossier

    procedure_pk, reception_pk, specialist_pk = setup_fixtures()
    procedure = Procedure.objects.select_related("receiving_agency").get(pk=procedure_pk)
    reception, specialist = _user(reception_pk), _user(specialist_pk)
    before = {name: exact_count(name) for name, *_ in table_sizes()}
    applicant = {**APPLICANT, "email": "an@example.vn"}
    started = time.perf_counter()
    for _ in range(count):
        services.dossier_register(procedure=procedure, applicant=applicant, channel="online", by=reception)
    for stage in (0, 1):
        for pk in open_stage_one_tasks(stage):
            services.task_complete(task=pk, by=specialist, decision="approve")
    for dossier in Dossier.objects.filter(status="result_ready").order_by("pk"):
        services.dossier_return_result(dossier=dossier, by=reception)
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"{count} dossiers registered, two stages approved, result returned: {elapsed:.1f} s")
    # A small sample's size per row is mostly page and index overhead: the row's own width
    # (pg_column_size, plus 28 bytes of tuple header and line pointer) and its index count say more.
    print(
        f"{'table':<34} {'rows added':>10} {'per dossier':>12} {'B/row here':>10} {'row B':>6} {'indexes':>7}"
    )
    for name, _estimate, size, _heap, _indexes in table_sizes():
        added = exact_count(name) - before.get(name, 0)
        if added > 0:
            width, indexes = row_width(name)
            here = size / max(exact_count(name), 1)
            line = f"{name:<34} {added:>10,} {added / count:>12.2f} {here:>10,.0f}"
            print(f"{line} {width + 28:>6,.0f} {indexes:>7}")


def row_width(table: str) -> tuple[float, int]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT avg(pg_column_size(t.*)) FROM "{table}" t')  # noqa: S608 - from pg_class
        width = float(cursor.fetchone()[0] or 0)
        cursor.execute("SELECT count(*) FROM pg_index WHERE indrelid = %s::regclass", [table])
        return width, cursor.fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--flow", type=int, default=0, help="dossiers through the services (throw-away database)"
    )
    parser.add_argument("--limit", type=int, default=20, help="tables listed (largest first)")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench_sizes reads PostgreSQL's catalogue: set DATABASE_URL to a PostgreSQL database")
    if not args.flow:
        print_sizes(args.limit)
        return
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run_flow(args.flow)
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
