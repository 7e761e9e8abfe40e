# ruff: noqa: E402 - Django must be set up before the models are imported.
"""Benchmark: the desk's requests over HTTP, gunicorn + wrk on the loopback, against a trivial JSON view.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<bench db> .venv/bin/python benchmarks/bench_http.py

Needs a database seeded by ``manage.py seed_bench``. The section ``http`` of ``make bench`` on its
own, printed as it goes: the cases of ``benchmarks.suite_http`` (the citizen lookup, the inboxes,
every dossier list filter and search of every role, the detail, the staff UI's pages) served by
gunicorn (``benchmarks.http_server``: a gthread worker per CPU, rate limits lifted, DEBUG off) and
measured with ``wrk`` (Debian package ``wrk``) for ``--seconds`` at concurrency 1 (p50 / p95 /
p99) and at concurrency 8 (requests per second), each against the trivial view of the same run.
One fixed URL per case (wrk repeats it): the pages it reads stay cached, as a desk's do.
Options: ``--seconds 5``, ``--only <substring>``, ``--port`` (default: a free one).
"""

import argparse
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "false")  # as in production: no query log, no debug cursor
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.bench_settings")

import django

django.setup()

from django.db import connection

from benchmarks.suite_http import http_rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--only", default="")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    if connection.vendor != "postgresql" or not shutil.which("wrk"):
        sys.exit("Needs PostgreSQL (DATABASE_URL) and wrk (apt-get install -y wrk).")
    print(f"{'case':56} {'value':>9} {'unit':6} {'baseline':>9} {'ratio':>6}  note")
    for row in http_rows(args.seconds, args.port, args.only):
        value = "-" if row.figure is None else f"{row.figure:,.1f}"
        base = "" if row.baseline is None else f"{row.baseline:,.1f}"
        ratio = "" if row.ratio is None else f"{row.ratio:.2f}"
        print(f"{row.name:56} {value:>9} {row.unit:6} {base:>9} {ratio:>6}  {row.note}", flush=True)


if __name__ == "__main__":
    main()
