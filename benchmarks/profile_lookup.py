"""Where the citizen's lookup spends its Python time, against the trivial JSON view, in process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a seeded copy> REDIS_URL=redis://127.0.0.1:6379/<n> \
        .venv/bin/python benchmarks/profile_lookup.py --count 2000 --top 30

Calls the WSGI application as gunicorn does (``benchmarks.bench_settings``, DEBUG off, the rate
limit lifted) for the trivial view, the lookup with ``?key=`` and with the ``X-Lookup-Key`` header,
and prints the microseconds per request of each (wall clock and CPU, best of ``--rounds``), then the
lookup's cProfile of CPU time (``--profile``: cumulative, then own time). Informative only; no
test depends on the figures.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.bench_settings"
os.environ["DEBUG"] = "false"
os.environ["ONESTOP_PUBLIC_RATE"] = "1000000/second"


def environ(path: str, query: str = "", headers: dict[str, str] | None = None) -> dict:
    out = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for name, value in (headers or {}).items():
        out["HTTP_" + name.upper().replace("-", "_")] = value
    return out


def call(app, env: dict) -> int:
    status = []
    body = app(dict(env, **{"wsgi.input": io.BytesIO(b"")}), lambda s, h, *a: status.append(s))
    for _ in body:
        pass
    if hasattr(body, "close"):
        body.close()
    return int(status[0][:3])


def per_request_us(app, env: dict, count: int, rounds: int) -> tuple[float, float]:
    """Wall clock and this process's CPU time per request, in µs (the best of ``rounds``)."""
    wall = cpu = float("inf")
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        for _ in range(count):
            call(app, env)
        wall = min(wall, (time.perf_counter() - start) / count)
        cpu = min(cpu, (time.process_time() - start_cpu) / count)
    return wall * 1e6, cpu * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    import logging

    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application

    from benchmarks import province
    from workflows.models import Dossier

    code = Dossier.objects.filter(code__startswith=province.PREFIX).values_list("code", flat=True).first()
    key = province.lookup_key(code)
    app = get_wsgi_application()  # sets logging up again
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 404 case's warnings
    path = f"/api/v1/public/dossiers/{code}/"
    cases = {
        "trivial JSON view": environ("/bench/trivial"),
        "lookup ?key=": environ(path, f"key={key}"),
        "lookup X-Lookup-Key": environ(path, headers={"X-Lookup-Key": key}),
        "lookup, wrong key (404)": environ(path, "key=AAAAAAAAAA"),
    }
    for name, env in cases.items():
        print(f"{name:28s} status {call(app, env)}")
    for name, env in cases.items():
        wall, cpu = per_request_us(app, env, args.count, args.rounds)
        print(f"{name:28s} {wall:8.0f} µs/request, {cpu:8.0f} µs of this process's CPU")
    if args.profile:
        profile = cProfile.Profile(time.process_time)  # CPU: waits on the sockets left out
        profile.enable()
        for _ in range(args.count):
            call(app, cases["lookup ?key="])
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
