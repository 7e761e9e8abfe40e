"""The web container's health check: ``python -m core.healthcheck`` (docker-compose.yml).

It calls ``/healthz`` on the local gunicorn with a ``Host`` header that ``ALLOWED_HOSTS`` accepts:
the first name listed there. A plain ``urlopen("http://127.0.0.1:8000/healthz")`` sends
``Host: 127.0.0.1:8000``, which a production ``ALLOWED_HOSTS=motcua.example.gov.vn`` refuses with
a 400, so the container was reported unhealthy while it served. Standard library only: it must not
import Django (a health check every 30 s should cost nothing).
"""

from __future__ import annotations

import os
import sys
import urllib.request

URL = "http://127.0.0.1:8000/healthz"
FALLBACK_HOST = "localhost"


def health_host(allowed_hosts: str) -> str:
    """The first concrete name of ``ALLOWED_HOSTS`` (comma separated): ``.example.vn`` (a domain and
    its subdomains) gives ``example.vn``; ``*`` or nothing gives ``localhost``."""
    for name in (part.strip() for part in allowed_hosts.split(",")):
        name = name.lstrip(".")
        if name and name != "*" and "*" not in name:
            return name
    return FALLBACK_HOST


def check(url: str = URL, *, allowed_hosts: str | None = None, timeout: float = 5.0) -> int:
    """0 when ``/healthz`` answers 200, else 1 (the exit status Docker reads)."""
    hosts = os.environ.get("ALLOWED_HOSTS", "") if allowed_hosts is None else allowed_hosts
    request = urllib.request.Request(url, headers={"Host": health_host(hosts)})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - a fixed local URL
            return 0 if response.status == 200 else 1
    except OSError as exc:  # URLError, HTTPError (a 4xx/5xx), a refused connection, a timeout
        print(f"healthcheck: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(check())
