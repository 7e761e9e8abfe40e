"""The fixed-window rate limit (api.throttling): limit, window, Retry-After, one counter per window."""

import os

import pytest
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.test import RequestFactory

from api import throttling
from api.throttling import LOCAL_COUNTERS, PublicThrottle, count_in_window, parse_rate


@pytest.fixture
def rate(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"public": "3/minute"}}
    cache.clear()
    LOCAL_COUNTERS.clear()


def _calls(at: float, address: str = "10.0.0.1", n: int = 1) -> list[tuple[bool, float | None]]:
    out = []
    for _ in range(n):
        throttle = PublicThrottle()
        throttle.timer = lambda: at
        request = RequestFactory().get("/api/v1/procedures/", REMOTE_ADDR=address)
        out.append((throttle.allow_request(request, None), throttle.wait()))
    return out


def test_parse_rate():
    assert parse_rate("60/minute") == (60, 60)
    assert parse_rate("5/s") == (5, 1)
    assert parse_rate("100/hour") == (100, 3600)
    assert parse_rate("1000/day") == (1000, 86400)
    assert parse_rate(None) is None


def test_the_limit_holds_within_a_window_and_says_when_it_ends(rate):
    start = 1_800_000_000.0  # a multiple of 60: a window starts here
    results = _calls(start + 10, n=3) + _calls(start + 45, n=2)
    assert [allowed for allowed, _ in results] == [True, True, True, False, False]
    assert results[3][1] == pytest.approx(15)  # Retry-After: the window ends at start + 60
    assert _calls(start + 45, address="10.0.0.2") == [(True, None)]  # another address: its own count
    assert _calls(start + 60) == [(True, None)]  # the next window starts from zero


def test_one_integer_counter_per_window_that_expires_with_it(rate, monkeypatch):
    calls = []
    local = LocMemCache("test-throttle", {})

    class Recording:
        def __getattr__(self, name):
            def call(*args, **kwargs):
                calls.append((name, args))
                return getattr(local, name)(*args, **kwargs)

            return call

    monkeypatch.setattr(throttling, "shared_cache", Recording)
    _calls(1_800_000_010.0, n=3)
    key = "throttle_public_10.0.0.1_30000000"
    # The window's first request: incr (missing), add with the TTL; then one incr per request.
    assert calls == [("incr", (key,)), ("add", (key, 1, 61)), ("incr", (key,)), ("incr", (key,))]
    assert local.get(key) == 3  # a number, not a list of timestamps


@pytest.mark.redis
def test_on_redis_a_request_is_one_command_and_the_counter_expires_with_its_window(monkeypatch):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL")
    redis_cache = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": f"throttle-test-{os.getpid()}"})
    client = redis_cache._cache.get_client(None, write=True)
    commands = []
    real_execute = client.execute_command

    def execute_command(*args, **kwargs):
        commands.append(args[0])
        return real_execute(*args, **kwargs)

    monkeypatch.setattr(client, "execute_command", execute_command)
    monkeypatch.setattr(redis_cache._cache, "get_client", lambda *a, **k: client)
    key = f"window-{os.getpid()}"
    full = redis_cache.make_and_validate_key(key)
    try:
        assert count_in_window(redis_cache, key, 61) == 1  # may load the script first
        assert 60 <= client.ttl(full) <= 61  # the window's first request set the expiry
        client.expire(full, 30)
        commands.clear()
        assert [count_in_window(redis_cache, key, 61) for _ in range(2)] == [2, 3]
        assert commands == ["EVALSHA", "EVALSHA"]  # one round trip each
        assert 28 <= client.ttl(full) <= 30  # set once: a busy client does not keep it alive
        assert redis_cache.get(key) == 3
    finally:
        redis_cache.delete(key)


def test_the_api_answers_429_with_retry_after(rate, client, db):
    codes = [client.get("/api/v1/procedures/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = client.get("/api/v1/procedures/")
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["error"]["code"] == "throttled"


def test_no_rate_means_no_limit(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"public": None}}
    assert all(allowed for allowed, _ in _calls(1_800_000_000.0, n=10))


def test_the_counter_falls_back_to_this_process_when_the_cache_fails(rate, monkeypatch):
    monkeypatch.setattr(throttling, "count_in_window", _fail_shared(throttling.count_in_window))
    results = _calls(1_800_000_000.0, n=4)
    assert [allowed for allowed, _ in results] == [True, True, True, False]


def _fail_shared(real):
    def count(cache_, key, ttl):
        if cache_ is not LOCAL_COUNTERS:
            raise OSError("connection refused")
        return real(cache_, key, ttl)

    return count
