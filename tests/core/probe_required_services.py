"""Not collected by the suite (no test_ prefix): run by test_required_services.py in a subprocess."""

import pytest


@pytest.mark.redis
def test_needs_redis():
    pytest.skip("pretending Redis is not configured")


def test_needs_nothing():
    pytest.skip("an ordinary skip")
