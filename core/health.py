"""Reachability checks for the database and the Celery broker, used by ``/healthz``."""

from django.conf import settings
from django.db import connection
from kombu import Connection


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down"; the message says why
        return False, f"{type(exc).__name__}: {exc}"
    return True, connection.vendor


def check_broker(url: str | None = None, transport_options: dict | None = None) -> tuple[bool, str]:
    url = url or settings.CELERY_BROKER_URL
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS if transport_options is None else transport_options
    try:
        with Connection(url, transport_options=options, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            transport = conn.transport_cls
    except Exception as exc:  # noqa: BLE001
        return False, f"{type(exc).__name__}: {exc}"
    return True, str(transport)
