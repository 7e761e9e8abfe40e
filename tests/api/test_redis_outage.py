"""Issue 10 #2 against a real redis-server of the test's own, killed in the middle of the test:
the desk keeps working, and the notifications it could not queue are delivered once Redis is back."""

import time

import pytest
from django.db import connection
from django.test import Client

from notifications.models import Notification, NotificationStatus
from notifications.tasks import PENDING_GRACE, deliver_pending
from onestop import settings as project_settings
from tests.celery_worker import running_worker
from tests.redis_server import REDIS_SERVER, RedisServer

from .desk import walk_the_desk

pytestmark = [
    pytest.mark.integration,
    pytest.mark.redis_server,
    pytest.mark.skipif(not REDIS_SERVER, reason="redis-server is not installed: the outage test starts one"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESK_OK = {
    "register": 201,
    "claim": 200,
    "complete": 200,
    "lookup": 200,
    "catalog": 200,
    "due_date": 200,
    "token": 200,
}


@pytest.fixture
def own_redis(tmp_path, settings):
    """This process's cache and broker on a redis-server of the test's own, configured as
    settings.py configures them for REDIS_URL."""
    from onestop.celery import app

    # Read before the settings change: Celery's configuration reads Django's settings live. The
    # result backend stays as it is (Celery caches it per thread; the tasks queued here ignore
    # their results).
    previous = {
        name: app.conf[name] for name in ("broker_url", "broker_transport_options", "task_always_eager")
    }
    server = RedisServer(tmp_path)
    server.start()
    timeout = settings.ONESTOP_REDIS_TIMEOUT
    settings.CACHES = {"default": project_settings.redis_cache(server.url, timeout)}
    settings.CELERY_BROKER_URL = server.url
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = project_settings.redis_broker_options(timeout)
    app.conf.update(
        broker_url=server.url,
        broker_transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        task_always_eager=False,
    )
    forget_broker_connections(app)
    yield server
    server.stop()
    app.conf.update(previous)
    forget_broker_connections(app)


def forget_broker_connections(app) -> None:
    """Celery keeps a connection pool and a producer pool for the broker it first used; drop both
    (what it does itself in a forked child)."""
    app._after_fork()


def pending_deliveries():
    return Notification.objects.filter(status=NotificationStatus.PENDING).exclude(channel="in_app")


def test_the_desk_keeps_working_when_redis_dies_mid_test(own_redis, staff, as_user, procedure, capsys):
    started = time.perf_counter()
    assert walk_the_desk(staff, as_user) == DESK_OK  # Redis up
    up = time.perf_counter() - started
    assert Client().get("/healthz").status_code == 200

    own_redis.stop()
    started = time.perf_counter()
    statuses = walk_the_desk(staff, as_user)
    elapsed = time.perf_counter() - started
    assert statuses == DESK_OK
    assert Client().get("/healthz").status_code == 503
    assert pending_deliveries().count() >= 2  # the e-mail and SMS of the registration while down
    with capsys.disabled():
        print(f"\n[redis outage] the desk's 8 requests: {up * 1000:.0f} ms up, {elapsed * 1000:.0f} ms down")


@pytest.mark.postgres
def test_what_could_not_be_queued_is_delivered_once_redis_is_back(own_redis, staff, as_user, procedure):
    if connection.vendor != "postgresql":
        pytest.skip(
            "The worker process must share the test database: needs DATABASE_URL on PostgreSQL "
            "(the SQLite test database is in memory, invisible to another process)"
        )
    from onestop.celery import app

    own_redis.stop()
    assert walk_the_desk(staff, as_user) == DESK_OK
    waiting = set(pending_deliveries().values_list("id", flat=True))
    assert waiting, "the registration made no e-mail or SMS to deliver"

    own_redis.start()
    forget_broker_connections(app)  # the pooled connections died with the old server
    # deliver_pending re-queues rows overdue by PENDING_GRACE (rows queued a moment ago may still
    # be in flight); move these back in time instead of waiting for it.
    earliest = Notification.objects.get(pk=min(waiting)).created_at
    pending_deliveries().update(next_attempt_at=earliest - PENDING_GRACE * 2)
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    database_url = f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    with running_worker(
        default_queue=True,
        extra_env={
            "DATABASE_URL": database_url,
            "REDIS_URL": own_redis.url,
            "CELERY_BROKER_URL": own_redis.url,
            "CELERY_RESULT_BACKEND": own_redis.url,
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        },
    ) as queue:
        deliver_pending.apply_async(queue=queue)  # what beat does every five minutes
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and pending_deliveries().filter(id__in=waiting).exists():
            time.sleep(0.5)
    sent = Notification.objects.filter(id__in=waiting, status=NotificationStatus.SENT)
    assert sent.count() == len(waiting)
