"""CPU seconds spent by the processes serving a benchmark's requests, from ``/proc`` (Linux): the
gunicorn bound to a port (master and workers), the PostgreSQL backends of a database, and the
load generator (this process's waited-for children). On a shared machine a request's CPU cost
moves much less than the requests per second do: other work takes the CPU away, it does not
make a request cost more cycles (cache effects aside).
"""

from __future__ import annotations

import os
import resource
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # gone
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def _cmdline(pid: str) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def server_pids(port: int) -> list[int]:
    """gunicorn's master bound to ``127.0.0.1:port`` and its workers."""
    masters = {int(p) for p in os.listdir("/proc") if p.isdigit() and f"127.0.0.1:{port} " in _cmdline(p)}
    workers = set()
    for pid in (p for p in os.listdir("/proc") if p.isdigit()):
        try:
            parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        if parent in masters:
            workers.add(int(pid))
    return sorted(masters | workers)


def backend_pids(connection) -> list[int]:
    """The client backends connected to this connection's database, other than itself."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Meter:
    """CPU seconds of the server's processes, the database's backends and the load generator
    between ``start()`` and ``stop()``."""

    def __init__(self, server: list[int], backends: list[int]):
        self.server, self.backends = server, backends

    def _now(self) -> tuple[float, float, float]:
        return (
            sum(map(_cpu_seconds, self.server)),
            sum(map(_cpu_seconds, self.backends)),
            children_cpu(),
        )

    def start(self) -> None:
        self._start = self._now()

    def stop(self) -> dict[str, float]:
        end = self._now()
        return dict(
            zip(
                ("server", "database", "client"),
                (b - a for a, b in zip(self._start, end, strict=True)),
                strict=True,
            )
        )
