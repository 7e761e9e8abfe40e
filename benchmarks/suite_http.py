"""Section 2 and 5 of ``run_all``: the desk's requests over HTTP, and their SQL queries.

``cases()`` lists every request a person waits for on a seeded province (``benchmarks.province``):
the citizen lookup, the inboxes, every dossier list filter and search of every role, the dossier
detail (API, token), and the staff UI's main pages (a logged-in session). ``http_rows`` serves them
with gunicorn (``benchmarks/bench_http.py``: a worker per CPU, rate limits lifted, DEBUG off) and
measures each with wrk, after a warm-up (``warm_up``), at concurrency 1 (p50 / p95 / p99) and 8
(requests per second) against the
trivial JSON view in the same run. ``query_counts`` counts each request's SQL queries in process.

    python -m benchmarks.suite_http --query-counts   # JSON {case: queries} on the configured database
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DEBUG", "false")  # as in production: no query log, no debug cursor
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.bench_settings")
    import django

    django.setup()

from benchmarks.http_server import bench_server, worker_count  # noqa: E402
from benchmarks.suite_rows import Row  # noqa: E402


@dataclass(frozen=True)
class Case:
    name: str
    path: str
    role: str | None = None  # an API token of this role's demo user
    session: str | None = None  # a logged-in session of this role's demo user (staff UI)


def cases() -> list[Case]:
    from benchmarks import province
    from workflows.models import Dossier, DossierTask

    agency = province.busiest_agency_id()
    lookups = Dossier.objects.filter(code__startswith=province.PREFIX, receiving_agency_id=agency)
    code = lookups.order_by("-received_at").values_list("code", flat=True).first() or "BENCH-00000000"
    task = (
        DossierTask.objects.filter(agency_id=agency, role="specialist", status="open")
        .order_by("id")
        .values_list("id", flat=True)
        .first()
    )
    first, last = province.last_month()
    month = f"received_from={first}&received_to={last}"
    number = int(code[len(province.PREFIX) :])
    lst = "/api/v1/dossiers/?"
    out = [
        Case("trivial JSON view (baseline)", "/bench/trivial"),
        Case("citizen lookup", f"/api/v1/public/dossiers/{code}/?key={province.lookup_key(code)}"),
        Case("inbox: specialist", "/api/v1/tasks/", "specialist"),
        Case("inbox: specialist ?assigned=me", "/api/v1/tasks/?assigned=me", "specialist"),
        Case("inbox: specialist ?overdue=true", "/api/v1/tasks/?overdue=true", "specialist"),
        Case("inbox: head", "/api/v1/tasks/", "head"),
    ]
    for role in ("reception", "head", "supervisor"):
        out += [
            Case(f"dossiers: {role}", lst, role),
            Case(f"dossiers: {role} ?status=processing", f"{lst}status=processing", role),
            Case(f"dossiers: {role} ?overdue=true", f"{lst}overdue=true", role),
            Case(f"dossiers: {role}, a month", f"{lst}{month}", role),
            Case(f"dossiers: {role} ?search=<code prefix>", f"{lst}search={code[:-3]}", role),
            Case(f"dossiers: {role} ?search=<name part>", f"{lst}search=n%E1%BB%99p%20{number}", role),
        ]
    procedure = Dossier.objects.filter(code=code).values_list("procedure__code", flat=True).first()
    agency_code = Dossier.objects.filter(code=code).values_list("receiving_agency__code", flat=True).first()
    out += [
        Case("dossiers: supervisor ?procedure=", f"{lst}procedure={procedure}", "supervisor"),
        Case("dossiers: supervisor ?agency=", f"{lst}agency={agency_code}", "supervisor"),
        Case("dossiers: supervisor ?agency=&a month", f"{lst}agency={agency_code}&{month}", "supervisor"),
        Case("dossier detail (head)", f"/api/v1/dossiers/{code}/", "head"),
        Case("UI: reception desk", "/reception/", session="reception"),
        Case("UI: task queue (specialist)", "/tasks/", session="specialist"),
        Case("UI: dossier list (reception)", "/dossiers/", session="reception"),
        Case("UI: dossier detail (head)", f"/dossiers/{code}/", session="head"),
        Case("UI: board (supervisor)", "/board/", session="supervisor"),
    ]
    if task:
        out.append(Case("UI: task detail (specialist)", f"/tasks/{task}/", session="specialist"))
    # Last: a slow page keeps the workers busy after wrk stops, which would slow the next case.
    return out + [Case("UI: dashboard (supervisor)", "/dashboard/", session="supervisor")]


def credentials(case: Case) -> dict[str, str]:
    """The header wrk sends: an API token, or the cookie of a session logged in by ``force_login``."""
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from benchmarks import province

    if case.role:
        token, _ = Token.objects.get_or_create(user=province.staff(case.role))
        return {"Authorization": f"Token {token.key}"}
    if case.session:
        client = Client()
        client.force_login(province.staff(case.session))
        return {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}
    return {}


def query_counts() -> dict[str, int]:
    """SQL queries of each case (the second request: caches warm), in process with the test client."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    out = {}
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver", "127.0.0.1"]):
        for case in cases():
            if case.path.startswith("/bench/"):
                continue
            headers = credentials(case)
            client = Client(headers=headers)
            client.get(case.path)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(case.path)
            out[case.name] = len(queries) if response.status_code == 200 else -response.status_code
    return out


LUA = Path(__file__).with_name("wrk_percentiles.lua")


def wrk(url: str, headers: dict[str, str], connections: int, seconds: int) -> dict[str, float]:
    """Requests per second and p50 / p95 / p99 in ms (wrk's own histogram, via a Lua ``done``)."""
    cmd = ["wrk", f"-t{min(connections, 2)}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s",
           "-s", str(LUA), url]  # fmt: skip
    for name, value in headers.items():
        cmd[1:1] = ["-H", f"{name}: {value}"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("SUITE "))
    figures = {k: float(v) for k, v in (part.split("=") for part in line.split()[1:])}
    done = figures["rps"] > 0  # none completed within the run: no latency to report
    return {"rps": figures["rps"], "errors": figures["errors"],
            **{p: figures[p] / 1000 if done else None for p in ("p50", "p95", "p99")}}  # fmt: skip


def free_port() -> int:
    """A port nobody listens on now (other benchmarks may be serving on the usual ones)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def warm_up(base: str, case: Case, headers: dict[str, str]) -> None:
    """Serve the case on every worker before it is measured, then wait until the server is idle.

    wrk corrects its latencies for coordinated omission: a request slower than twice the mean
    interval is recorded together with the requests that would have been sent meanwhile. One cold
    first request (a worker's first page using a template, PostgreSQL's first read of the case's
    index pages) of 0.4 s in a 3 s run at concurrency 1 becomes a tenth of the samples, and the
    p95 then reported (140-500 ms for the reception desk in round 3) was that one request.
    """
    import time
    import urllib.request

    try:
        wrk(base + case.path, headers, 8, 1)
    except (subprocess.CalledProcessError, StopIteration):
        return  # the measurement that follows reports the failure
    deadline, quick = time.monotonic() + 10, 0
    while quick < 2 and time.monotonic() < deadline:  # the warm-up's last requests are done
        started = time.perf_counter()
        urllib.request.urlopen(base + "/bench/trivial", timeout=10).read()
        quick = quick + 1 if time.perf_counter() - started < 0.02 else 0


def http_rows(seconds: int, port: int = 0, only: str = "") -> list[Row]:
    from django.db import connection

    todo = [c for c in cases() if not only or only in c.name or c.path.startswith("/bench/")]
    headers = {case.name: credentials(case) for case in todo}
    connection.close()
    workers = worker_count()
    rows: list[Row] = []
    with bench_server(port or free_port()) as base:
        baseline = None
        for case in todo:
            warm_up(base, case, headers[case.name])
            try:
                one = wrk(base + case.path, headers[case.name], 1, seconds)
                eight = wrk(base + case.path, headers[case.name], 8, seconds)
            except (subprocess.CalledProcessError, StopIteration) as exc:
                rows.append(Row("http", case.name, None, "req/s", None, f"wrk failed: {exc!r}"[:200]))
                continue
            baseline = baseline or (one, eight)
            errors = int(one["errors"] + eight["errors"])
            note = f"{errors} errors/non-2xx" if errors else ""
            if one["p50"] is None:
                note = f"no request completed within {seconds} s; {note}".rstrip("; ")
            name = f"{case.name} [{workers} workers]" if baseline == (one, eight) else case.name
            rows.append(Row("http", f"{name}: req/s at 8", eight["rps"], "req/s", baseline[1]["rps"], note))
            rows += [
                Row("http", f"{case.name}: {p} at 1", one[p], "ms", baseline[0][p], "", lower=True)
                for p in ("p50", "p95", "p99")
            ]
    return rows


if __name__ == "__main__" and "--query-counts" in sys.argv:
    print(json.dumps(query_counts()))
