"""Calls per second of the working-time clock, against a naive day-by-day walk in the same run.

    .venv/bin/python benchmarks/bench_calendar.py [--calls 1000000] [--baseline-calls 20000] [--json]

Starts are random minutes of 2026 on the real Vietnamese calendar (holidays package, no
overrides, no database); durations are up to 60 working days (or 90 calendar days), intervals up
to a year. The baseline walks day by day, as a straightforward implementation would; both sides
are checked to agree on the baseline's inputs before anything is timed.
"""

import argparse
import datetime as dt
import functools
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "false")  # as in production: no query log, no debug cursor
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestop.settings")

import django  # noqa: E402

django.setup()

from benchmarks.naive_calendar import naive_add, naive_between, naive_due  # noqa: E402
from procedures.calendar import (  # noqa: E402
    Duration,
    WorkingCalendar,
    add_working_time,
    due_at,
    working_hours_between,
)
from procedures.calendar_loader import build_calendar  # noqa: E402

US_PER_HOUR = 3_600_000_000


# --- inputs -------------------------------------------------------------------------------------


def make_inputs(calendar: WorkingCalendar, count: int, seed: int):
    rng = random.Random(seed)
    year_start = dt.datetime(2026, 1, 1, tzinfo=calendar.tz)
    minutes_in_year = 365 * 24 * 60
    units = ["working_days", "working_hours", "calendar_days"]
    starts, hours, durations, ends = [], [], [], []
    for _ in range(count):
        start = year_start + dt.timedelta(minutes=rng.randrange(minutes_in_year))
        starts.append(start)
        hours.append(rng.randrange(1, 60 * 8 * 60) / 60)
        unit = rng.choice(units)
        value = {"working_days": rng.randint(1, 60), "working_hours": rng.randint(1, 480)}.get(
            unit, rng.randint(1, 90)
        )
        durations.append(Duration(value, unit))
        ends.append(start + dt.timedelta(minutes=rng.randrange(minutes_in_year)))
    return starts, hours, durations, ends


def rate(fn, first: list, second: list, passes: int) -> float:
    """Calls per second of ``fn(first[i], second[i])`` over ``passes`` passes (results dropped)."""
    began = time.perf_counter()
    for _ in range(passes):
        for x, y in zip(first, second, strict=True):
            fn(x, y)
    return passes * len(first) / (time.perf_counter() - began)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--baseline-calls", type=int, default=20_000)
    parser.add_argument("--json", action="store_true", help="also print the rows as JSON")
    args = parser.parse_args()

    began = time.perf_counter()
    calendar = build_calendar(overrides={})
    print(f"calendar built in {1000 * (time.perf_counter() - began):.0f} ms")

    # 100,000 distinct inputs, cycled through until --calls calls are made (memory stays small).
    distinct = min(args.calls, 100_000)
    passes = max(1, args.calls // distinct)
    calls = distinct * passes
    starts, hours, durations, ends = make_inputs(calendar, distinct, seed=2026)
    nb = min(args.baseline_calls, distinct)
    for i in range(nb):
        assert add_working_time(starts[i], hours[i], calendar=calendar) == naive_add(
            starts[i], hours[i], calendar
        )
        assert due_at(starts[i], durations[i], calendar=calendar) == naive_due(
            starts[i], durations[i], calendar
        )
        fast = working_hours_between(starts[i], ends[i], calendar=calendar)
        assert abs(fast - naive_between(starts[i], ends[i], calendar)) < 1e-6
    print(f"fast and naive agree on {nb:,} inputs of each kind")

    cases = [
        ("add_working_time", add_working_time, naive_add, hours),
        ("due_at", due_at, naive_due, durations),
        ("working_hours_between", working_hours_between, naive_between, ends),
    ]
    print(f"\n{'function':<24}{'calls':>11}{'seconds':>9}{'calls/s':>12}{'naive calls/s':>15}{'ratio':>8}")
    rows = []
    for name, fast, naive, second in cases:
        fast_rate = rate(functools.partial(fast, calendar=calendar), starts, second, passes)
        naive_rate = rate(functools.partial(naive, calendar=calendar), starts[:nb], second[:nb], 1)
        print(
            f"{name:<24}{calls:>11,}{calls / fast_rate:>9.2f}{fast_rate:>12,.0f}"
            f"{naive_rate:>15,.0f}{fast_rate / naive_rate:>7.0f}x"
        )
        rows.append(
            {
                "benchmark": "calendar",
                "case": name,
                "calls": calls,
                "calls_per_s": fast_rate,
                "baseline": "naive day-by-day walk",
                "baseline_calls_per_s": naive_rate,
                "ratio": fast_rate / naive_rate,
            }
        )
    if args.json:
        print(json.dumps(rows))


if __name__ == "__main__":
    main()
