"""Public catalog endpoints: list, search, filters, detail, 404, and a constant number of queries."""

import io

import pytest
from rest_framework.test import APIClient

from procedures import demo
from procedures.models import Procedure

LIST = "/api/v1/procedures/"


@pytest.fixture
def client(db):
    demo.load(io.StringIO())
    return APIClient()


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["results"]]


def test_list_needs_no_login_and_is_paginated(client):
    response = client.get(LIST, {"page_size": 10})
    body = response.json()
    assert body["count"] == Procedure.objects.count()
    assert len(body["results"]) == 10 and body["next"]
    first = body["results"][0]
    assert set(first) == {
        "code",
        "name",
        "field",
        "level",
        "receiving_agency",
        "legal_duration",
        "committed_duration",
        "cut_percent",
        "fee",
        "online_level",
    }


def test_search_by_name_and_by_code(client):
    assert codes(client.get(LIST, {"search": "khai sinh"})) == [
        "1.000689",
        "1.001193",
        "2.000986",
        "2.001023",
    ]
    assert codes(client.get(LIST, {"search": "3.000333"})) == ["3.000333"]


def test_filters_by_field_level_and_agency(client):
    assert codes(client.get(LIST, {"field": "CT"})) == ["2.000815", "2.000884", "2.001035"]
    assert set(codes(client.get(LIST, {"level": "commune", "field": "DN"}))) == set()
    # Bảo hiểm xã hội tỉnh receives nothing but handles a step of the two inter-agency birth procedures.
    assert codes(client.get(LIST, {"agency": "000.00.11.H57"})) == ["2.000986", "2.001023"]


def test_an_invalid_filter_is_a_400_naming_the_parameter(client):
    response = client.get(LIST, {"level": "region"})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["level"]


def test_inactive_procedures_are_not_listed(client):
    Procedure.objects.filter(code="1.001193").update(active=False)
    assert "1.001193" not in codes(client.get(LIST, {"search": "khai sinh"}))
    assert client.get(f"{LIST}1.001193/").status_code == 404


def test_detail_has_documents_steps_durations_and_cut(client):
    body = client.get(f"{LIST}1.013236/").json()
    assert body["legal_duration"] == {"value": 20, "unit": "calendar_days"}
    assert body["committed_duration"] == {"value": 14, "unit": "calendar_days"}
    assert body["cut_percent"] == 30.0
    assert (body["version"], body["fee"], body["online_level"], body["supplement_mode"]) == (
        1,
        150000,
        "partial",
        "pause",
    )
    assert "Luật Xây dựng 2014" in body["legal_basis"] and body["effective_from"]
    assert body["documents"][2] == {"name": "Bản vẽ thiết kế xây dựng", "kind": "original", "count": 2}
    assert [(s["order"], s["stage"], s["parallel_group"]) for s in body["steps"]] == [
        (1, 0, ""),
        (2, 1, "y_kien"),
        (3, 1, "y_kien"),
        (4, 2, ""),
        (5, 3, ""),
    ]
    assert body["steps"][1]["agency"] == {
        "code": "000.09.01.H57",
        "name": "Phòng Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ",
    }
    assert (body["steps"][4]["role"], body["steps"][4]["budget_hours"]) == ("head", 8)


def test_cut_percent_compares_across_units(client):
    # 10 calendar days ≈ 57.1 working hours; 6 working days = 48 hours: 16% shorter.
    assert client.get(f"{LIST}3.000333/").json()["cut_percent"] == 16.0


def test_unknown_code_is_a_404_in_the_error_shape(client):
    response = client.get(f"{LIST}9.999999/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "procedure_not_found"


def test_list_query_count_does_not_grow_with_the_page(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # count + page
        assert len(codes(client.get(LIST, {"page_size": 5}))) == 5
    with django_assert_max_num_queries(2):
        assert len(codes(client.get(LIST, {"page_size": 100, "agency": "000.00.51.H57"}))) > 5


def test_detail_query_count_does_not_grow_with_steps(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # procedure + documents + steps with their agencies
        assert len(client.get(f"{LIST}1.009645/").json()["steps"]) == 8
    with django_assert_max_num_queries(3):
        assert len(client.get(f"{LIST}2.000889/").json()) == 1  # 404 body
