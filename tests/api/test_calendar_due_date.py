"""GET /api/v1/calendar/due-date/: public due-date quotes, and a 400 naming the bad parameter."""

import datetime as dt

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from procedures.models import CalendarOverride, DurationUnit
from tests.factories import make_procedure

pytestmark = pytest.mark.django_db

URL = "/api/v1/calendar/due-date/"


@pytest.fixture
def client() -> APIClient:
    return APIClient()


@pytest.mark.parametrize(
    ("start", "value", "unit", "expected"),
    [
        # Five working days from the Friday before Tết 2026 (16–20 Feb off).
        ("2026-02-13T10:00:00+07:00", 5, "working_days", "2026-02-27T10:00:00+07:00"),
        # Across 29/8 – 2/9/2026 (weekend, compensatory 31/8, National Day 1–2/9).
        ("2026-08-28T16:00:00+07:00", 2, "working_hours", "2026-09-03T08:00:00+07:00"),
        # Seven calendar days land on Tết: the next working day, same time.
        ("2026-02-10T09:00:00+07:00", 7, "calendar_days", "2026-02-23T09:00:00+07:00"),
        # A start in UTC, at lunch in Hà Nội, counts from 13:30.
        ("2026-03-02T05:00:00Z", 1, "working_hours", "2026-03-02T14:30:00+07:00"),
    ],
)
def test_due_date_for_a_value_and_unit(client, start, value, unit, expected):
    response = client.get(URL, {"start": start, "value": value, "unit": unit})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["due_at"] == expected
    assert dt.datetime.fromisoformat(body["start"]) == dt.datetime.fromisoformat(start.replace("Z", "+00:00"))
    assert body["start"].endswith("+07:00")


def test_an_unencoded_plus_in_the_offset_is_understood(client):
    response = client.get(f"{URL}?start=2026-02-13T10:00:00+07:00&value=1&unit=working_hours")
    assert response.status_code == 200, response.json()
    assert response.json() == {"start": "2026-02-13T10:00:00+07:00", "due_at": "2026-02-13T11:00:00+07:00"}


def test_due_date_of_a_procedure_uses_its_committed_duration(client, django_assert_max_num_queries):
    procedure = make_procedure(committed=(3, DurationUnit.WORKING_DAYS), legal=(5, DurationUnit.WORKING_DAYS))
    with django_assert_max_num_queries(2):
        response = client.get(URL, {"start": "2027-02-03T07:00:00+07:00", "procedure": procedure.code})
    assert response.status_code == 200, response.json()
    # Wed 3/2/2027, then Tết 4–10/2, then Thu 11 and Fri 12.
    assert response.json()["due_at"] == "2027-02-12T17:00:00+07:00"


def test_due_date_of_a_calendar_day_procedure(client):
    procedure = make_procedure(
        committed=(10, DurationUnit.CALENDAR_DAYS), legal=(15, DurationUnit.CALENDAR_DAYS)
    )
    response = client.get(URL, {"start": "2026-08-21T10:00:00+07:00", "procedure": procedure.code})
    assert response.json()["due_at"] == "2026-09-03T10:00:00+07:00"


def test_an_admin_override_moves_the_due_date(client, django_capture_on_commit_callbacks):
    params = {"start": "2026-03-06T16:00:00+07:00", "value": 2, "unit": "working_hours"}
    assert client.get(URL, params).json()["due_at"] == "2026-03-09T08:00:00+07:00"
    with django_capture_on_commit_callbacks(execute=True):
        CalendarOverride.objects.create(date=dt.date(2026, 3, 9), is_working_day=False, reason="Bão")
    assert client.get(URL, params).json()["due_at"] == "2026-03-10T08:00:00+07:00"


@pytest.mark.parametrize("state", ["unknown", "inactive", "no_version"])
def test_unknown_or_unusable_procedure_is_404(client, state):
    code = "1.999999"
    if state != "unknown":
        procedure = make_procedure(code=code)
        if state == "inactive":
            procedure.active = False
        else:
            procedure.current_version = None
        procedure.save()
    response = client.get(URL, {"start": "2026-03-02T08:00:00+07:00", "procedure": code})
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "procedure_not_found"
    assert "procedure" in error["fields"]


START = "2026-03-02T08:00:00+07:00"


@pytest.mark.parametrize(
    ("params", "bad"),
    [
        ({"value": 1, "unit": "working_days"}, "start"),
        ({"start": "", "value": 1, "unit": "working_days"}, "start"),
        ({"start": "2026-03-02T08:00:00", "value": 1, "unit": "working_days"}, "start"),  # naive
        ({"start": "2026-03-02", "value": 1, "unit": "working_days"}, "start"),  # a date, no time zone
        ({"start": "tomorrow", "value": 1, "unit": "working_days"}, "start"),
        ({"start": "2026-02-30T08:00:00+07:00", "value": 1, "unit": "working_days"}, "start"),
        ({"start": "9999-12-31T08:00:00+07:00", "value": 1, "unit": "working_days"}, "start"),
        ({"start": START, "value": "abc", "unit": "working_days"}, "value"),
        ({"start": START, "value": "1.5", "unit": "working_days"}, "value"),
        ({"start": START, "value": 0, "unit": "working_days"}, "value"),
        ({"start": START, "value": -3, "unit": "working_days"}, "value"),
        ({"start": START, "value": 10**12, "unit": "working_days"}, "value"),
        ({"start": START, "value": 3661, "unit": "calendar_days"}, "value"),
        ({"start": START, "value": 1, "unit": "fortnights"}, "unit"),
        ({"start": START, "value": 1}, "unit"),
        ({"start": START}, "procedure"),
        ({"start": START, "value": 1, "unit": "working_days", "procedure": "1.000001"}, "procedure"),
        ({"start": START, "procedure": "1.000001", "unit": "working_days"}, "unit"),
    ],
)
def test_invalid_input_is_a_400_naming_the_parameter(client, params, bad):
    response = client.get(URL, params)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert bad in error["fields"], error
    assert bad in error["message"]


def test_the_largest_allowed_value_still_answers(client):
    response = client.get(URL, {"start": START, "value": 2600, "unit": "working_days"})
    assert response.status_code == 200
    assert response.json()["due_at"].startswith("2036-")


def test_the_endpoint_is_documented_with_its_parameters_and_errors():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"][URL]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"start", "value", "unit", "procedure"}
    assert {"200", "400", "404"} <= set(operation["responses"])
    assert operation["security"] == [{}]  # public: no authentication
