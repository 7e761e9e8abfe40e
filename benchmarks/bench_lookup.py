"""The citizen lookup's share of the trivial view's requests per second, interleaved, several rounds.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a seeded copy> REDIS_URL=redis://127.0.0.1:6379/<n> \
        .venv/bin/python benchmarks/bench_lookup.py --rounds 5 --seconds 3

One gunicorn (``benchmarks.http_server``, as ``suite_http``), then per round wrk at concurrency 8 on
the trivial JSON view, the lookup with ``?key=`` and the lookup with the ``X-Lookup-Key`` header, one
after the other, so that each share compares figures taken within seconds of each other (the
suite measures the baseline once, first, and a shared machine's load moves between cases). Prints
each round and the medians. Informative only; no test depends on the figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.bench_settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    from benchmarks import province
    from benchmarks.http_server import bench_server
    from benchmarks.suite_http import cases, free_port, wrk

    lookup = next(case for case in cases() if case.name == "citizen lookup")
    path, _, query = lookup.path.partition("?key=")
    connection.close()
    runs = {
        "trivial": ("/bench/trivial", {}),
        "lookup ?key=": (lookup.path, {}),
        "lookup header": (path, {"X-Lookup-Key": query or province.lookup_key(path.rstrip("/").split("/")[-1])}),
    }
    figures: dict[str, list[float]] = {name: [] for name in runs}
    with bench_server(free_port()) as base:
        for name, (url, headers) in runs.items():  # warm: every thread's connections and statements
            wrk(base + url, headers, args.connections, 1)
        for number in range(1, args.rounds + 1):
            line = []
            for name, (url, headers) in runs.items():
                result = wrk(base + url, headers, args.connections, args.seconds)
                if result["errors"]:
                    sys.exit(f"{name}: {int(result['errors'])} errors/non-2xx")
                figures[name].append(result["rps"])
                line.append(f"{name} {result['rps']:7.0f}")
            shares = [figures[name][-1] / figures["trivial"][-1] for name in runs if name != "trivial"]
            print(f"round {number}: " + ", ".join(line) + " req/s; shares " + ", ".join(f"{s:.0%}" for s in shares))
    medians = {name: statistics.median(values) for name, values in figures.items()}
    for name in runs:
        shares = [value / base_ for value, base_ in zip(figures[name], figures["trivial"], strict=True)]
        print(f"median {name:14s} {medians[name]:7.0f} req/s, share of the trivial view (median of rounds) "
              f"{statistics.median(shares):.0%}")  # fmt: skip


if __name__ == "__main__":
    main()
