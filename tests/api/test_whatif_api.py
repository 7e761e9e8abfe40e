"""``GET /api/v1/reports/what-if/``: who may ask, the parameters, and the figures over the database."""

import pytest

from tests.api.conftest import local
from tests.reports.factories import make_dossier, pause

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/what-if/"
QUERY = {
    "procedure": "1.001234",
    "value": 3,
    "unit": "working_days",
    "from": "2026-03-01",
    "to": "2026-03-31",
}


@pytest.fixture
def dossiers(procedure):
    """Received Monday 2 March 08:00 (5 working days: due Monday 9 March 08:00).
    1: done Friday 6 March 10:00, early; under 3 days (due Thursday 5 March 08:00) late.
    2: waits Tue 3 08:00 → Wed 4 08:00 (8 h, pause), done Thursday 5 March 10:00: early today and
       under 3 days too (due Thursday 5 08:00 + 8 h = Friday 6 08:00).
    3: received in April: outside the period."""
    one = make_dossier(
        procedure=procedure,
        received_at=local(2026, 3, 2, 8),
        finished_at=local(2026, 3, 6, 10),
        result="approved",
        verdict="early",
        processing_hours=34,
    )
    two = make_dossier(
        procedure=procedure,
        received_at=local(2026, 3, 2, 8),
        finished_at=local(2026, 3, 5, 10),
        result="approved",
        verdict="early",
        processing_hours=18,
    )
    pause(two, started_at=local(2026, 3, 3, 8), ended_at=local(2026, 3, 4, 8))
    make_dossier(
        procedure=procedure,
        received_at=local(2026, 4, 1, 8),
        finished_at=local(2026, 4, 30, 10),
        result="approved",
        verdict="late",
    )
    return one, two


def test_anonymous_401_specialist_403(as_user, staff, procedure):
    assert as_user(None).get(URL, QUERY).status_code == 401
    response = as_user(staff[(0, "specialist")]).get(URL, QUERY)
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"


def test_head_of_the_receiving_agency_yes_of_another_agency_no(as_user, staff, procedure):
    assert as_user(staff[(0, "head")]).get(URL, QUERY).status_code == 200
    assert as_user(staff[(1, "head")]).get(URL, QUERY).status_code == 403


def test_figures(as_user, staff, dossiers):
    body = as_user(staff["supervisor"]).get(URL, QUERY).json()
    assert body["procedure"]["code"] == "1.001234"
    assert body["proposal"] == {"value": 3, "unit": "working_days"}
    assert body["current"] == {"value": 5, "unit": "working_days"}
    totals = body["totals"]
    assert (totals["replayed"], totals["late_today"], totals["late_proposed"], totals["turn_late"]) == (
        2,
        0,
        1,
        1,
    )
    assert (totals["late_proposed_share"], totals["limit_hours"], totals["over_limit"]) == (0.5, 24, 1)
    assert [row["code"] for row in body["agencies"]] == ["000.00.31.H57"]
    assert [s["order"] for s in body["steps"]] == [1, 2, 3]
    assert body["steps"][1]["agency_code"] == "000.00.32.H57"
    assert body["cut"]["legal_hours"] == 80 and body["cut"]["proposed_cut_percent"] == 70
    same = as_user(staff["supervisor"]).get(URL, {**QUERY, "value": 5}).json()["totals"]
    assert (same["late_today"], same["late_proposed"], same["turn_late"]) == (0, 0, 0)


def test_one_steps_budget(as_user, staff, dossiers):
    body = as_user(staff["supervisor"]).get(URL, {**QUERY, "step": 1, "budget_hours": 10}).json()
    assert body["step"] == {"order": 1, "budget_hours": 10}
    assert [s["proposed_budget_hours"] for s in body["steps"]] == [10, 8, 8]


@pytest.mark.parametrize(
    "change, status, field",
    [
        ({"procedure": ""}, 400, "procedure"),
        ({"procedure": "9.999999"}, 404, None),
        ({"value": "abc"}, 400, "value"),
        ({"value": 0}, 400, "value"),
        ({"unit": "weeks"}, 400, "unit"),
        ({"step": 1}, 400, "budget_hours"),
        ({"budget_hours": 5}, 400, "step"),
        ({"step": 9, "budget_hours": 5}, 400, "step"),
        ({"from": "2026-13-01"}, 400, "from"),
    ],
)
def test_bad_input(as_user, staff, procedure, change, status, field):
    response = as_user(staff["supervisor"]).get(URL, {**QUERY, **change})
    assert response.status_code == status
    if field:
        assert field in response.json()["error"]["fields"]
