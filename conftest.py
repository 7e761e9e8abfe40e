import pytest


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
