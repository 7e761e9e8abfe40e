"""The citizen's lookup in one SQL query (workflows.public_status) with a plain-dict answer
(api.public.public_dossier_row): the same answer as the serializer that documents it, the same
values as the ORM, one query whatever the key, a prepared statement on PostgreSQL."""

import datetime as dt

import pytest
from django.db import connection
from rest_framework.test import APIClient

from api import rows
from api import serializers as s
from api.public import public_dossier_row
from core import prepared
from tests.reports.factories import extension
from workflows import public_status, services
from workflows.models import Dossier, DossierPause, DossierRating, DossierTask, TaskStatus

from .conftest import registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def receipt(staff, as_user, procedure):
    return (
        as_user(staff[(0, "reception")])
        .post("/api/v1/dossiers/", registration("1.001234"), format="json")
        .json()
    )


def _open(code: str) -> DossierTask:
    return DossierTask.objects.get(dossier__code=code, status=TaskStatus.OPEN)


@pytest.fixture
def eventful(receipt, staff):
    """A finished step with its verdict, a supplement asked for and received, an extension, an
    open step at another agency, and a rating: every part of the answer has something in it."""
    code = receipt["code"]
    specialist = staff[(0, "specialist")]
    services.task_complete(
        task=_open(code),
        by=specialist,
        decision="request_supplement",
        missing_documents=[{"name": "Bản sao sổ hộ khẩu", "kind": "copy"}, {"name": "Ảnh 4x6"}],
        note="Ghi chú nội bộ",
    )
    dossier = Dossier.objects.get(code=code)
    services.dossier_supplement_received(
        dossier=dossier, by=staff[(0, "reception")], documents=[{"name": "Bản sao sổ hộ khẩu"}]
    )
    services.task_complete(task=_open(code), by=specialist, decision="approve")
    dossier.refresh_from_db()
    extension(dossier, previous_due_at=dossier.due_at, new_due_at=dossier.due_at + dt.timedelta(days=3))
    DossierRating.objects.create(dossier=dossier, score=5)
    return receipt


def test_the_plain_answer_is_the_serializers_and_the_orms(eventful):
    found = public_status.dossier_public_status(code=eventful["code"], key=eventful["lookup_key"])
    assert public_dossier_row(found) == s.PublicDossierOut(found).data
    dossier = Dossier.objects.select_related("procedure", "receiving_agency").get(code=eventful["code"])
    answer = public_dossier_row(found)
    assert answer["procedure"] == {"code": dossier.procedure.code, "name": dossier.procedure.name}
    assert answer["receiving_agency"] == dossier.receiving_agency.name
    assert answer["status_label"] == dossier.get_status_display()
    for name in ("received_at", "due_at", "finished_at", "returned_at"):
        assert answer[name] == rows.iso(getattr(dossier, name)), name
    tasks = (
        DossierTask.objects.filter(dossier=dossier)
        .select_related("step", "agency")
        .order_by("created_at", "id")
    )
    done = [t for t in tasks if t.status == TaskStatus.DONE]
    assert [(h["step"], h["agency"], h["verdict"]) for h in answer["history"]] == [
        (t.step.name, t.agency.name, t.verdict) for t in done
    ]
    assert [h["started_at"] for h in answer["history"]] == [rows.iso(t.created_at) for t in done]
    assert [h["finished_at"] for h in answer["history"]] == [rows.iso(t.finished_at) for t in done]
    assert [c["step"] for c in answer["current_steps"]] == [t.step.name for t in tasks if t.status == "open"]
    pause = DossierPause.objects.get(dossier=dossier)
    assert answer["pauses"] == [
        {
            "started_at": rows.iso(pause.started_at),
            "ended_at": rows.iso(pause.ended_at),
            "missing_documents": ["Bản sao sổ hộ khẩu", "Ảnh 4x6"],
        }
    ]
    assert answer["extension"] == {
        "previous_due_at": rows.iso(dossier.extension.previous_due_at),
        "new_due_at": rows.iso(dossier.extension.new_due_at),
    }
    assert answer["rated"] is True and pause.ended_at is not None and len(done) == 2
    assert (
        APIClient()
        .get(f"/api/v1/public/dossiers/{eventful['code']}/", HTTP_X_LOOKUP_KEY=eventful["lookup_key"])
        .json()
        == answer
    )


def test_one_query_whatever_the_key_and_the_same_bytes_for_a_wrong_key(eventful, django_assert_num_queries):
    client, url = APIClient(), f"/api/v1/public/dossiers/{eventful['code']}/"
    with django_assert_num_queries(1):
        assert client.get(url, HTTP_X_LOOKUP_KEY=eventful["lookup_key"]).status_code == 200
    with django_assert_num_queries(1):
        wrong = client.get(url, HTTP_X_LOOKUP_KEY="AAAAAAAAAA")
    with django_assert_num_queries(1):
        unknown = client.get(
            "/api/v1/public/dossiers/000.00.31.H57-990101-0001/", HTTP_X_LOOKUP_KEY="AAAAAAAAAA"
        )
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.content == unknown.content
    assert {k: v for k, v in wrong.items() if k != "Date"} == {
        k: v for k, v in unknown.items() if k != "Date"
    }


def test_a_dossier_without_a_key_matches_no_key():
    assert not public_status.key_matches("", "")
    assert not public_status.key_matches(None, "ABCDEFGHJK")
    assert not public_status.key_matches(public_status.MISSING_KEY_HASH, "ABCDEFGHJK")


@pytest.mark.postgres
def test_on_postgresql_the_lookup_is_a_prepared_statement(eventful, django_assert_num_queries):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    assert prepared.enabled()
    for _ in range(2):
        with django_assert_num_queries(1) as captured:  # counted and logged as Django's own
            public_status.dossier_public_status(code=eventful["code"], key=eventful["lookup_key"])
        assert "lookup_key_hash" in captured.captured_queries[0]["sql"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    assert any("UNION ALL" in statement and "lookup_key_hash" in statement for statement in statements)


def test_without_postgresql_or_when_switched_off_it_is_djangos_cursor(settings, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "OPTIONS", {**connection.settings_dict.get("OPTIONS", {})})
    connection.settings_dict["OPTIONS"].pop("prepare_threshold", None)
    assert not prepared.enabled()
    with prepared.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone()[0] == 1
