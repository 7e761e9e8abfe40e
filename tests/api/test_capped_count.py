"""The dossier list's count stops at ``COUNT_CAP`` (``count_capped``), a broad search is not
counted at all, and both still page through every row."""

import datetime as dt

import pytest

from api import pagination
from workflows import selectors, services

from .conftest import APPLICANT

TZ = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def dossiers(procedure, staff):
    reception = staff[(0, "reception")]
    return [
        services.dossier_register(
            procedure=procedure,
            applicant={**APPLICANT, "name": f"Người nộp {i}"},
            channel="online",
            received_at=dt.datetime(2026, 3, 2, 8, i, tzinfo=TZ),
            by=reception,
        )[0]
        for i in range(7)
    ]


def _codes(client, url):
    codes, bodies = [], []
    while url:
        body = client.get(url).json()
        bodies.append(body)
        codes += [row["code"] for row in body["results"]]
        url = body["next"]
    return codes, bodies


@pytest.mark.parametrize(
    "query", ["", "status=processing", "received_from=2026-03-01&received_to=2026-03-31"]
)
def test_the_count_stops_at_the_cap_and_says_so(staff, as_user, dossiers, monkeypatch, query):
    client = as_user(staff[(0, "reception")])
    exact = client.get(f"/api/v1/dossiers/?{query}").json()
    assert (exact["count"], exact["count_capped"], exact["count_is_estimate"]) == (7, False, False)

    monkeypatch.setattr(pagination, "COUNT_CAP", 5)
    monkeypatch.setattr(pagination.CappedPaginator, "cap", 5)
    monkeypatch.setattr("api.dossiers.COUNT_CAP", 5)
    codes, bodies = _codes(client, f"/api/v1/dossiers/?{query}&page_size=2")
    assert [(b["count"], b["count_capped"]) for b in bodies[:1]] == [(5, True)]
    assert codes == [d.code for d in reversed(dossiers)]  # every row is still reachable
    assert client.get(f"/api/v1/dossiers/?{query}&page=4&page_size=2").json()["results"]  # past the cap

    monkeypatch.setattr(pagination.CappedPaginator, "cap", 7)
    monkeypatch.setattr("api.dossiers.COUNT_CAP", 7)
    body = client.get(f"/api/v1/dossiers/?{query}").json()
    assert (body["count"], body["count_capped"]) == (7, False)  # exactly the cap: not "more than"


def test_a_broad_search_is_not_counted_and_pages_through_every_match(staff, as_user, dossiers, monkeypatch):
    client = as_user(staff[(0, "reception")])
    narrow = client.get("/api/v1/dossiers/?search=n%E1%BB%99p").json()
    assert (narrow["count"], narrow["count_capped"]) == (7, False)

    monkeypatch.setattr(selectors, "NAME_PROBE_ROWS", 3)  # "nộp" is now a broad term
    first = client.get("/api/v1/dossiers/?search=n%E1%BB%99p&page_size=3").json()
    assert (first["count"], first["count_capped"]) == (3, True)  # the rows shown so far, and more
    codes, bodies = _codes(client, "/api/v1/dossiers/?search=n%E1%BB%99p&page_size=3")
    assert codes == [d.code for d in reversed(dossiers)]
    everything = client.get("/api/v1/dossiers/?search=n%E1%BB%99p&page_size=50").json()
    assert (everything["count"], everything["count_capped"]) == (7, False)  # all shown: exact


def test_the_schema_documents_the_count_flags(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "count_capped" in schema and "count_is_estimate" in schema


@pytest.mark.parametrize("url", ["/api/v1/dossiers/?status=processing", "/api/v1/tasks/"])
def test_a_list_is_counted_without_the_joins_of_its_shown_columns(staff, as_user, dossiers, url):
    """The rows are ``.values()`` of the procedure's, the step's, the agency's columns; their count
    joins only what the filter needs (not the dossier from each task, nor the procedure)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    role = "reception" if "dossiers" in url else "specialist"
    client = as_user(staff[(0, role)])
    with CaptureQueriesContext(connection) as queries:
        body = client.get(url).json()
    assert body["count"] == 7 and len(body["results"]) == 7
    (count,) = [q["sql"] for q in queries if q["sql"].startswith("SELECT COUNT")]
    assert '"procedures_procedure"' not in count and '"procedures_agency"' not in count, count
    if "tasks" in url:
        assert '"workflows_dossier"' not in count, count
