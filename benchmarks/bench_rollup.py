"""The report rollup at scale: rebuild time, then II.06a and the cutting report read directly and
from the rollup, in the same run, on an existing benchmark database (it writes only the rollup).

    DATABASE_URL=postgres://…/<a copy of the seeded database> python benchmarks/bench_rollup.py

Prints each report's median over ``--repeat`` runs both ways with the ratio, checks that both
give the same figures, and EXPLAIN (ANALYZE, BUFFERS) of the rollup's queries for the year.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DEBUG", "false")  # as in production: no query log, no debug cursor
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestop.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from reports import selectors  # noqa: E402
from reports.periods import make_period  # noqa: E402
from reports.rollup import CACHE_KEY, NOT_PUBLISHED, rebuild  # noqa: E402


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-rebuild", action="store_true")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL.")
    if not args.skip_rebuild:
        t0 = time.perf_counter()
        done = rebuild()
        seconds = time.perf_counter() - t0
        print(
            f"rebuild(): {seconds:.1f} s, {done['flows']:,} flow rows, {done['stock']:,} stock rows, "
            f"{done['hours']:,} hours rows"
        )
    tz = timezone.get_default_timezone()
    year = make_period(date_from=dt.date(args.year, 1, 1), date_to=dt.date(args.year, 12, 31), tz=tz)
    q3 = make_period(date_from=dt.date(args.year, 7, 1), date_to=dt.date(args.year, 9, 30), tz=tz)
    cases = [
        ("II.06a, year, by agency", lambda: selectors.processing_report(period=year, group_by="agency")),
        ("II.06a, year, by field", lambda: selectors.processing_report(period=year, group_by="field")),
        ("II.06a, Q3, by agency", lambda: selectors.processing_report(period=q3, group_by="agency")),
        ("cutting, year, by procedure", lambda: selectors.cutting_report(period=year)),
        ("cutting, year, by agency", lambda: selectors.cutting_report(period=year, group_by="agency")),
        ("cutting, Q3, by procedure", lambda: selectors.cutting_report(period=q3)),
    ]
    print(f"\n{'report':32} {'direct':>9} {'rollup':>9} {'ratio':>7} {'queries':>8}  same")
    for name, fn in cases:
        cache.set(CACHE_KEY, NOT_PUBLISHED, None)
        direct_s, direct = timed(fn, args.repeat)
        cache.set(CACHE_KEY, "bench", None)
        rolled_s, rolled = timed(fn, args.repeat)
        with CaptureQueriesContext(connection) as queries:
            fn()
        same = direct.as_dict() == rolled.as_dict()
        print(
            f"{name:32} {direct_s * 1000:7.0f} ms {rolled_s * 1000:7.0f} ms {direct_s / rolled_s:6.1f}× "
            f"{len(queries):8}  {same}"
        )
    if args.explain:
        cache.set(CACHE_KEY, "bench", None)
        with CaptureQueriesContext(connection) as queries:
            selectors.processing_report(period=year, group_by="agency")
            selectors.cutting_report(period=year)
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")
            for query in queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                plan = [row[0] for row in cursor.fetchall()]
                print(f"\n-- {sql[:160]}…\n" + "\n".join(plan))


if __name__ == "__main__":
    main()
