"""The event-log export (XES, OCEL 2.0) read back by pm4py, and the conformance report, over a
scenario driven through the services."""

import json

import pm4py
import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from tests.workflows.conftest import APPLICANT
from workflows.models import DossierEvent

from . import scenario as scenario_module
from .scenario import APPLICANTS

URL = "/api/v1/reports/event-log/"
PERIOD = {"from": "2026-03-01", "to": "2026-03-31"}


@pytest.fixture
def world(clock, make_staff):
    return scenario_module.build(clock, make_staff)


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _download(client, tmp_path, fmt, **params):
    response = client.get(URL, {**PERIOD, "format": fmt, **params})
    assert response.status_code == 200, response.content
    assert response.streaming
    body = b"".join(response.streaming_content)
    path = tmp_path / f"log.{'xes' if fmt == 'xes' else 'jsonocel'}"
    path.write_bytes(body)
    return path, body.decode()


def _database_counts(world):
    ids = [d.pk for d in world.dossiers]
    return len(ids), DossierEvent.objects.filter(dossier_id__in=ids).count()


def test_pm4py_reads_the_xes_export_and_the_counts_match(world, tmp_path):
    path, _ = _download(_client(world.supervisor), tmp_path, "xes")
    log = pm4py.read_xes(str(path))
    cases, events = _database_counts(world)
    assert log["case:concept:name"].nunique() == cases
    assert len(log) == events
    assert set(log["case:concept:name"]) == {d.code for d in world.dossiers}
    assert "Thẩm định: Đồng ý, chuyển tiếp" in set(log["concept:name"])
    assert set(log["org:resource"]) <= {"reception", "specialist", "head"}
    assert "000.00.41.H57" in set(log["org:group"])


def test_pm4py_reads_the_ocel_export_and_the_counts_match(world, tmp_path):
    path, body = _download(_client(world.supervisor), tmp_path, "ocel")
    json.loads(body)
    ocel = pm4py.read_ocel2_json(str(path))
    cases, events = _database_counts(world)
    assert len(ocel.events) == events
    objects = ocel.objects
    assert (objects[objects["ocel:type"] == "dossier"]).shape[0] == cases
    assert ocel.relations["ocel:oid"].str.startswith("dossier:").sum() == events


@pytest.mark.parametrize("fmt", ["xes", "ocel"])
def test_no_personal_data_and_no_staff_name_in_the_export(world, tmp_path, fmt):
    _, body = _download(_client(world.supervisor), tmp_path, fmt)
    people = [*APPLICANTS, APPLICANT]
    for person in people:
        for key in ("name", "id_number", "phone", "email", "address"):
            assert person[key] not in body, (key, person[key])
    for username in get_user_model().objects.values_list("username", flat=True):
        assert f'"{username}"' not in body and f"={username!r}" not in body
    assert "Thiếu ý kiến" not in body  # free-text notes are left out
    assert "Người nộp xin rút" not in body


def test_procedure_and_period_filter_the_cases(world, tmp_path):
    client = _client(world.supervisor)
    _, body = _download(client, tmp_path, "xes", procedure="9.999999")
    assert "<trace>" not in body and body.rstrip().endswith("</log>")
    _, body = _download(client, tmp_path, "xes", procedure=world.procedure.code)
    assert body.count("<trace>") == 5
    _, body = _download(client, tmp_path, "xes", **{"from": "2026-03-05", "to": "2026-03-05"})
    assert body.count("<trace>") == 2  # the waiting and the withdrawn dossiers


def test_only_supervisors_get_the_event_log(world):
    assert _client(world.head_a).get(URL, PERIOD).status_code == 403
    assert _client(world.reception).get(URL, PERIOD).status_code == 403
    assert APIClient().get(URL, PERIOD).status_code == 401
    response = _client(world.supervisor).get(URL, {**PERIOD, "format": "csv"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["format"]


def test_a_healthy_scenario_has_zero_deviations(world):
    response = _client(world.supervisor).get("/api/v1/reports/conformance/", PERIOD)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["checked"], body["count"], body["results"]) == (5, 0, [])
    assert set(body["per_kind"].values()) == {0}


def test_a_broken_trace_is_listed(world):
    """An extra approval written behind the services' back: the stage ends twice."""
    done = world.dossiers[0]
    first = DossierEvent.objects.filter(dossier=done, action="approved").order_by("at", "id").first()
    DossierEvent.objects.create(
        dossier=done,
        at=first.at,
        action="approved",
        step=first.step,
        agency=first.agency,
        to_status="processing",
    )
    response = _client(world.supervisor).get("/api/v1/reports/conformance/", PERIOD)
    body = response.json()
    assert body["count"] == 1
    [row] = body["results"]
    assert row["code"] == done.code
    assert [d["kind"] for d in row["deviations"]] == ["stage_ended_twice"]
    assert _client(world.head_a).get("/api/v1/reports/conformance/", PERIOD).status_code == 403
