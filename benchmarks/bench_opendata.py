# ruff: noqa: E402 - Django must be set up before the models are imported.
"""Benchmark: the open datasets, the event-log export and the conformance check on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python benchmarks/bench_opendata.py

Seeds like ``bench_reports.py`` (its ``seed`` and ``seed_audit_trail``; ``--dossiers N``, default
100,000) and times, for the year: the ``agency-monthly`` and ``procedure-monthly`` datasets (12
months), ``ii06a-quarterly``, the XES and OCEL exports (consumed to the end; bytes and peak memory
of the process) and the conformance report.
"""

import argparse
import datetime as dt
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "false")  # as in production: no query log, no debug cursor
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestop.settings")

import django

django.setup()

from django.core.management import call_command
from django.db import connection

from benchmarks.bench_reports import PREFIX, TZ, YEAR, seed, seed_audit_trail
from reports import conformance, eventlog, opendata
from reports.periods import make_period
from workflows.models import Dossier, DossierEvent


def timed(name: str, fn) -> object:
    t = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{name:40} {seconds:7.2f} s   process peak RSS so far {peak:6.0f} MB")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=100_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL.")
    call_command("migrate", verbosity=0)
    if Dossier.objects.filter(code__startswith=PREFIX).count() < args.dossiers:
        Dossier.objects.filter(code__startswith=PREFIX).delete()
        seed(args.dossiers)
        seed_audit_trail()
        with connection.cursor() as cursor:
            for table in ("workflows_dossier", "workflows_dossierevent"):
                cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"{Dossier.objects.count():,} dossiers, {DossierEvent.objects.count():,} events")
    year = make_period(date_from=dt.date(YEAR, 1, 1), date_to=dt.date(YEAR, 12, 31), tz=TZ)
    timed("agency-monthly, year", lambda: opendata.monthly_dataset(period=year, group_by="agency"))
    timed("procedure-monthly, year", lambda: opendata.monthly_dataset(period=year, group_by="procedure"))
    timed("ii06a-quarterly, year", lambda: opendata.ii06a_dataset(period=year))
    size = timed(
        "XES export, year", lambda: sum(len(c) for c in eventlog.xes_chunks(eventlog.log_events(period=year)))
    )
    print(f"{'':40} {size / 1e6:7.1f} MB of XES")
    size = timed(
        "OCEL export, year",
        lambda: sum(len(c) for c in eventlog.ocel_chunks(eventlog.log_events(period=year))),
    )
    print(f"{'':40} {size / 1e6:7.1f} MB of OCEL JSON")
    report = timed("conformance, year", lambda: conformance.conformance_report(period=year))
    print(f"{'':40} {report['checked']:,} checked, {report['deviating']:,} deviating")


if __name__ == "__main__":
    main()
