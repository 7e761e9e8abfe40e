"""Rate limits per client address for the endpoints anyone can call (the cache holds the counters:
Redis in production, so every web process shares them).

While the cache is unreachable the counters are kept in this process's memory (a warning is
logged once, see ``core.outage``): a limit then holds per process instead of for the whole site,
and login and the citizen pages keep working.
"""

from django.core.cache.backends.locmem import LocMemCache
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from core.outage import CACHE_ERRORS, cache_breaker

# Per process; used only while the shared cache is down.
LOCAL_COUNTERS = LocMemCache("onestop-throttle-fallback", {"OPTIONS": {"MAX_ENTRIES": 10_000}})


class ClientAddressThrottle(SimpleRateThrottle):
    """Counts requests per client address under a named scope (``public``, ``auth``)."""

    def get_rate(self):
        # Read at request time (not class definition) so a changed setting applies at once.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_request(self, request, view):
        if cache_breaker.available():
            try:
                allowed = super().allow_request(request, view)
            except CACHE_ERRORS as exc:
                cache_breaker.failed(exc)
            else:
                cache_breaker.succeeded()
                return allowed
        self.cache = LOCAL_COUNTERS
        return super().allow_request(request, view)


class PublicThrottle(ClientAddressThrottle):
    scope = "public"


class AuthThrottle(ClientAddressThrottle):
    scope = "auth"
