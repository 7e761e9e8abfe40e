"""The approximate count of big unfiltered lists (``api.pagination.EstimatingPaginator``).

Above ``ESTIMATE_ABOVE`` rows, an unfiltered list on PostgreSQL is counted from the planner's
statistics (``pg_class.reltuples``, written by ANALYZE) instead of ``COUNT(*)``. A million rows
is too many for a test, so the threshold is lowered; the statistics are real ones from ANALYZE.
"""

import pytest
from django.db import connection

from api import pagination
from workflows import services
from workflows.models import Dossier

from .conftest import APPLICANT


def _register(procedure, reception, count: int) -> None:
    for _ in range(count):
        services.dossier_register(procedure=procedure, applicant=APPLICANT, channel="online", by=reception)


def _reltuples() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [Dossier._meta.db_table]
        )
        return cursor.fetchone()[0]


def _count(client, query: str = "") -> tuple[int, int]:
    body = client.get(f"/api/v1/dossiers/?page_size=200{query}").json()
    return body["count"], len(body["results"])


@pytest.mark.postgres
def test_unfiltered_big_list_is_counted_from_the_statistics(staff, procedure, as_user, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("pg_class.reltuples is PostgreSQL's (set DATABASE_URL)")
    _register(procedure, staff[(0, "reception")], 4)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Dossier._meta.db_table}")
    assert _reltuples() == 4
    _register(procedure, staff[(0, "reception")], 2)  # not in the statistics until the next ANALYZE
    supervisor = as_user(staff["supervisor"])

    assert _count(supervisor) == (6, 6)  # 4 rows in the statistics: not above the threshold, exact
    monkeypatch.setattr(pagination, "ESTIMATE_ABOVE", 3)
    count, shown = _count(supervisor)
    assert count == _reltuples() == 4  # the estimate, although there are 6
    assert shown == 6  # the page is cut at page_size, not at the estimate: no row is unreachable
    assert _count(supervisor, "&status=processing") == (6, 6)  # a filtered list is exact
    # Paging past the estimate still reads the rows, and the link to the next page follows them.
    body = supervisor.get("/api/v1/dossiers/?page_size=2&page=3").json()
    assert len(body["results"]) == 2 and body["next"] is None
    body = supervisor.get("/api/v1/dossiers/?page_size=2&page=2").json()
    assert len(body["results"]) == 2 and body["next"] is not None
    assert supervisor.get("/api/v1/dossiers/?page_size=2&page=4").status_code == 404
    # A reception officer's list is scoped to the agency (a WHERE): counted exactly too.
    assert _count(as_user(staff[(0, "reception")]))[0] == 6


def test_other_databases_count_exactly(staff, procedure, as_user, monkeypatch):
    if connection.vendor == "postgresql":
        pytest.skip("the exact fallback of databases without pg_class (SQLite)")
    _register(procedure, staff[(0, "reception")], 4)
    monkeypatch.setattr(pagination, "ESTIMATE_ABOVE", 0)
    assert _count(as_user(staff["supervisor"])) == (4, 4)
