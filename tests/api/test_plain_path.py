"""The lookup's plain path (api.plain): the same answers as DRF's dispatch, byte for byte, for the
answer and for every error; DRF's dispatch for every request the plain path does not take."""

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.views import APIView

from api import plain
from api.plain import PlainGetMixin, check_plain_view, is_plain_json_get
from api.public import PublicDossierView
from api.throttling import LOCAL_COUNTERS, ClientAddressThrottle

from .conftest import registration

HEADERS = ("Content-Type", "Allow", "Vary", "Retry-After", "X-Frame-Options", "Content-Language")


@pytest.mark.parametrize(
    "method, accept, query, plain_path",
    [
        ("GET", "", {}, True),
        ("GET", "*/*", {"key": "x"}, True),
        ("GET", "application/json", {}, True),
        ("GET", " application/json ", {}, True),
        ("GET", "application/json; indent=4", {}, False),  # DRF indents: its renderer's option
        ("GET", "text/html", {}, False),  # the browsable API
        ("GET", "text/html,application/xhtml+xml,*/*;q=0.8", {}, False),
        ("GET", "", {"format": "api"}, False),
        ("GET", "", {"format": "json"}, False),
        ("HEAD", "", {}, False),
        ("POST", "", {}, False),
        ("OPTIONS", "", {}, False),
    ],
)
def test_the_plain_path_takes_only_a_get_whose_answer_can_only_be_json(method, accept, query, plain_path):
    assert is_plain_json_get(method, accept, query) is plain_path


def test_a_view_with_authentication_or_permissions_cannot_take_the_plain_path():
    class Authenticated(APIView):
        permission_classes: list = []

    check_plain_view(PublicDossierView)
    with pytest.raises(TypeError):
        check_plain_view(Authenticated)
    with pytest.raises(TypeError):
        type("Checked", (PlainGetMixin, Authenticated), {})


@pytest.fixture
def receipt(staff, as_user, procedure, db):
    return (
        as_user(staff[(0, "reception")])
        .post("/api/v1/dossiers/", registration("1.001234"), format="json")
        .json()
    )


@pytest.fixture
def throttle(settings, monkeypatch):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"public": "2/minute"}}
    # Half way through one window: a minute turning during the test would reset the counts.
    monkeypatch.setattr(ClientAddressThrottle, "timer", staticmethod(lambda: 1_800_000_030.0))
    cache.clear()
    LOCAL_COUNTERS.clear()


def _answers(monkeypatch, path: str, query: dict | None = None, headers: dict | None = None, times: int = 1):
    """``times`` answers through the plain path, then as many through DRF's dispatch (the
    throttle's counters cleared in between, so both see the same counts)."""
    out = []
    for plain_path in (True, False):
        monkeypatch.setattr(plain, "is_plain_json_get", lambda *a, plain_path=plain_path: plain_path)
        cache.clear()
        LOCAL_COUNTERS.clear()
        client = Client(headers=headers or {})
        out.append([client.get(path, query or {}) for _ in range(times)])
    return out


def _same(plain_answers, drf_answers) -> None:
    for plain_answer, drf_answer in zip(plain_answers, drf_answers, strict=True):
        assert plain_answer.status_code == drf_answer.status_code
        assert plain_answer.content == drf_answer.content
        for name in HEADERS:
            assert plain_answer.get(name) == drf_answer.get(name), name
        if plain_answer.status_code == 429:
            assert 1 <= int(plain_answer["Retry-After"]) <= 60


def test_the_answer_is_drfs_byte_for_byte(receipt, monkeypatch):
    path = f"/api/v1/public/dossiers/{receipt['code']}/"
    plain_answers, drf_answers = _answers(monkeypatch, path, {"key": receipt["lookup_key"]})
    assert plain_answers[0].status_code == 200 and plain_answers[0]["Content-Type"] == "application/json"
    assert plain_answers[0]["Allow"] == "GET, HEAD, OPTIONS" and "Accept" in plain_answers[0]["Vary"]
    _same(plain_answers, drf_answers)
    header = _answers(monkeypatch, path, headers={"X-Lookup-Key": receipt["lookup_key"]})
    _same(*header)
    assert header[0][0].content == plain_answers[0].content


@pytest.mark.parametrize(
    "query, headers, status",
    [
        ({"key": "WRONGKEY00"}, {}, 404),
        ({}, {}, 400),  # no key at all
        ({"key": "x" * 65}, {}, 400),  # longer than a key can be
        ({}, {"X-Lookup-Key": "x" * 65}, 400),
        ({"key": ""}, {}, 400),
    ],
)
def test_every_error_is_drfs_byte_for_byte(receipt, monkeypatch, query, headers, status):
    plain_answers, drf_answers = _answers(
        monkeypatch, f"/api/v1/public/dossiers/{receipt['code']}/", query, headers
    )
    assert plain_answers[0].status_code == status
    assert plain_answers[0].json()["error"]["code"]
    _same(plain_answers, drf_answers)


def test_an_unknown_code_is_drfs_404(db, monkeypatch):
    plain_answers, drf_answers = _answers(
        monkeypatch, "/api/v1/public/dossiers/NO-SUCH-CODE/", {"key": "ABCD234567"}
    )
    assert plain_answers[0].status_code == 404
    _same(plain_answers, drf_answers)


def test_the_throttle_counts_and_answers_as_drfs(receipt, throttle, monkeypatch):
    path = f"/api/v1/public/dossiers/{receipt['code']}/"
    plain_answers, drf_answers = _answers(monkeypatch, path, {"key": receipt["lookup_key"]}, times=3)
    assert [answer.status_code for answer in plain_answers] == [200, 200, 429]
    assert plain_answers[2].json()["error"]["code"] == "throttled"
    _same(plain_answers, drf_answers)


def test_wrong_keys_count_against_the_limit_on_the_plain_path(receipt, throttle):
    client = Client()
    path = f"/api/v1/public/dossiers/{receipt['code']}/"
    codes = [client.get(path, {"key": "WRONGKEY00"}).status_code for _ in range(2)]
    assert codes == [404, 404]
    assert client.get(path, {"key": receipt["lookup_key"]}).status_code == 429


def test_other_requests_go_through_drfs_dispatch(receipt):
    path = f"/api/v1/public/dossiers/{receipt['code']}/"
    browsable = Client().get(path, {"key": receipt["lookup_key"]}, headers={"Accept": "text/html"})
    assert browsable.status_code == 200 and browsable["Content-Type"].startswith("text/html")
    indented = Client().get(
        path, {"key": receipt["lookup_key"]}, headers={"Accept": "application/json; indent=2"}
    )
    assert indented.status_code == 200 and b'\n  "code"' in indented.content
    assert Client().post(path, {"key": receipt["lookup_key"]}).status_code == 405


def test_iso_in_is_iso_in_the_zone_given_once():
    import datetime as dt
    import zoneinfo

    from django.utils import timezone

    from api.rows import iso, iso_in

    moment = dt.datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=dt.UTC)
    assert iso_in(moment, timezone.get_current_timezone()) == iso(moment)
    assert iso_in(moment, zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")) == "2026-01-02T10:04:05.000678+07:00"
    assert iso_in(moment, dt.UTC) == "2026-01-02T03:04:05.000678Z"
    assert iso_in(None, dt.UTC) is None
    with pytest.raises(ValueError):
        iso_in(moment.replace(tzinfo=None), dt.UTC)
