"""The dossier detail's plain dict (api.detail_rows) is what DossierDetailOut gives; the detail
and the token authentication take a pinned number of queries."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from api import serializers as s
from api.authentication import StaffTokenAuthentication
from api.detail_rows import dossier_detail_row
from core.roles import agency_id_of
from workflows import selectors, services
from workflows.models import Dossier, DossierTask, TaskStatus

from .conftest import registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(staff, as_user, procedure):
    """A dossier with a claimed-then-finished step, a supplement asked for and received and an
    open step at another agency: owners, verdicts, events with and without an actor, a pause."""
    code = as_user(staff[(0, "reception")]).post("/api/v1/dossiers/", registration("1.001234"), format="json")
    code = code.json()["code"]
    specialist = staff[(0, "specialist")]

    def open_task():
        return DossierTask.objects.get(dossier__code=code, status=TaskStatus.OPEN)

    services.task_claim(task=open_task(), by=specialist)
    services.task_complete(
        task=open_task(),
        by=specialist,
        decision="request_supplement",
        missing_documents=[{"name": "Bản sao sổ hộ khẩu", "kind": "copy"}],
    )
    services.dossier_supplement_received(
        dossier=Dossier.objects.get(code=code), by=staff[(0, "reception")], documents=[{"name": "Bản sao"}]
    )
    services.task_complete(task=open_task(), by=specialist, decision="approve")
    return code


def test_the_plain_detail_is_the_serializers(busy, staff):
    for user in (staff["supervisor"], staff[(0, "head")], staff[(1, "specialist")]):
        dossier = selectors.dossier_detail(user=user, code=busy)
        plain = dossier_detail_row(dossier)
        assert plain == s.DossierDetailOut(dossier).data
        assert list(plain) == list(s.DossierDetailOut(dossier).data)  # the same order of keys
    assert plain["pauses"] and len(plain["tasks"]) >= 3 and any(t["owner"] for t in plain["tasks"])
    assert any(e["actor"] for e in plain["events"]) and any(t["verdict"] for t in plain["tasks"])
    Dossier.objects.filter(code=busy).update(processing_hours=12.5)
    dossier = selectors.dossier_detail(user=staff["supervisor"], code=busy)
    assert dossier_detail_row(dossier) == s.DossierDetailOut(dossier).data


def test_the_detail_over_the_api_takes_six_queries(busy, staff, as_user, django_assert_num_queries):
    client = as_user(staff[(0, "head")])
    # The token with its user and staff profile; the user's roles; the dossier; its tasks, its
    # events, its pauses. As many for a dossier with more tasks and events.
    with django_assert_num_queries(6):
        response = client.get(f"/api/v1/dossiers/{busy}/")
    assert response.status_code == 200 and response.json()["code"] == busy
    services.task_complete(
        task=DossierTask.objects.get(dossier__code=busy, status=TaskStatus.OPEN),
        by=staff[(1, "specialist")],
        decision="approve",
    )
    with django_assert_num_queries(6):
        assert client.get(f"/api/v1/dossiers/{busy}/").status_code == 200


def test_the_token_brings_the_staff_profile_and_refuses_what_drf_refuses(staff, django_assert_num_queries):
    head = staff[(0, "head")]
    token, _ = Token.objects.get_or_create(user=head)
    with django_assert_num_queries(1):  # the token, its user and the user's agency
        user, _ = StaffTokenAuthentication().authenticate_credentials(token.key)
        assert user == head and agency_id_of(user) == head.staff.agency_id
    assert APIClient(HTTP_AUTHORIZATION="Token nope").get("/api/v1/tasks/").status_code == 401
    outsider = get_user_model().objects.create_user(username="outsider", password="x")
    outsider_token, _ = Token.objects.get_or_create(user=outsider)
    assert (
        APIClient(HTTP_AUTHORIZATION=f"Token {outsider_token.key}").get("/api/v1/tasks/").status_code == 200
    )  # a user without a staff profile is authenticated and sees an empty inbox
    outsider.is_active = False
    outsider.save()
    assert (
        APIClient(HTTP_AUTHORIZATION=f"Token {outsider_token.key}").get("/api/v1/tasks/").status_code == 401
    )
