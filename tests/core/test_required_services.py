"""Issue 10 #20: with ONESTOP_REQUIRE_SERVICES, a test that needs a listed service fails if it skips."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = "tests/core/probe_required_services.py"


def run_pytest(**env):
    base = {k: v for k, v in os.environ.items() if k not in {"ONESTOP_REQUIRE_SERVICES", "PYTEST_ADDOPTS"}}
    return subprocess.run(
        [sys.executable, "-m", "pytest", PROBE, "-q", "-p", "no:cacheprovider", "-rs"],
        cwd=ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_skips_are_reported_when_nothing_is_required():
    result = run_pytest(REDIS_URL="redis://127.0.0.1:1/0")
    assert result.returncode == 0, result.stdout
    assert "2 skipped" in result.stdout


def test_a_skip_of_a_test_needing_a_required_service_fails_the_run():
    result = run_pytest(ONESTOP_REQUIRE_SERVICES="redis", REDIS_URL="redis://127.0.0.1:1/0")
    assert result.returncode == 1, result.stdout
    assert "skipped although ONESTOP_REQUIRE_SERVICES lists redis" in result.stdout
    assert "1 failed, 1 skipped" in result.stdout  # the ordinary skip stays a skip


def test_a_required_service_that_is_not_configured_stops_the_run():
    result = run_pytest(ONESTOP_REQUIRE_SERVICES="postgres", DATABASE_URL="sqlite:///:memory:")
    assert result.returncode != 0
    assert "DATABASE_URL is not PostgreSQL" in result.stdout + result.stderr
    result = run_pytest(ONESTOP_REQUIRE_SERVICES="redis", REDIS_URL="")
    assert result.returncode != 0
    assert "REDIS_URL is not set" in result.stdout + result.stderr


def test_an_unknown_service_name_is_refused(monkeypatch):
    from conftest import required_services

    monkeypatch.setenv("ONESTOP_REQUIRE_SERVICES", "postgres, redis")
    assert required_services() == {"postgres", "redis"}
    monkeypatch.setenv("ONESTOP_REQUIRE_SERVICES", "postgress")
    with pytest.raises(pytest.UsageError, match=r"unknown \['postgress'\]"):
        required_services()
