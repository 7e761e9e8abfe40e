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


def peek(key: str, default=None):
    """The value cached under ``key``, or ``default`` (also while the cache is unreachable)."""
    value = _get(key)
    return default if value is _MISSING else value


def store(key: str, value, timeout: float) -> None:
    """Cache ``value`` under ``key`` for ``timeout`` seconds (nothing while the cache is unreachable)."""
    _set(key, value, timeout)


def claim(key: str, timeout: float) -> bool:
    """Whether this caller set ``key`` (it was absent): a lock that lapses after ``timeout`` seconds.
    False while the cache is unreachable: nobody can wait for a result it could not keep."""
    if not cache_breaker.available():
        return False
    try:
        return bool(cache.add(key, 1, timeout))
    except CACHE_ERRORS as exc:
        cache_breaker.failed(exc)
        return False


def shared() -> bool:
    """Whether other processes (a Celery worker) see what this one caches: not with a per-process
    cache (``LocMemCache``, the embedded default without Redis) or none (``DummyCache``)."""
    from django.conf import settings

    backend = settings.CACHES["default"]["BACKEND"]
    return not backend.endswith((".LocMemCache", ".DummyCache"))


def cached(key: str, timeout: float, build: Callable[[], T]) -> T:
    """The value cached under ``key``, else ``build()`` stored for ``timeout`` seconds."""
    value = _get(key)
    if value is _MISSING:
        value = build()
        _set(key, value, timeout)
    return value
