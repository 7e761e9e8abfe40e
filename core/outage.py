"""What a process does while Redis (the cache, the Celery broker) is unreachable.

The desk must keep working without Redis: the calendar keeps its in-process copy, rate limits
count per process, tasks are not queued (their outbox rows stay pending; ``deliver_pending``
queues them again once the broker is back). A ``Breaker`` remembers a failure for
``ONESTOP_REDIS_RETRY_SECONDS``, so only one call per process and period pays a connection
timeout, and logs one warning when it opens.
"""

from __future__ import annotations

import logging
import threading
import time

import redis.exceptions
from django.conf import settings
from kombu.exceptions import KombuError

logger = logging.getLogger(__name__)

# What Django's Redis cache raises when Redis is unreachable or too slow.
CACHE_ERRORS = (redis.exceptions.RedisError, OSError)
# What publishing a task raises when the broker is unreachable.
BROKER_ERRORS = (KombuError, redis.exceptions.RedisError, OSError)


class Breaker:
    """Open (skip the service) for a while after a failure; closed again after that period."""

    def __init__(self, name: str, consequence: str):
        self.name = name
        self.consequence = consequence
        self._open_until = 0.0
        self._lock = threading.Lock()

    def available(self) -> bool:
        return time.monotonic() >= self._open_until

    def failed(self, exc: BaseException) -> None:
        seconds = settings.ONESTOP_REDIS_RETRY_SECONDS
        with self._lock:
            was_open = self._open_until > 0.0
            self._open_until = time.monotonic() + seconds
        if not was_open:
            logger.warning(
                "%s unreachable (%s: %s): %s; trying again every %ss.",
                self.name,
                type(exc).__name__,
                exc,
                self.consequence,
                seconds,
            )

    def succeeded(self) -> None:
        if self._open_until:
            with self._lock:
                self._open_until = 0.0
            logger.warning("%s reachable again.", self.name)

    def reset(self) -> None:
        """Forget any failure (tests)."""
        self._open_until = 0.0


cache_breaker = Breaker(
    "The cache (Redis)",
    "rate limits count per process and the calendar uses this process's copy",
)
broker_breaker = Breaker(
    "The Celery broker",
    "tasks are not queued; their notifications stay pending and deliver_pending queues them later",
)
