import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from onestop.settings import DEFAULT_SECRET_KEY, check_production_settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("secret_key", "debug", "message"),
    [
        (DEFAULT_SECRET_KEY, False, "SECRET_KEY"),
        ("", False, "SECRET_KEY"),
        ("a-real-secret-value-of-some-length", True, "DEBUG"),
    ],
)
def test_production_refuses_unsafe_settings(secret_key, debug, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        check_production_settings(is_production=True, secret_key=secret_key, debug=debug)


def test_production_accepts_safe_settings_and_development_accepts_defaults():
    check_production_settings(is_production=True, secret_key="s3cret-" * 6, debug=False)
    check_production_settings(is_production=False, secret_key=DEFAULT_SECRET_KEY, debug=True)


def _import_settings(**extra_env):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env | {"DJANGO_SETTINGS_MODULE": "onestop.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_production_process_does_not_start_with_the_default_key():
    result = _import_settings(ONESTOP_ENV="production")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_a_production_process_does_not_start_with_debug_on():
    result = _import_settings(ONESTOP_ENV="production", SECRET_KEY="x" * 50, DEBUG="true")
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_a_production_process_starts_with_safe_settings():
    result = _import_settings(ONESTOP_ENV="production", SECRET_KEY="x" * 50, DEBUG="false")
    assert result.returncode == 0, result.stderr


def test_time_zone_and_languages(settings):
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.LANGUAGE_CODE == "vi"
    assert "en" in dict(settings.LANGUAGES)
