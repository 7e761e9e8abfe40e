"""The citizen lookup's share of the trivial view's requests per second, interleaved, several rounds.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a seeded copy> REDIS_URL=redis://127.0.0.1:6379/<n> \
        .venv/bin/python benchmarks/bench_lookup.py --rounds 5 --seconds 3

One gunicorn (``benchmarks.http_server``, as ``suite_http``), then per round wrk at concurrency 8 on
the trivial JSON view, the lookup with ``?key=`` and the lookup with the ``X-Lookup-Key`` header, one
after the other, so that each share compares figures taken within seconds of each other (the
suite measures the baseline once, first, and a shared machine's load moves between cases). Prints
each round and the medians, and what a request cost in CPU (``benchmarks/cpu_meter.py``: the
gunicorn workers, the database's backends, wrk), a figure that a shared machine's load moves much
less than the rates. Informative only; no test depends on the figures.

``--compare DIR`` also serves another checkout (e.g. ``git archive <commit> | tar -x -C DIR``; its
``.venv`` is this one's) on a second gunicorn, and measures its lookup in the same rounds: before
and after a change, interleaved.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "false")  # as in production: no query log, no debug cursor
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.bench_settings")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--compare", type=Path, help="another checkout, served and measured alongside")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    from benchmarks import cpu_meter, province
    from benchmarks.http_server import bench_server
    from benchmarks.suite_http import cases, free_port, wrk

    lookup = next(case for case in cases() if case.name == "citizen lookup")
    path, _, query = lookup.path.partition("?key=")
    header = {"X-Lookup-Key": query or province.lookup_key(path.rstrip("/").split("/")[-1])}
    runs = {
        "trivial": (0, "/bench/trivial", {}),
        "lookup ?key=": (0, lookup.path, {}),
        "lookup header": (0, path, header),
    }
    if args.compare:
        runs["compared ?key="] = (1, lookup.path, {})
    figures: dict[str, list[float]] = {name: [] for name in runs}
    costs: dict[str, list[dict[str, float]]] = {name: [] for name in runs}
    with ExitStack() as stack:
        ports = [free_port()]
        bases = [stack.enter_context(bench_server(ports[0]))]
        if args.compare:
            ports.append(free_port())
            bases.append(stack.enter_context(bench_server(ports[1], root=args.compare.resolve())))
        for server, url, headers in runs.values():  # warm: every thread's connections
            wrk(bases[server] + url, headers, args.connections, 1)
        backends = cpu_meter.backend_pids(connection)
        connection.close()
        meters = [cpu_meter.Meter(cpu_meter.server_pids(port), backends) for port in ports]
        for number in range(1, args.rounds + 1):
            line = []
            for name, (server, url, headers) in runs.items():
                meters[server].start()
                result = wrk(bases[server] + url, headers, args.connections, args.seconds)
                spent = meters[server].stop()
                if result["errors"]:
                    sys.exit(f"{name}: {int(result['errors'])} errors/non-2xx")
                figures[name].append(result["rps"])
                done = result["rps"] * args.seconds
                costs[name].append({part: seconds / done * 1e6 for part, seconds in spent.items()})
                line.append(f"{name} {result['rps']:7.0f}")
            shares = [figures[name][-1] / figures["trivial"][-1] for name in runs if name != "trivial"]
            print(
                f"round {number}: "
                + ", ".join(line)
                + " req/s; shares "
                + ", ".join(f"{s:.0%}" for s in shares)
            )
    medians = {name: statistics.median(values) for name, values in figures.items()}
    for name in runs:
        shares = [value / base_ for value, base_ in zip(figures[name], figures["trivial"], strict=True)]
        print(f"median {name:14s} {medians[name]:7.0f} req/s, share of the trivial view (median of rounds) "
              f"{statistics.median(shares):.0%}")  # fmt: skip
    print("CPU µs per request (medians of rounds): gunicorn, PostgreSQL backends, wrk; total; trivial/total")
    trivial_total = statistics.median(sum(cost.values()) for cost in costs["trivial"])
    for name in runs:
        parts = {
            part: statistics.median(cost[part] for cost in costs[name])
            for part in ("server", "database", "client")
        }
        total = statistics.median(sum(cost.values()) for cost in costs[name])
        print(f"  {name:14s} {parts['server']:6.0f} {parts['database']:6.0f} {parts['client']:6.0f}; "
              f"{total:6.0f}; {trivial_total / total:.0%}")  # fmt: skip


if __name__ == "__main__":
    main()
