"""The staff notification API and the supervisors' deadline queue: who may see what."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from core.roles import Role
from notifications.models import Notification
from notifications.sweep import sweep_deadlines
from tests.factories import AgencyFactory, make_procedure
from tests.notifications.factories import make_dossier, make_staff, make_task

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def late_world():
    """A dossier and a task that are already late, swept now."""
    agency = AgencyFactory()
    head = make_staff(role=Role.HEAD, agency=agency)
    supervisor = make_staff(role=Role.SUPERVISOR, agency=agency)
    specialist = make_staff(role=Role.SPECIALIST, agency=agency)
    now = timezone.now()
    dossier = make_dossier(procedure=make_procedure(agency=agency), due_at=now - dt.timedelta(hours=1))
    task = make_task(dossier=dossier, due_at=now - dt.timedelta(hours=2), owner=specialist)
    sweep_deadlines(as_of=now, due_soon_hours=8)
    return {
        "head": head,
        "supervisor": supervisor,
        "specialist": specialist,
        "dossier": dossier,
        "task": task,
    }


def test_a_user_lists_only_their_own_in_app_notifications(late_world):
    response = client_for(late_world["head"]).get("/api/v1/notifications/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert {row["kind"] for row in body["results"]} == {"task_overdue", "dossier_overdue"}
    row = next(r for r in body["results"] if r["kind"] == "task_overdue")
    assert row["dossier_code"] == late_world["dossier"].code
    assert row["text"].startswith(f"Quá hạn: hồ sơ {late_world['dossier'].code}, bước")
    assert client_for(late_world["specialist"]).get("/api/v1/notifications/").json()["count"] == 0


def test_mark_read_and_filter_unread(late_world):
    client = client_for(late_world["head"])
    first = client.get("/api/v1/notifications/").json()["results"][0]

    response = client.post(f"/api/v1/notifications/{first['id']}/read/")
    assert response.status_code == 200 and response.json()["read_at"] is not None
    read_at = response.json()["read_at"]
    assert client.post(f"/api/v1/notifications/{first['id']}/read/").json()["read_at"] == read_at

    unread = client.get("/api/v1/notifications/?unread=true").json()
    assert [r["id"] for r in unread["results"]] != [] and first["id"] not in [
        r["id"] for r in unread["results"]
    ]
    assert [r["id"] for r in client.get("/api/v1/notifications/?unread=false").json()["results"]] == [
        first["id"]
    ]


def test_someone_elses_notification_is_not_found(late_world):
    theirs = Notification.objects.filter(recipient=late_world["head"]).first()

    response = client_for(late_world["specialist"]).post(f"/api/v1/notifications/{theirs.id}/read/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_bad_filter_is_a_400_naming_the_parameter(late_world):
    response = client_for(late_world["head"]).get("/api/v1/notifications/?unread=maybe")
    assert response.status_code == 400
    assert "unread" in response.json()["error"]["fields"]


def test_anonymous_users_are_refused():
    for url in ("/api/v1/notifications/", "/api/v1/monitoring/queue/"):
        response = APIClient().get(url)
        assert response.status_code in (401, 403)
        assert "error" in response.json()


def test_the_queue_is_for_supervisors_only(late_world):
    for user in (late_world["specialist"], late_world["head"]):
        response = client_for(user).get("/api/v1/monitoring/queue/")
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "permission_denied"


def test_the_queue_lists_late_and_due_soon_items_most_urgent_first(late_world):
    soon = make_task(
        dossier=late_world["dossier"], due_at=timezone.now() + dt.timedelta(minutes=30), owner=None
    )
    client = client_for(late_world["supervisor"])

    body = client.get("/api/v1/monitoring/queue/").json()

    assert body["count"] == 3
    assert [(r["item"], r["state"]) for r in body["results"]][:2] == [
        ("task", "overdue"),
        ("dossier", "overdue"),
    ]
    last = body["results"][2]
    assert (last["task"], last["state"], last["due_soon_notified_at"]) == (soon.id, "due_soon", None)
    assert body["results"][0]["overdue_notified_at"] is not None

    tasks_only = client.get("/api/v1/monitoring/queue/?item=task&state=overdue").json()
    assert [r["task"] for r in tasks_only["results"]] == [late_world["task"].id]
    assert client.get("/api/v1/monitoring/queue/?state=late").status_code == 400
