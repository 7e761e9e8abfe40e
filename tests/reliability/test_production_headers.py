"""What a browser receives from a production process over HTTPS: HSTS, secure and HTTP-only
cookies, the page CSP, no framing, no MIME sniffing; plain HTTP is redirected to HTTPS (issue 15,
"Security settings"; ``check --deploy`` itself: tests/core/test_settings.py)."""

import json
import os
import subprocess
import sys

from tests.core.test_settings import A_PRODUCTION_KEY, ROOT, SETTINGS_VARS

PROBE = """
import json
from django.conf import settings
from django.test import Client, override_settings
# Only the static files' storage is development's (no collectstatic manifest here).
plain = "django.contrib.staticfiles.storage.StaticFilesStorage"
static = {**settings.STORAGES, "staticfiles": {"BACKEND": plain}}
with override_settings(STORAGES=static):
    https = Client().get("/login/", secure=True)
    http = Client().get("/login/")
cookie = https.cookies["csrftoken"]
print("RESULT " + json.dumps({
    "status": https.status_code,
    "hsts": https.get("Strict-Transport-Security"),
    "csp": https.get("Content-Security-Policy"),
    "frame": https.get("X-Frame-Options"),
    "nosniff": https.get("X-Content-Type-Options"),
    "csrf_cookie_secure": bool(cookie["secure"]),
    "session_cookie": [settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY],
    "http": [http.status_code, http.get("Location")],
}))
"""


def test_a_production_response_over_https_carries_every_security_header():
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARS} | {
        "ONESTOP_ENV": "production",
        "SECRET_KEY": A_PRODUCTION_KEY,
        "ALLOWED_HOSTS": "testserver",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PROBE],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.split("RESULT ", 1)[1])
    from core.csp import PAGES

    assert seen["status"] == 200
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert seen["csp"] == PAGES
    assert (seen["frame"], seen["nosniff"]) == ("DENY", "nosniff")
    assert seen["csrf_cookie_secure"] is True
    assert seen["session_cookie"] == [True, True]
    assert seen["http"] == [301, "https://testserver/login/"]
