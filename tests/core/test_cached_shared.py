"""``core.cached.shared``: whether a worker sees what the web caches (no database)."""

from django.test import override_settings

from core.cached import shared


def test_a_per_process_cache_is_not_shared_and_redis_is():
    for backend, expected in (
        ("django.core.cache.backends.locmem.LocMemCache", False),
        ("django.core.cache.backends.dummy.DummyCache", False),
        ("django.core.cache.backends.redis.RedisCache", True),
    ):
        with override_settings(CACHES={"default": {"BACKEND": backend}}):
            assert shared() is expected, backend
