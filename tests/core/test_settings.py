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
        ("abc", False, "SECRET_KEY"),
        ("x" * 49 + "y", False, "SECRET_KEY"),  # long enough, but two distinct characters
        ("a-real-secret-value-of-some-length-" * 2, True, "DEBUG"),
    ],
)
def test_production_refuses_unsafe_settings(secret_key, debug, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        check_production_settings(is_production=True, secret_key=secret_key, debug=debug)


def test_production_accepts_safe_settings_and_development_accepts_defaults():
    check_production_settings(is_production=True, secret_key="s3cret-" * 8, debug=False)
    check_production_settings(is_production=False, secret_key=DEFAULT_SECRET_KEY, debug=True)


SETTINGS_VARS = {
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "ONESTOP_ENV",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "ONESTOP_BEHIND_TLS_PROXY",
    # Set in this process by the browser fixture (tests/browser.py); check --deploy refuses it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}
A_PRODUCTION_KEY = "Qm7-vR2xT9pLk4sW8nB1cZ6yH3jF5dG0aE-uI7oP2qS4tV6wX8zY1bN3mK5lJ9hG"


def _import_settings(*code, **extra_env):
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARS}
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "-c", "; ".join(["import django", "django.setup()", *code])],
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
    result = _import_settings(ONESTOP_ENV="production", SECRET_KEY=A_PRODUCTION_KEY, DEBUG="true")
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_a_production_process_starts_with_safe_settings():
    result = _import_settings(ONESTOP_ENV="production", SECRET_KEY=A_PRODUCTION_KEY, DEBUG="false")
    assert result.returncode == 0, result.stderr


def test_a_production_process_does_not_start_with_a_short_key():
    result = _import_settings(ONESTOP_ENV="production", SECRET_KEY="abc")
    assert result.returncode != 0
    assert "at least 50" in result.stderr


def test_production_settings_pass_check_deploy_without_any_warning():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k not in SETTINGS_VARS}
        | {"ONESTOP_ENV": "production", "SECRET_KEY": A_PRODUCTION_KEY, "ALLOWED_HOSTS": "motcua.example.vn"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_default_hosts_do_not_include_the_test_client_host():
    result = _import_settings("from django.conf import settings", "print(settings.ALLOWED_HOSTS)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['127.0.0.1', 'localhost']"


def test_the_forwarded_proto_header_is_trusted_only_when_asked():
    show = ("from django.conf import settings", "print(settings.SECURE_PROXY_SSL_HEADER)")
    assert _import_settings(*show).stdout.strip() == "None"
    production = {"ONESTOP_ENV": "production", "SECRET_KEY": A_PRODUCTION_KEY}
    assert _import_settings(*show, **production).stdout.strip() == "None"
    trusted = _import_settings(*show, **production, ONESTOP_BEHIND_TLS_PROXY="true")
    assert trusted.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"


@pytest.mark.django_db
def test_https_redirect_spares_the_health_check_and_honours_a_trusted_proxy(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/api/v1/procedures/").status_code == 301
    assert client.get("/healthz").status_code == 200
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get("/api/v1/procedures/", HTTP_X_FORWARDED_PROTO="https").status_code == 200


def test_time_zone_and_languages(settings):
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.LANGUAGE_CODE == "vi"
    assert "en" in dict(settings.LANGUAGES)
