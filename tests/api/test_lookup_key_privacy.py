"""The citizen's lookup key stays out of URLs and logs (issue 10, item 11): it may travel in the
``X-Lookup-Key`` header, every log handler masks ``key=…``, gunicorn's access log too, and the
default SMS backend logs a masked phone number."""

import datetime as dt
import io
import logging
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from notifications.sms import LoggingSMSBackend
from workflows.models import DossierRating

from .conftest import registration

ROOT = Path(__file__).resolve().parents[2]
KEY = "ABCDEFGHJK"


@pytest.fixture
def receipt(db, staff, as_user, procedure):
    return (
        as_user(staff[(0, "reception")])
        .post("/api/v1/dossiers/", registration("1.001234"), format="json")
        .json()
    )


def _returned(staff, as_user, code):
    for user in (staff[(0, "specialist")], staff[(1, "specialist")], staff[(0, "head")]):
        client = as_user(user)
        task = client.get(f"/api/v1/tasks/?dossier={code}").json()["results"][0]
        assert (
            client.post(f"/api/v1/tasks/{task['id']}/complete/", {"decision": "approve"}).status_code == 200
        )
    assert as_user(staff[(0, "reception")]).post(f"/api/v1/dossiers/{code}/return-result/").status_code == 200


def test_the_lookup_takes_the_key_from_the_header(receipt):
    url = f"/api/v1/public/dossiers/{receipt['code']}/"
    found = APIClient().get(url, HTTP_X_LOOKUP_KEY=receipt["lookup_key"])
    assert found.status_code == 200 and found.json()["code"] == receipt["code"]
    # The header wins over the query string: a right header and a wrong query finds it...
    assert (
        APIClient().get(url, {"key": "AAAAAAAAAA"}, HTTP_X_LOOKUP_KEY=receipt["lookup_key"]).status_code
        == 200
    )
    # ...and a wrong header is a 404 even with the right key in the query.
    assert (
        APIClient().get(url, {"key": receipt["lookup_key"]}, HTTP_X_LOOKUP_KEY="AAAAAAAAAA").status_code
        == 404
    )
    for missing in (APIClient().get(url), APIClient().get(url, HTTP_X_LOOKUP_KEY="  ")):
        assert missing.status_code == 400 and "key" in missing.json()["error"]["fields"]


def test_the_rating_takes_the_key_from_the_header_instead_of_the_body(receipt, staff, as_user):
    _returned(staff, as_user, receipt["code"])
    url = f"/api/v1/public/dossiers/{receipt['code']}/rating/"
    without = APIClient().post(url, {"score": 5}, format="json")
    assert without.status_code == 400 and "key" in without.json()["error"]["fields"]
    rated = APIClient().post(url, {"score": 4}, format="json", HTTP_X_LOOKUP_KEY=receipt["lookup_key"])
    assert rated.status_code == 201, rated.json()
    assert DossierRating.objects.get().score == 4


def test_the_schema_documents_the_header_on_both_public_operations():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for path, method in (
        ("/api/v1/public/dossiers/{code}/", "get"),
        ("/api/v1/public/dossiers/{code}/rating/", "post"),
    ):
        parameters = {(p["in"], p["name"]): p for p in paths[path][method]["parameters"]}
        assert ("header", "X-Lookup-Key") in parameters, path
    query_key = {p["name"]: p for p in paths["/api/v1/public/dossiers/{code}/"]["get"]["parameters"]}["key"]
    assert not query_key.get("required", False)


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        (f'"GET /api/v1/public/dossiers/000.00.31.H57-260302-0001/?key={KEY} HTTP/1.1" 200 812', KEY),
        (f"GET /api/v1/public/dossiers/X/?page=2&key={KEY}&x=1", KEY),
        (f"GET /api/v1/public/dossiers/X/?KEY={KEY.lower()}", KEY.lower()),
        (f"GET /x/?lookup_key={KEY}", KEY),
        (f'body {{"key": "{KEY}", "score": 5}}', KEY),
        (f"headers {{'X-Lookup-Key': '{KEY}'}}", KEY),
    ],
)
def test_mask_secrets_hides_the_key_and_keeps_the_rest(line, secret):
    from core.logmask import mask_secrets

    masked = mask_secrets(line)
    assert secret not in masked and "***" in masked
    assert masked.split("***")[0] == line.split(secret)[0]  # what precedes the key is kept as is
    assert mask_secrets(masked) == masked


def _handler(name: str) -> logging.Handler:
    return logging._handlers[name]  # the handlers settings.LOGGING configured, by name


@pytest.mark.parametrize(
    ("handler", "logger"), [("django.server", "django.server"), ("console", "django.request")]
)
def test_the_configured_log_handlers_mask_the_key(handler, logger):
    from core.logmask import MaskSecretsFilter

    target = _handler(handler)
    assert any(isinstance(f, MaskSecretsFilter) for f in target.filters)
    buffer = io.StringIO()
    previous = target.setStream(buffer)
    try:
        logging.getLogger(logger).warning(
            '"%s" %s %s', f"GET /api/v1/public/dossiers/X/?key={KEY} HTTP/1.1", 404, 9
        )
    finally:
        target.setStream(previous)
    assert "key=***" in buffer.getvalue() and KEY not in buffer.getvalue()


@pytest.mark.parametrize(
    "logger",
    ["django.request", "django.server", "django.db.backends", "notifications.sms", "celery.app.trace", ""],
)
def test_every_handler_a_record_can_reach_masks_the_key(logger):
    """Django's own default handlers included (its DEBUG console, the admins' e-mail)."""
    from core.logmask import MaskSecretsFilter

    reached, current = [], logging.getLogger(logger)
    while current is not None:
        reached += [
            h
            for h in current.handlers
            if not type(h).__module__.startswith("_pytest") and not isinstance(h, logging.NullHandler)
        ]
        current = current.parent if current.propagate else None
    assert reached, logger
    unmasked = [h for h in reached if not any(isinstance(f, MaskSecretsFilter) for f in h.filters)]
    assert not unmasked, unmasked


def test_gunicorns_access_log_masks_the_key_in_the_request_line_and_the_referrer(tmp_path):
    from gunicorn.config import Config

    cfg = Config()
    cfg.set("logger_class", runpy.run_path(str(ROOT / "gunicorn.conf.py"))["logger_class"])
    cfg.set("accesslog", str(tmp_path / "access.log"))
    log = cfg.logger_class(cfg)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/api/v1/public/dossiers/X/?key={KEY}",
        "PATH_INFO": "/api/v1/public/dossiers/X/",
        "QUERY_STRING": f"key={KEY}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "198.51.100.7",
        "HTTP_REFERER": f"https://cong.example.vn/tra-cuu?ma=X&key={KEY}",
    }
    log.access(
        SimpleNamespace(status="200 OK", sent=812, headers=[]),
        SimpleNamespace(headers=[]),
        environ,
        dt.timedelta(milliseconds=7),
    )
    for handler in log.access_log.handlers:
        handler.flush()
    written = (tmp_path / "access.log").read_text()
    assert "GET /api/v1/public/dossiers/X/?key=*** HTTP/1.1" in written and "198.51.100.7" in written
    assert KEY not in written


def test_the_logging_sms_backend_masks_the_phone(caplog):
    with caplog.at_level(logging.INFO, logger="notifications.sms"):
        LoggingSMSBackend().send("0912345678", "Ho so X da co ket qua.")
    assert "09******78" in caplog.text and "0912345678" not in caplog.text
    assert "Ho so X da co ket qua." in caplog.text
