"""A table of nasty inputs against every write endpoint (issue 10): wrong types, NUL bytes, huge
lists, deep nesting, naive datetimes, extreme dates, non-ASCII digits. Each is a 400 (or 413) in
the error shape, and nothing is written: no row in any table, no change to the dossier."""

import datetime as dt
import json

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from api import auth
from api import serializers as s
from notifications.models import Notification
from workflows.models import (
    Dossier,
    DossierEvent,
    DossierExtension,
    DossierPause,
    DossierRating,
    DossierTask,
)

from .conftest import registration

pytestmark = pytest.mark.django_db

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _strings(value, change):
    """``value`` with ``change`` applied to every string in it, at any depth."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, list):
        return [_strings(item, change) for item in value]
    if isinstance(value, dict):
        return {key: _strings(item, change) for key, item in value.items()}
    return value


def _deep(body: dict) -> str:
    first = next(iter(body))
    rest = json.dumps({key: value for key, value in body.items() if key != first})[1:]
    return '{"' + first + '": ' + "[" * 1000 + "]" * 1000 + (", " + rest if rest != "}" else "}")


# name -> body -> JSON text. Each applies to every endpoint.
GENERIC = {
    "a list instead of an object": lambda body: json.dumps([body]),
    "a string instead of an object": lambda body: json.dumps("x"),
    "null": lambda body: "null",
    "objects instead of strings": lambda body: json.dumps(_strings(body, lambda v: {"$ne": v})),
    "huge lists instead of strings": lambda body: json.dumps(_strings(body, lambda v: [v[:3]] * 5000)),
    "NUL bytes in every string": lambda body: json.dumps(_strings(body, lambda v: v + "\x00")),
    "lone surrogates in every string": lambda body: json.dumps(_strings(body, lambda v: v + "\ud800")),
    "nesting 1000 deep": _deep,
    "not JSON": lambda body: json.dumps(body)[:-1],
    "NaN": lambda body: json.dumps(body)[:-1] + ', "x": NaN}',
}


def _with(**changes):
    return lambda body: json.dumps({**body, **changes})


def _applicant(**changes):
    return lambda body: json.dumps({**body, "applicant": {**body["applicant"], **changes}})


INTAKE = {
    "naive received_at": _with(received_at="2026-03-02T08:00:00"),
    "received_at in year 9999": _with(received_at="9999-12-31T23:59:59+07:00"),
    "received_at in year 1": _with(received_at="0001-01-01T00:00:00+07:00"),
    "received_at as a number": _with(received_at=1772413200),
    "full-width ID number": _applicant(id_number="079190001234".translate(FULL_WIDTH)),
    "Arabic-Indic phone": _applicant(phone="0905123456".translate(ARABIC_INDIC)),
    "201 documents": _with(documents=[{"name": "Giấy"}] * 201),
    "a document count in Arabic-Indic digits": _with(documents=[{"name": "Tờ khai", "count": "٣"}]),
    "a count beyond the integers": _with(documents=[{"name": "Tờ khai", "count": 10**30}]),
    "the applicant as a list": _with(applicant=[1, 2, 3]),
}
SPECIFIC = {
    "token": {
        "username as a list": _with(username=["reception0"]),
        "a 151-character username": _with(username="u" * 151),
    },
    "register": {**INTAKE, "201 completed on the spot": _with(completed_on_spot=[{"name": "Giấy"}] * 201)},
    "refusal": {**INTAKE, "51 reasons": _with(reasons=["Thiếu."] * 51), "no reasons": _with(reasons=[])},
    "supplement": {
        "201 documents": _with(documents=[{"name": "Giấy"}] * 201),
        "documents as a dict": _with(documents={"name": "Giấy"}),
    },
    "extend": {
        "naive new_due_at": _with(new_due_at="2026-12-04T10:00:00"),
        "a date only": _with(new_due_at="2026-12-04"),
        "new_due_at in year 9999": _with(new_due_at="9999-12-31T23:59:59+07:00"),
        "new_due_at in year 1": _with(new_due_at="0001-01-01T00:00:00-12:00"),
        "a 5001-character reason": _with(reason="x" * 5001),
    },
    "withdraw": {
        "a 5001-character reason": _with(reason="x" * 5001),
        "reason as a number": _with(reason=True),
    },
    "complete": {
        "51 missing documents": _with(missing_documents=[{"name": "Giấy"}] * 51),
        "51 reasons": _with(decision="refuse", reasons=["Không đạt."] * 51),
        "a 5001-character note": _with(note="x" * 5001),
        "an unknown decision": _with(decision="approve\x00"),
    },
    "reassign": {"to_user as an object": _with(to_user={"username": "specialist0"})},
    "rating": {
        "score in Arabic-Indic digits": _with(score="٥"),
        "score in full-width digits": _with(score="５"),
        "score as a float": _with(score=4.5),
        "a 2001-character comment": _with(comment="x" * 2001),
    },
}
CASES = [(endpoint, name) for endpoint in SPECIFIC for name in [*GENERIC, *SPECIFIC[endpoint]]]

# Each endpoint's input serializer, to check its base body is valid (so each case tests its change).
SERIALIZERS = {
    "token": auth.TokenRequestSerializer,
    "register": s.DossierCreateIn,
    "refusal": s.RefusalIn,
    "supplement": s.SupplementIn,
    "extend": s.ExtendIn,
    "withdraw": s.WithdrawIn,
    "complete": s.DecisionIn,
    "reassign": s.ReassignIn,
    "rating": s.RatingIn,
}
TABLES = (
    Dossier,
    DossierEvent,
    DossierTask,
    DossierPause,
    DossierExtension,
    DossierRating,
    Notification,
    Token,
)


@pytest.fixture
def world(staff, as_user, procedure):
    """A registered dossier (its open task, code and key) and, per endpoint, (client, url, body)."""
    reception = as_user(staff[(0, "reception")])
    receipt = reception.post("/api/v1/dossiers/", registration("1.001234"), format="json").json()
    code, task_id = receipt["code"], receipt["open_tasks"][0]["id"]
    new_due = (dt.datetime.fromisoformat(receipt["due_at"]) + dt.timedelta(days=2)).isoformat()
    supervisor = as_user(staff["supervisor"])
    return {
        "token": (as_user(None), "/api/v1/auth/token/", {"username": "reception0", "password": "x"}),
        "register": (reception, "/api/v1/dossiers/", registration("1.001234")),
        "refusal": (reception, "/api/v1/dossiers/refusals/", registration("1.001234", reasons=["Thiếu."])),
        "supplement": (reception, f"/api/v1/dossiers/{code}/supplement/", {"documents": [{"name": "Giấy"}]}),
        "extend": (
            as_user(staff[(0, "head")]),
            f"/api/v1/dossiers/{code}/extend/",
            {"new_due_at": new_due, "reason": "Chờ xác minh."},
        ),
        "withdraw": (reception, f"/api/v1/dossiers/{code}/withdraw/", {"reason": "Không cần nữa."}),
        "complete": (
            as_user(staff[(0, "specialist")]),
            f"/api/v1/tasks/{task_id}/complete/",
            {"decision": "request_supplement", "note": "Thiếu.", "missing_documents": [{"name": "Giấy"}]},
        ),
        "reassign": (supervisor, f"/api/v1/tasks/{task_id}/reassign/", {"to_user": "specialist0"}),
        "rating": (
            as_user(None),
            f"/api/v1/public/dossiers/{code}/rating/",
            {"key": receipt["lookup_key"], "score": 5, "comment": "Nhanh."},
        ),
    }


def _snapshot(code: str) -> tuple:
    counts = tuple(model.objects.count() for model in TABLES)
    dossier = Dossier.objects.values("status", "due_at", "updated_at", "documents").get(code=code)
    task = DossierTask.objects.values("status", "owner_id").get()
    return counts, dossier, task, get_user_model().objects.filter(last_login__isnull=False).count()


def test_every_base_body_is_valid_input(world):
    for endpoint, (_, _, body) in world.items():
        serializer = SERIALIZERS[endpoint](data=body)
        assert serializer.is_valid(), (endpoint, serializer.errors)


@pytest.mark.parametrize(("endpoint", "case"), CASES, ids=[f"{e}: {c}" for e, c in CASES])
def test_a_nasty_input_is_a_4xx_in_the_error_shape_and_writes_nothing(world, endpoint, case):
    client, url, body = world[endpoint]
    code = Dossier.objects.get().code
    before = _snapshot(code)
    mutate = GENERIC.get(case) or SPECIFIC[endpoint][case]
    response = client.post(url, mutate(body), content_type="application/json")
    assert response.status_code in (400, 413), (response.status_code, response.content[:300])
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"} and error["message"]
    assert _snapshot(code) == before
