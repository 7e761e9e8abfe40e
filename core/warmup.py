"""What a web worker's first request would otherwise do, done before the worker takes requests.

A new gunicorn worker (a start, a deploy, a worker replaced after a crash) imports the URLconf and
every view module on its first request, compiles each template on the first page that uses it and
loads the translation catalogs on the first page in each language: 1.0-1.5 s on this project's
2-core machine, paid by whoever is served first. ``gunicorn.conf.py`` calls ``warm()`` from
``post_worker_init``, before the worker accepts a connection, so nobody waits for it (the other
workers keep serving meanwhile). Nothing here touches the database or the cache.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.template import engines
from django.urls import get_resolver, reverse
from django.utils import translation


def project_templates() -> Iterator[str]:
    """The names of the project's own templates (its apps' and ``TEMPLATES['DIRS']``), not those
    of third-party packages: the pages people use, not the admin's hundred or DRF's forms."""
    base, packages = Path(settings.BASE_DIR).resolve(), Path(sys.prefix).resolve()
    roots = [Path(d) for config in settings.TEMPLATES for d in config.get("DIRS", [])]
    roots += [
        Path(app.path) / "templates"
        for app in apps.get_app_configs()
        if Path(app.path).resolve().is_relative_to(base)
        and not Path(app.path).resolve().is_relative_to(packages)  # a virtualenv in the checkout
    ]
    seen = set()
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            name = path.relative_to(root).as_posix()
            if path.is_file() and path.suffix in {".html", ".txt", ".xml"} and name not in seen:
                seen.add(name)
                yield name


def warm() -> dict[str, float]:
    """Import the URLconf (and with it every view), compile the project's templates into the cached
    loader, load each language's catalog. Returns milliseconds per part, for the worker's log."""
    timings = {}
    started = time.perf_counter()
    get_resolver().resolve("/healthz")  # imports the URLconf, and with it every view module
    reverse("healthz")  # fills the resolver's reverse tables, which the first redirect would
    timings["urls"] = (time.perf_counter() - started) * 1000

    started = time.perf_counter()
    engine = engines["django"]
    for name in project_templates():
        engine.get_template(name)
    timings["templates"] = (time.perf_counter() - started) * 1000

    started = time.perf_counter()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Vietnamese")
    timings["translations"] = (time.perf_counter() - started) * 1000
    return timings
