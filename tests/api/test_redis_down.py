"""Issue 10 #2: the desk keeps working with Redis unreachable (here: nothing listens on port 1)."""

import logging
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from kombu.exceptions import OperationalError

from api.throttling import LOCAL_COUNTERS
from notifications.outbox import queue_deliveries

from .desk import walk_the_desk

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]

UNREACHABLE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


@pytest.fixture
def cache_down(settings):
    settings.CACHES = UNREACHABLE_CACHE
    LOCAL_COUNTERS.clear()
    yield
    LOCAL_COUNTERS.clear()


def test_registration_processing_lookup_catalog_and_login_work_with_the_cache_down(
    cache_down, staff, as_user, procedure, caplog
):
    with caplog.at_level(logging.WARNING, logger="core.outage"):
        statuses = walk_the_desk(staff, as_user)
    assert statuses == {
        "register": 201,
        "claim": 200,
        "complete": 200,
        "lookup": 200,
        "catalog": 200,
        "due_date": 200,
        "token": 200,
    }
    warnings = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(warnings) == 1, "one warning when the cache goes away, not one per request"


def test_rate_limits_still_hold_per_process_while_the_cache_is_down(cache_down, settings, db):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "public": "2/minute"},
    }
    from rest_framework.test import APIClient

    client = APIClient()
    codes = [client.get("/api/v1/procedures/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_the_calendar_keeps_its_copy_while_the_cache_is_down(cache_down, procedure):
    from procedures.calendar_loader import get_calendar, invalidate_calendar

    first = get_calendar()
    invalidate_calendar()  # cannot tell the other processes; must not raise
    assert get_calendar().hours_per_day == first.hours_per_day


def test_a_broker_failure_stops_queueing_at_once(caplog):
    """After one failed publish nothing else waits on the broker (the outbox re-queues later)."""
    with mock.patch(
        "notifications.tasks.deliver_notification.delay", side_effect=OperationalError("refused")
    ) as delay:
        queue_deliveries([1, 2, 3])
        assert delay.call_count == 1
        queue_deliveries([4])  # a later request while the broker is still down
        assert delay.call_count == 1
    assert "deliver_pending will retry" in caplog.text


def test_no_retry_loop_and_short_timeouts_when_redis_is_configured():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "from onestop.celery import app; "
        "print(s.CELERY_TASK_PUBLISH_RETRY, app.conf.task_publish_retry, s.CELERY_BROKER_CONNECTION_TIMEOUT, "
        "s.CELERY_BROKER_TRANSPORT_OPTIONS['max_retries'], "
        "s.CELERY_BROKER_TRANSPORT_OPTIONS['socket_connect_timeout'], "
        "s.CACHES['default']['OPTIONS']['socket_connect_timeout'], "
        "s.CACHES['default']['OPTIONS']['socket_timeout'])"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "ONESTOP_REDIS"))}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env | {"REDIS_URL": "redis://127.0.0.1:6390/0", "DJANGO_SETTINGS_MODULE": "onestop.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "0.5", "0", "0.5", "0.5", "0.5"]
