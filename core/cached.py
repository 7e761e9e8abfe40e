"""A read-through Django cache that degrades: while the cache (Redis) is unreachable the value is
computed on every call (the ``core.outage`` breaker keeps the timeouts to one per retry period)."""

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from .outage import CACHE_ERRORS, cache_breaker

T = TypeVar("T")
_MISSING = object()


def _get(key: str):
    if not cache_breaker.available():
        return _MISSING
    try:
        value = cache.get(key, _MISSING)
    except CACHE_ERRORS as exc:
        cache_breaker.failed(exc)
        return _MISSING
    cache_breaker.succeeded()
    return value


def _set(key: str, value, timeout: float) -> None:
    if not cache_breaker.available():
        return
    try:
        cache.set(key, value, timeout)
    except CACHE_ERRORS as exc:
        cache_breaker.failed(exc)


def cached(key: str, timeout: float, build: Callable[[], T]) -> T:
    """The value cached under ``key``, else ``build()`` stored for ``timeout`` seconds."""
    value = _get(key)
    if value is _MISSING:
        value = build()
        _set(key, value, timeout)
    return value
