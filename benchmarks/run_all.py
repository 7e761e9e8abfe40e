# ruff: noqa: E402 - Django must be set up before the models are imported.
"""``make bench``: every benchmark on the configured database, one table, each figure with its
baseline measured in the same run and the ratio.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/suite_bench .venv/bin/python benchmarks/run_all.py
    options: --dossiers N (seed up to N first; default 100,000) --sections workflow,http,...
             --seconds S (wrk per case and concurrency) --count C (workflow operations)
             --reference-dossiers R (the query counts are compared with a province of R; 100,000)
             --repeat K (report runs) --sweep-tasks T (100,000) --out var/bench

Sections: ``workflow`` (bench_workflow.py: registration and completion per second, one and two
processes, vs a plain transaction writing the same rows), ``http`` (benchmarks.suite_http: gunicorn
+ wrk vs a trivial JSON view), ``reports`` (benchmarks.suite_reports), ``sweep`` (bench_sweep.py
with T open tasks, steady state and after a day's gap, in its own database ``<name>_sweep``, as it
truncates its tables), ``calendar`` (bench_calendar.py vs the naive calendar), ``queries`` (SQL
queries per request at R and at N: they must be equal; a difference is flagged). On PostgreSQL the
configured database must be a benchmark database (``core.benchdb``; a new name is created) and is
seeded with ``manage.py seed_bench``. On SQLite the sections that need a seeded PostgreSQL
province are skipped, with the reason in the table. Writes ``var/bench/<UTC time>.{json,md}``
and ``latest.{json,md}``.
"""

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.bench_settings")
os.environ.setdefault("DEBUG", "false")

import django

django.setup()

from django.db import connection

from benchmarks.suite_rows import Row, table
from core.benchdb import NotABenchDatabase, claim_bench_database

SECTIONS = ("workflow", "http", "reports", "sweep", "calendar", "queries")
SEEDED = {"http", "reports", "queries"}


def python(script: str, *args: str, database_url: str | None = None) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "onestop.settings"}
    if database_url:
        env["DATABASE_URL"] = database_url
    run = subprocess.run([sys.executable, script, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if run.returncode:
        raise RuntimeError(f"{script} failed ({run.returncode}): {run.stderr[-1500:]}")
    return run.stdout


def database_url(name: str | None = None) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name or s['NAME']}"


def seed(url: str, dossiers: int, snapshot: str | None = None) -> str:
    args = ["manage.py", "seed_bench", "--dossiers", str(dossiers)]
    return python(*args, *(["--snapshot", snapshot] if snapshot else []), database_url=url)


def workflow_rows(count: int) -> list[Row]:
    """bench_workflow.py's table (it runs in a throw-away test database of its own): each operation's
    rate, with the baseline transaction's rate (the rate over the ratio it prints) and its queries."""
    processes = "1,2" if connection.vendor == "postgresql" else "1"  # SQLite: one writer at a time
    out = python("benchmarks/bench_workflow.py", "--count", str(count), "--processes", processes)
    rows = []
    line = r"^\s*(\d+) (\w+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+(\d+)\s+([\d.]+)×"
    for processes, op, rate, median, cpu, queries, ratio in re.findall(line, out, re.M):
        label = f"{op}, {processes} process{'es' if processes != '1' else ''}"
        base = float(rate) / float(ratio) if float(ratio) else None
        note = f"median {median} ms, {cpu} ms CPU, {queries} queries; baseline: one transaction, same rows"
        rows.append(Row("workflow", label, float(rate), "ops/s", base, note))
    if not rows:
        raise RuntimeError(f"bench_workflow.py printed no rate: {out[-800:]}")
    return rows


def sweep_rows(tasks: int, runs: int) -> list[Row]:
    """bench_sweep.py --json (steady state: the previous sweep a minute ago; after a day's gap):
    the set-based sweep against an indexed count of the same tasks, and the old Python sweep."""
    s = connection.settings_dict
    name = f"{s['NAME']}_sweep"
    out = python("benchmarks/bench_sweep.py", "--tasks", str(tasks), "--gaps", "60,86400",
                 "--runs", str(runs), "--json", database_url=database_url(name))  # fmt: skip
    measured = json.loads(out.strip().splitlines()[-1])
    rows = []
    for gap in sorted({row["gap_s"] for row in measured}):
        cases = {row["case"].split(" of ")[0]: row for row in measured if row["gap_s"] == gap}
        after, before = cases["after: set-based"], cases["before: rows built in Python"]
        label = "steady state" if gap <= 300 else f"after a {gap / 3600:g} h gap"
        note = (
            f"{after['crossing']:,} crossing, {after['notifications']:,} notifications,"
            f" {after['queries']} statements; the Python sweep {before['ms']:.0f} ms"
        )
        base = cases["baseline: count(*)"]["ms"]  # an indexed count of the open tasks due
        rows.append(Row("sweep", f"deadline sweep, {tasks:,} open tasks, {label}", after["ms"], "ms", base,
                        note, True))  # fmt: skip
    drop_database(name)
    return rows


def drop_database(name: str) -> None:
    """Drop a database this runner made (``<name>_sweep``); it carries the benchmark marker."""
    import psycopg

    s = connection.settings_dict
    with psycopg.connect(database_url(name)) as probe:
        marked = probe.execute("SELECT to_regclass('onestop_bench_marker') IS NOT NULL").fetchone()[0]
    if marked:
        with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    del s


def calendar_rows(calls: int) -> list[Row]:
    out = python("benchmarks/bench_calendar.py", "--calls", str(calls), "--baseline-calls", "5000")
    rows = []
    for name, rate, naive in re.findall(r"^(\w+)\s+[\d,]+\s+[\d.]+\s+([\d,]+)\s+([\d,]+)", out, re.M):
        fast, slow = float(rate.replace(",", "")), float(naive.replace(",", ""))
        rows.append(Row("calendar", name, fast, "calls/s", slow, "baseline: the naive day-by-day calendar"))
    return rows


def query_rows(n: int, reference: int) -> list[Row]:
    """SQL queries per request on this province and on one of ``reference`` dossiers: equal, or flagged."""
    from benchmarks import suite_http
    from core.benchdb import bench_snapshot

    here = suite_http.query_counts()
    if reference == n:
        there = here
    else:
        ref = f"{connection.settings_dict['NAME']}_ref{reference // 1000}k"
        seed(database_url(ref), reference, bench_snapshot().isoformat())
        out = python("benchmarks/suite_http.py", "--query-counts", database_url=database_url(ref))
        there = json.loads(out.strip().splitlines()[-1])
    rows = []
    for name, count in here.items():
        other = there.get(name)
        note = "" if other == count else f"DIFFERS: {other} at {reference:,}, {count} at {n:,}"
        rows.append(
            Row("queries", f"{name} (at {reference:,} → at {n:,})", count, "queries", other, note, True)
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--sections", default=",".join(SECTIONS))
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reference-dossiers", type=int, default=100_000)
    parser.add_argument("--sweep-tasks", type=int, default=100_000)
    parser.add_argument("--calendar-calls", type=int, default=200_000)
    parser.add_argument("--only", default="", help="HTTP: only the cases whose name contains this")
    parser.add_argument("--out", default=str(ROOT / "var" / "bench"))
    args = parser.parse_args()
    sections = [s for s in args.sections.split(",") if s]
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        sys.exit(f"unknown sections {sorted(unknown)}; choose among {', '.join(SECTIONS)}")
    postgres = connection.vendor == "postgresql"
    skipped: dict[str, str] = {}
    if postgres:
        try:
            claim_bench_database()
        except NotABenchDatabase as exc:
            sys.exit(str(exc))
        if SEEDED & set(sections):
            print(f"seeding up to {args.dossiers:,} dossiers (manage.py seed_bench) …", flush=True)
            print(seed(database_url(), args.dossiers), flush=True)
    rows: list[Row] = []
    for section in sections:
        reason = None
        if not postgres and section in SEEDED:
            reason = "needs a province seeded on PostgreSQL (seed_bench is set-based PostgreSQL SQL)"
        elif not postgres and section == "sweep":
            reason = "needs PostgreSQL (bench_sweep.py seeds its tasks with PostgreSQL SQL)"
        elif section == "http" and not shutil.which("wrk"):
            reason = "needs wrk (apt-get install -y wrk)"
        if reason:
            skipped[section] = reason
            print(f"[{section}] skipped: {reason}", flush=True)
            continue
        print(f"[{section}] running …", flush=True)
        try:
            if section == "workflow":
                rows += workflow_rows(args.count)
            elif section == "http":
                from benchmarks.suite_http import http_rows

                rows += http_rows(args.seconds, only=args.only)
            elif section == "reports":
                from benchmarks.suite_reports import report_rows

                rows += report_rows(args.repeat)
            elif section == "sweep":
                rows += sweep_rows(args.sweep_tasks, args.repeat)
            elif section == "calendar":
                rows += calendar_rows(args.calendar_calls)
            elif section == "queries":
                rows += query_rows(args.dossiers, args.reference_dossiers)
        except Exception as exc:  # noqa: BLE001 - one broken section must not lose the others' figures
            traceback.print_exc()
            rows.append(Row(section, "failed", None, "", None, f"{type(exc).__name__}: {exc}"[:300]))
        print(table([row for row in rows if row.section == section]), flush=True)  # each section as it ends
    rows += [Row(section, "skipped", None, "", None, reason) for section, reason in skipped.items()]
    write(rows, args, postgres)
    failed = sorted({row.section for row in rows if row.name == "failed"})
    if failed:  # every figure is printed first; then the run (and CI's smoke step) fails
        sys.exit(f"benchmark sections failed: {', '.join(failed)}")


def write(rows: list[Row], args, postgres: bool) -> None:
    from workflows.models import Dossier

    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H%M%SZ")
    head = (
        f"{when}: {connection.vendor} {connection.settings_dict['NAME']!r},"
        f" {Dossier.objects.count() if postgres else 0:,} dossiers,"
        f" {os.cpu_count()} CPUs; sections {args.sections}; wrk {args.seconds} s"
    )
    text = f"{head}\n\n{table(rows)}\n"
    print("\n" + text)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    data = {"run": head, "rows": [row.as_dict() for row in rows]}
    for stem in (when, "latest"):
        (out / f"{stem}.json").write_text(json.dumps(data, indent=1, ensure_ascii=False))
        (out / f"{stem}.md").write_text(text)
    differs = [row for row in rows if row.note.startswith("DIFFERS")]
    if differs:
        print(
            f"{len(differs)} request(s) run a different number of queries at the two sizes (flagged above)."
        )


if __name__ == "__main__":
    main()
