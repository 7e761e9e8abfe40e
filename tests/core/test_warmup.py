"""A web worker does its first request's one-off work before it accepts connections."""

import runpy
from pathlib import Path

from django.template import engines

from core import warmup

ROOT = Path(__file__).resolve().parents[2]


def test_the_project_templates_are_its_own_apps_not_third_party_packages():
    names = set(warmup.project_templates())
    assert {"staffui/base.html", "staffui/reception.html", "citizen/lookup.html"} <= names
    assert not {name for name in names if name.startswith(("admin/", "rest_framework/", "django_filters/"))}


def test_warm_imports_the_urls_and_compiles_every_project_template_without_the_database():
    # No django_db mark: any query would raise here (the worker has no connection yet either).
    timings = warmup.warm()
    assert set(timings) == {"urls", "templates", "translations"}
    # DEBUG is off under the tests, as in production: the cached loader keeps what warm() compiled
    (loader,) = engines["django"].engine.template_loaders
    assert "staffui/reception.html" in loader.get_template_cache


def test_gunicorn_warms_each_worker_before_it_serves(monkeypatch):
    calls, lines = [], []
    monkeypatch.setattr(warmup, "warm", lambda: calls.append(1) or {"urls": 1.0, "templates": 2.0})

    class Worker:
        pid = 42

        class log:  # noqa: N801 - gunicorn's worker.log
            info = staticmethod(lambda message, *args: lines.append(message % args))

    runpy.run_path(str(ROOT / "gunicorn.conf.py"))["post_worker_init"](Worker)
    assert calls == [1]
    assert lines == ["worker 42 warmed in urls 1 ms, templates 2 ms"]
