"""Inputs found by review that used to slip past validation: forged client addresses, codes that
cannot exist, dates at the ends of the calendar, numbers beyond the database's integers."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_a_forged_forwarded_for_header_does_not_reset_the_rate_limit(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"auth": "2/minute"}}
    get_user_model().objects.create_user(username="tiepnhan", password="mat-khau-dai-123")
    client = APIClient()
    codes = [
        client.post(
            "/api/v1/auth/token/",
            {"username": "tiepnhan", "password": "sai"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        ).status_code
        for n in range(3)
    ]
    assert codes == [400, 400, 429]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/public/dossiers/%00/?key=ABCDEFGHJK",
        "/api/v1/public/dossiers/abc%00def/rating/",
        "/api/v1/dossiers/%00/",
        "/api/v1/procedures/1.0%00/",
        "/api/v1/procedures/" + "1" * 41 + "/",
    ],
)
def test_codes_that_cannot_exist_are_json_404s(path, staff, as_user):
    response = as_user(staff["supervisor"]).get(path)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("query", "field"),
    [("from=0001-01-01&to=0001-01-02", "from"), ("from=2026-01-01&to=9999-12-31", "to")],
)
@pytest.mark.parametrize("report", ["processing", "cutting", "bottlenecks", "indicators", "dashboard"])
def test_report_dates_at_the_ends_of_the_calendar_are_400(staff, as_user, report, query, field):
    response = as_user(staff["supervisor"]).get(f"/api/v1/reports/{report}/?{query}")
    assert response.status_code == 400, response.content[:200]
    assert field in response.json()["error"]["fields"]


def test_an_agency_id_beyond_the_database_integers_is_400(staff, as_user):
    response = as_user(staff["supervisor"]).get("/api/v1/monitoring/queue/?agency=99999999999999999999999")
    assert response.status_code == 400
    assert "agency" in response.json()["error"]["fields"]


def test_the_public_due_date_quote_is_rate_limited(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"public": "1/minute"}}
    url = "/api/v1/calendar/due-date/?start=2026-03-02T08:00:00%2B07:00&value=1&unit=working_days"
    client = APIClient()
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 429
