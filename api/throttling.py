"""Rate limits per client address for the endpoints anyone can call (the cache holds the counters:
Redis in production, so every web process shares them)."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class ClientAddressThrottle(SimpleRateThrottle):
    """Counts requests per client address under a named scope (``public``, ``auth``)."""

    def get_rate(self):
        # Read at request time (not class definition) so a changed setting applies at once.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PublicThrottle(ClientAddressThrottle):
    scope = "public"


class AuthThrottle(ClientAddressThrottle):
    scope = "auth"
