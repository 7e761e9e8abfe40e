"""Rate limits per client address for the endpoints anyone can call (the cache holds the counters:
Redis in production, so every web process shares them).

A fixed-window counter: the window is ``now // duration``, its counter a cache key that expires
with the window; a request is one command to Redis (a script: INCR, and EXPIRE on the window's
first request). DRF's
``SimpleRateThrottle`` instead reads, rewrites and stores the list of every request's timestamp
in the window on each request, which at high rates halved a trivial view's throughput. The price
of a fixed window: a client can make up to twice the limit across the boundary of two windows;
the limit stays a limit on sustained rates.

While the cache is unreachable the counters are kept in this process's memory (a warning is
logged once, see ``core.outage``): a limit then holds per process instead of for the whole site,
and login and the citizen pages keep working.
"""

from __future__ import annotations

import time
from weakref import WeakKeyDictionary

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from core.outage import CACHE_ERRORS, cache_breaker

# Per process; used only while the shared cache is down.
LOCAL_COUNTERS = LocMemCache("onestop-throttle-fallback", {"OPTIONS": {"MAX_ENTRIES": 10_000}})

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str | None) -> tuple[int, int] | None:
    """``"60/minute"`` → (60, 60); None → no limit (DRF's rate syntax)."""
    if rate is None:
        return None
    num, period = rate.split("/")
    return int(num), PERIODS[period[0]]


def shared_cache():
    return caches["default"]


# One Redis client per cache backend: Django's ``get_client`` builds a new ``redis.Redis`` (with
# its table of about 170 response callbacks) on every call, which cost more than the round trip.
_CLIENTS: WeakKeyDictionary = WeakKeyDictionary()


def redis_client(cache: RedisCache):
    backend = cache._cache
    client = _CLIENTS.get(backend)
    if client is None:
        client = _CLIENTS[backend] = backend.get_client(write=True)
    return client


# Atomic in Redis, so a counter never lives without its expiry; the TTL is set once, on the
# window's first request, so the key outlives its window by a second at most.
_COUNT_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""
_SCRIPTS: WeakKeyDictionary = WeakKeyDictionary()


def _count_script(cache: RedisCache):
    backend = cache._cache
    script = _SCRIPTS.get(backend)
    if script is None:
        script = _SCRIPTS[backend] = redis_client(cache).register_script(_COUNT_SCRIPT)
    return script


def count_in_window(cache, key: str, ttl: int) -> int:
    """Add one to the window's counter and return it.

    On Redis: one EVALSHA of ``_COUNT_SCRIPT`` (Django's ``RedisCache.incr`` asks EXISTS first, two
    round trips; an INCR and EXPIRE pipeline is one round trip but twice the commands to pack and
    parse, about a fifth of the lookup's CPU). Elsewhere: ``incr``, and ``add`` with the TTL on the
    window's first request.
    """
    if isinstance(cache, RedisCache):
        return int(_count_script(cache)(keys=[cache.make_and_validate_key(key)], args=[ttl]))
    try:
        return cache.incr(key)
    except ValueError:  # no counter yet for this window
        if cache.add(key, 1, ttl):
            return 1
        return cache.incr(key)  # another request created it meanwhile


class ClientAddressThrottle(BaseThrottle):
    """Counts requests per client address under a named scope (``public``, ``auth``)."""

    scope = ""
    cache_format = "throttle_%(scope)s_%(ident)s_%(window)s"
    timer = time.time

    def __init__(self):
        self.wait_seconds: float | None = None

    def get_rate(self) -> str | None:
        # Read at request time (not class definition) so a changed setting applies at once.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view) -> bool:
        rate = parse_rate(self.get_rate())
        if rate is None:
            return True
        limit, duration = rate
        now = self.timer()
        window = int(now // duration)
        key = self.cache_format % {"scope": self.scope, "ident": self.get_ident(request), "window": window}
        ttl = duration + 1  # outlives the window by a second, never by a whole window
        count = self._count(key, ttl)
        if count <= limit:
            return True
        self.wait_seconds = (window + 1) * duration - now
        return False

    def _count(self, key: str, ttl: int) -> int:
        if cache_breaker.available():
            try:
                count = count_in_window(shared_cache(), key, ttl)
            except CACHE_ERRORS as exc:
                cache_breaker.failed(exc)
            else:
                cache_breaker.succeeded()
                return count
        return count_in_window(LOCAL_COUNTERS, key, ttl)

    def wait(self) -> float | None:
        return self.wait_seconds


class PublicThrottle(ClientAddressThrottle):
    scope = "public"


class AuthThrottle(ClientAddressThrottle):
    scope = "auth"
