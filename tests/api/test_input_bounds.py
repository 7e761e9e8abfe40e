"""Bounds on what a client may send (issue 10, items 3, 8, 9): body size, JSON nesting depth,
list lengths and text lengths, and the years of every date or datetime parameter."""

import datetime as dt
import json

import pytest
from rest_framework.test import APIClient

from core import limits
from workflows.models import Dossier, DossierEvent

from .conftest import registration

pytestmark = pytest.mark.django_db


def deep(depth: int) -> str:
    return "[" * depth + "]" * depth


def _post_raw(client, url: str, text: str):
    return client.post(url, text, content_type="application/json")


def _assert_error_shape(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"}
    return error


@pytest.fixture
def receipt(staff, as_user, procedure):
    response = as_user(staff[(0, "reception")]).post(
        "/api/v1/dossiers/", registration("1.001234"), format="json"
    )
    assert response.status_code == 201, response.json()
    return response.json()


# --- item 3: nesting depth and body size -----------------------------------------------------------


def test_deeply_nested_json_to_the_token_endpoint_is_a_400_not_a_recursion_error():
    body = '{"username": ' + deep(1000) + ', "password": "x"}'
    assert len(body) < 2100
    error = _assert_error_shape(_post_raw(APIClient(), "/api/v1/auth/token/", body), 400)
    assert "lồng nhau quá sâu" in error["message"]


def test_deeply_nested_json_to_the_anonymous_rating_is_a_400(receipt):
    url = f"/api/v1/public/dossiers/{receipt['code']}/rating/"
    body = '{"key": "' + receipt["lookup_key"] + '", "score": 5, "comment": ' + deep(1000) + "}"
    _assert_error_shape(_post_raw(APIClient(), url, body), 400)


def test_deeply_nested_json_to_registration_is_a_400_and_writes_nothing(staff, as_user, procedure):
    body = '{"procedure": "1.001234", "applicant": ' + deep(5000) + "}"
    _assert_error_shape(_post_raw(as_user(staff[(0, "reception")]), "/api/v1/dossiers/", body), 400)
    assert not Dossier.objects.exists() and not DossierEvent.objects.exists()


def test_nesting_up_to_the_limit_is_parsed_and_brackets_inside_strings_do_not_count():
    from api.parsers import json_depth_exceeds

    assert not json_depth_exceeds(deep(limits.MAX_JSON_DEPTH), limits.MAX_JSON_DEPTH)
    assert json_depth_exceeds(deep(limits.MAX_JSON_DEPTH + 1), limits.MAX_JSON_DEPTH)
    text = '{"name": "' + "[{" * 500 + '\\"[[["}'
    assert not json_depth_exceeds(text, limits.MAX_JSON_DEPTH)


def test_a_lone_surrogate_is_a_400_and_an_escaped_emoji_is_text(staff, as_user, procedure):
    client = as_user(staff[(0, "reception")])
    body = json.dumps(registration("1.001234"), ensure_ascii=False)
    lone = _post_raw(client, "/api/v1/dossiers/", body.replace('"kind": "person"', '"kind": "person\\ud800"'))
    _assert_error_shape(lone, 400)
    emoji = _post_raw(client, "/api/v1/dossiers/", body.replace('"Tờ khai"', '"Tờ khai \\ud83d\\ude00"'))
    assert emoji.status_code == 201, emoji.json()
    assert Dossier.objects.get().documents[0]["name"] == "Tờ khai \U0001f600"


def test_the_token_endpoint_still_answers_a_well_formed_body():
    response = _post_raw(APIClient(), "/api/v1/auth/token/", '{"username": "nobody", "password": "x"}')
    _assert_error_shape(response, 400)
    assert "password" in response.json()["error"]["fields"]


def test_a_body_over_the_limit_is_a_413_before_it_is_parsed(settings, staff, as_user, procedure):
    settings.ONESTOP_MAX_REQUEST_BYTES = 4096
    client = as_user(staff[(0, "reception")])
    body = registration("1.001234", documents=[{"name": "Tờ khai " + "x" * 100}] * 60)
    error = _assert_error_shape(client.post("/api/v1/dossiers/", body, format="json"), 413)
    assert error["code"] == "request_too_large" and "4.096" in error["message"]
    # The same limit holds for a form body and a multipart body.
    form = client.post(
        "/api/v1/auth/token/", "username=" + "a" * 5000, content_type="application/x-www-form-urlencoded"
    )
    _assert_error_shape(form, 413)
    multipart = APIClient().post("/api/v1/auth/token/", {"username": "a" * 5000, "password": "x"})
    _assert_error_shape(multipart, 413)
    assert not Dossier.objects.exists()


def test_the_body_limit_is_also_djangos_form_limit(settings):
    from django.conf import settings as live

    assert live.DATA_UPLOAD_MAX_MEMORY_SIZE == live.ONESTOP_MAX_REQUEST_BYTES == 1024 * 1024


# --- item 8: years of every date and datetime parameter --------------------------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("received_to=9999-12-31", "received_to"),
        ("received_from=0001-01-01", "received_from"),
        ("received_from=2201-01-01", "received_from"),
        ("received_to=1899-12-31", "received_to"),
    ],
)
def test_dossier_list_dates_beyond_the_sane_years_are_400(staff, as_user, query, field):
    response = as_user(staff["supervisor"]).get(f"/api/v1/dossiers/?{query}")
    error = _assert_error_shape(response, 400)
    assert error["fields"][field] == [f"Năm phải trong khoảng {limits.MIN_YEAR}–{limits.MAX_YEAR}."]


def test_dossier_list_dates_at_the_ends_of_the_range_are_accepted(staff, as_user):
    response = as_user(staff["supervisor"]).get(
        "/api/v1/dossiers/?received_from=1900-01-01&received_to=2200-12-31"
    )
    assert response.status_code == 200, response.json()


@pytest.mark.parametrize("year", ["0001", "1899", "2201", "9999"])
def test_registration_and_extension_times_beyond_the_sane_years_are_400(staff, as_user, receipt, year):
    when = f"{year}-12-31T23:59:59+07:00"
    reception = as_user(staff[(0, "reception")])
    registered = reception.post(
        "/api/v1/dossiers/", registration("1.001234", received_at=when), format="json"
    )
    assert "received_at" in _assert_error_shape(registered, 400)["fields"]
    extended = as_user(staff[(0, "head")]).post(
        f"/api/v1/dossiers/{receipt['code']}/extend/", {"new_due_at": when, "reason": "Chờ."}, format="json"
    )
    assert "new_due_at" in _assert_error_shape(extended, 400)["fields"]
    assert Dossier.objects.count() == 1 and not Dossier.objects.get().extended


@pytest.mark.parametrize(
    "query", ["from=2026-01-01&to=2201-01-01", "from=1899-12-31&to=2026-01-01", "period=year&year=2201"]
)
def test_report_periods_use_the_same_years(staff, as_user, query):
    response = as_user(staff["supervisor"]).get(f"/api/v1/reports/processing/?{query}")
    _assert_error_shape(response, 400)


def test_the_due_date_quote_uses_the_same_years():
    response = APIClient().get(
        "/api/v1/calendar/due-date/?start=2201-01-01T08:00:00Z&value=1&unit=working_days"
    )
    assert "start" in _assert_error_shape(response, 400)["fields"]


# --- item 9: lists and texts -----------------------------------------------------------------------


def _doc(n: int) -> dict:
    return {"name": f"Giấy tờ {n}", "kind": "copy", "count": 1}


def test_two_hundred_documents_are_accepted(staff, as_user, procedure):
    documents = [_doc(n) for n in range(limits.MAX_DOCUMENTS)]
    response = as_user(staff[(0, "reception")]).post(
        "/api/v1/dossiers/", registration("1.001234", documents=documents), format="json"
    )
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"documents": [_doc(n) for n in range(limits.MAX_DOCUMENTS + 1)]}, "documents"),
        ({"completed_on_spot": [_doc(n) for n in range(limits.MAX_DOCUMENTS + 1)]}, "completed_on_spot"),
        ({"documents": [{"name": "x" * (limits.MAX_DOCUMENT_NAME_CHARS + 1)}]}, "documents[0].name"),
        (
            {"applicant": {"name": "A" * (limits.MAX_NAME_CHARS + 1), "id_number": "079190001234"}},
            "applicant.name",
        ),
    ],
)
def test_registration_lists_and_names_are_bounded(staff, as_user, procedure, change, field):
    response = as_user(staff[(0, "reception")]).post(
        "/api/v1/dossiers/", registration("1.001234", **change), format="json"
    )
    assert field in _assert_error_shape(response, 400)["fields"]
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("reasons", "field"),
    [
        (["Thiếu giấy tờ."] * (limits.MAX_REASONS + 1), "reasons"),
        (["x" * (limits.MAX_TEXT_CHARS + 1)], "reasons.0"),
    ],
)
def test_refusal_reasons_are_bounded(staff, as_user, procedure, reasons, field):
    response = as_user(staff[(0, "reception")]).post(
        "/api/v1/dossiers/refusals/", registration("1.001234", reasons=reasons), format="json"
    )
    assert field in _assert_error_shape(response, 400)["fields"]
    assert not Dossier.objects.exists()


def test_fifty_reasons_of_five_thousand_characters_are_accepted(staff, as_user, procedure):
    reasons = [f"{n} " + "x" * (limits.MAX_TEXT_CHARS - 4) for n in range(limits.MAX_REASONS)]
    response = as_user(staff[(0, "reception")]).post(
        "/api/v1/dossiers/refusals/", registration("1.001234", reasons=reasons), format="json"
    )
    assert response.status_code == 201, response.json()
    assert len(response.json()["reasons"]) == limits.MAX_REASONS


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (
            {"decision": "request_supplement", "missing_documents": [_doc(n) for n in range(51)]},
            "missing_documents",
        ),
        ({"decision": "refuse", "reasons": ["Không đủ điều kiện."] * 51}, "reasons"),
        ({"decision": "approve", "note": "x" * (limits.MAX_TEXT_CHARS + 1)}, "note"),
    ],
)
def test_decision_lists_and_texts_are_bounded(staff, as_user, receipt, payload, field):
    task_id = receipt["open_tasks"][0]["id"]
    response = as_user(staff[(0, "specialist")]).post(
        f"/api/v1/tasks/{task_id}/complete/", payload, format="json"
    )
    assert field in _assert_error_shape(response, 400)["fields"]
    assert Dossier.objects.get().status == "processing"
    assert DossierEvent.objects.count() == 1  # the registration only


def test_extension_and_withdrawal_reasons_are_bounded(staff, as_user, receipt):
    code, long = receipt["code"], "x" * (limits.MAX_TEXT_CHARS + 1)
    new_due = (dt.datetime.fromisoformat(receipt["due_at"]) + dt.timedelta(days=2)).isoformat()
    extended = as_user(staff[(0, "head")]).post(
        f"/api/v1/dossiers/{code}/extend/", {"new_due_at": new_due, "reason": long}, format="json"
    )
    assert "reason" in _assert_error_shape(extended, 400)["fields"]
    withdrawn = as_user(staff[(0, "reception")]).post(
        f"/api/v1/dossiers/{code}/withdraw/", {"reason": long}, format="json"
    )
    assert "reason" in _assert_error_shape(withdrawn, 400)["fields"]
    assert Dossier.objects.get().status == "processing"


def test_the_schema_documents_the_413_on_every_operation_with_a_body():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    posts = [(path, ops["post"]) for path, ops in paths.items() if "post" in ops]
    assert len(posts) >= 10
    for path, operation in posts:
        assert "413" in operation["responses"], path
    enums = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    assert "DocumentKindEnum" in enums  # the enum post-processing still runs
