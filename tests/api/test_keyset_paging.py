"""Keyset (cursor) paging of the dossier list and the inbox, and the bound on ``?page=``."""

import datetime as dt
from urllib.parse import parse_qs, urlparse

import pytest

from api import pagination
from workflows import selectors, services

from .conftest import APPLICANT

TZ = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def dossiers(procedure, staff):
    """Seven dossiers; three share one receipt time, so the id breaks the tie."""
    reception = staff[(0, "reception")]
    times = [dt.datetime(2026, 3, 2, 8, m, tzinfo=TZ) for m in (0, 5, 5, 5, 10, 20, 30)]
    return [
        services.dossier_register(
            procedure=procedure,
            applicant={**APPLICANT, "name": f"Người nộp {i}"},
            channel="online",
            received_at=at,
            by=reception,
        )[0]
        for i, at in enumerate(times)
    ]


def _walk(client, url: str, link: str = "next") -> list[list[str]]:
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        pages.append([row["code"] if "code" in row else row["dossier"] for row in body["results"]])
        url = body[link]
    return pages


def _cursor_url(url: str) -> str:
    query = parse_qs(urlparse(url).query)
    assert "cursor" in query and "page" not in query
    return url


def test_cursor_pages_walk_the_whole_list_forwards_and_back(staff, as_user, dossiers, monkeypatch):
    monkeypatch.setattr(pagination, "MAX_OFFSET_ROWS", 2)  # only page 1 by number; then cursors
    client = as_user(staff[(0, "reception")])
    everything = [row["code"] for row in client.get("/api/v1/dossiers/?page_size=200").json()["results"]]
    assert len(everything) == 7
    ordered = sorted(dossiers, key=lambda d: (d.received_at, d.pk), reverse=True)
    assert everything == [d.code for d in ordered]

    first = client.get("/api/v1/dossiers/?page_size=2").json()
    assert first["count"] == 7 and first["previous"] is None
    forwards = _walk(client, _cursor_url(first["next"]))
    assert [first["results"][0]["code"], first["results"][1]["code"]] + sum(forwards, []) == everything
    assert [len(page) for page in forwards] == [2, 2, 1]

    last = client.get(_walk_last(client, first["next"])).json()
    assert last["next"] is None and last["count"] == 7
    backwards = _walk(client, last["previous"], link="previous")
    assert sum(reversed(backwards), []) == everything[:-1]  # every row before the last page's


def _walk_last(client, url: str) -> str:
    while True:
        body = client.get(url).json()
        if body["next"] is None:
            return url
        url = body["next"]


def test_a_deep_page_number_is_refused_with_the_error_shape(staff, as_user, dossiers, monkeypatch):
    monkeypatch.setattr(pagination, "MAX_OFFSET_ROWS", 4)
    client = as_user(staff[(0, "reception")])
    assert client.get("/api/v1/dossiers/?page_size=2&page=2").status_code == 200
    response = client.get("/api/v1/dossiers/?page_size=2&page=3")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and "cursor" in error["message"] and "page" in error["fields"]
    # Page 2 is the deepest by number: its next link is a cursor that goes on.
    body = client.get("/api/v1/dossiers/?page_size=2&page=2").json()
    assert len(client.get(_cursor_url(body["next"])).json()["results"]) == 2


@pytest.mark.parametrize("cursor", ["nonsense", "e30", "eyJrIjoiMjAyNiIsImkiOiJ4In0"])
def test_a_bad_cursor_is_a_400(staff, as_user, dossiers, cursor):
    response = as_user(staff[(0, "reception")]).get(f"/api/v1/dossiers/?cursor={cursor}")
    assert response.status_code == 400
    assert response.json()["error"]["fields"].keys() == {"cursor"}


def test_the_inbox_pages_by_cursor_in_due_order(staff, as_user, dossiers, monkeypatch):
    monkeypatch.setattr(pagination, "MAX_OFFSET_ROWS", 2)
    client = as_user(staff[(0, "specialist")])
    everything = [row["id"] for row in client.get("/api/v1/tasks/?page_size=200").json()["results"]]
    assert len(everything) == 7
    first = client.get("/api/v1/tasks/?page_size=2").json()
    ids = [row["id"] for row in first["results"]]
    url = _cursor_url(first["next"])
    while url:
        body = client.get(url).json()
        ids += [row["id"] for row in body["results"]]
        url = body["next"]
    assert ids == everything


def test_a_narrow_search_is_sorted_from_its_matches_and_a_broad_one_by_the_date_index(
    staff, as_user, dossiers, monkeypatch
):
    supervisor = staff["supervisor"]
    code = dossiers[3].code
    assert selectors.search_is_narrow(code)
    narrow = selectors.dossier_list(user=supervisor, search="Người nộp")
    assert not isinstance(narrow.query.order_by[0], str)  # an expression: no index walk by date
    assert list(selectors.dossier_list(user=supervisor, search=code)) == [dossiers[3]]
    assert list(selectors.dossier_list(user=supervisor, search="nộp 2")) == [dossiers[2]]
    monkeypatch.setattr(selectors, "NAME_PROBE_ROWS", 3)  # "Người nộp" is now a broad term
    assert not selectors.search_is_narrow("Người nộp")
    broad = selectors.dossier_list(user=supervisor, search="Người nộp")
    assert broad.query.order_by == ("-listed_at", "-id")
    assert list(broad) == list(narrow) and len(narrow) == 7


def test_a_narrow_search_pages_by_cursor_too(staff, as_user, dossiers, monkeypatch):
    monkeypatch.setattr(pagination, "MAX_OFFSET_ROWS", 2)
    client = as_user(staff["supervisor"])
    url = "/api/v1/dossiers/?search=Ng%C6%B0%E1%BB%9Di&page_size=3"
    everything = [row["code"] for row in client.get(url.replace("3", "200")).json()["results"]]
    pages = _walk(client, url)
    assert sum(pages, []) == everything and len(everything) == 7
    last = client.get(_walk_last(client, url)).json()
    assert sum(reversed(_walk(client, last["previous"], link="previous")), []) == everything[:6]


def test_the_staff_list_shows_at_most_the_deepest_page_allowed_by_number(monkeypatch):
    from staffui.views.common import bounded_page_number

    monkeypatch.setattr("staffui.views.common.MAX_OFFSET_ROWS", 100)
    assert bounded_page_number("3", 25) == 3
    assert bounded_page_number("600", 25) == 4
    assert bounded_page_number("x", 25) == "x"
