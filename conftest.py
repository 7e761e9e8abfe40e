import os

import pytest

# The headless-Chromium fixtures (``browser``, ``page``) of the UI's end-to-end tests.
pytest_plugins = ["tests.browser"]


@pytest.fixture(autouse=True)
def _celery_eager(settings):
    """Unit tests run Celery tasks in-process; the integration tests start a real worker instead."""
    from onestop.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _fresh_cache_namespace(settings, request):
    """Rate-limit counters live in the cache; each test gets a key prefix of its own, so it starts
    with none, without flushing a Redis database that the Celery broker may share."""
    import uuid

    settings.CACHES = {
        name: {**config, "KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}"}
        for name, config in settings.CACHES.items()
    }


@pytest.fixture(autouse=True)
def _fresh_working_calendar():
    """Each test sees the calendar of its own overrides, not one cached in-process by an earlier test."""
    from procedures import calendar_loader

    calendar_loader.forget_local_calendar()
    yield
    calendar_loader.forget_local_calendar()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """PBKDF2 with its production work factor took three quarters of the suite's time; the tests
    check who may log in, not the hash's strength (production keeps Django's default hashers)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _closed_breakers():
    """A test that made Redis unreachable must not leave the next test on the fallbacks."""
    from core.outage import broker_breaker, cache_breaker

    cache_breaker.reset()
    broker_breaker.reset()
    yield
    cache_breaker.reset()
    broker_breaker.reset()


def pytest_collection_modifyitems(config, items):
    """A test that drives the browser needs Chromium: mark it, so CI's ONESTOP_REQUIRE_SERVICES
    turns a skip for a missing browser into a failure."""
    for item in items:
        if {"page", "browser"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


# --- ONESTOP_REQUIRE_SERVICES: in a mode that has the services, a test that needs them must not skip.
# CI sets it (.ci/run); a developer without PostgreSQL or Redis leaves it unset and sees the skips.
REQUIRABLE_SERVICES = {
    "postgres": "PostgreSQL (DATABASE_URL)",
    "redis": "Redis (REDIS_URL)",
    "redis_server": "the redis-server binary",
    "browser": "chromium and chromedriver",
}


def required_services() -> set[str]:
    value = os.environ.get("ONESTOP_REQUIRE_SERVICES", "")
    names = {name.strip() for name in value.split(",") if name.strip()}
    unknown = names - set(REQUIRABLE_SERVICES)
    if unknown:
        raise pytest.UsageError(
            f"ONESTOP_REQUIRE_SERVICES: unknown {sorted(unknown)}; choose from {sorted(REQUIRABLE_SERVICES)}"
        )
    return names


def pytest_sessionstart(session):
    """Refuse to start when a required service is not even configured (e.g. CI lost DATABASE_URL)."""
    required = required_services()
    if "postgres" in required:
        from django.conf import settings

        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            raise pytest.UsageError(
                "ONESTOP_REQUIRE_SERVICES lists postgres but DATABASE_URL is not PostgreSQL"
            )
    if "redis" in required and not os.environ.get("REDIS_URL"):
        raise pytest.UsageError("ONESTOP_REQUIRE_SERVICES lists redis but REDIS_URL is not set")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A skipped test marked with a required service (``@pytest.mark.postgres`` …) fails instead."""
    outcome = yield
    report = outcome.get_result()
    if not report.skipped or hasattr(report, "wasxfail"):
        return
    # Only when the mode has everything the test needs (a PostgreSQL-and-Redis test may skip where
    # only Redis is required).
    needs = {mark.name for mark in item.iter_markers()} & set(REQUIRABLE_SERVICES)
    if needs and needs <= required_services():
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        listed = ", ".join(sorted(needs))
        report.longrepr = f"skipped although ONESTOP_REQUIRE_SERVICES lists {listed}: {reason}"
