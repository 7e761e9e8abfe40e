"""The user admin (issue 10, items 4 and 5).

Only superusers grant superuser, staff or the ``admin`` role, or touch the account (and password)
of a superuser or an admin; enforced on the server, so these tests POST the forms. Staff who have
acted are deactivated, never deleted: the audit trail keeps who did what.
"""

import importlib

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.models import ProtectedError
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import AgencyFactory, make_procedure
from tests.workflows.conftest import APPLICANT
from workflows import services
from workflows.models import DossierEvent, DossierTask
from workflows.staff import staff_upsert

MIGRATION = ("workflows", "0007_event_actor_protected")
PASSWORD = "mật-khẩu-1"
User = get_user_model()


@pytest.fixture
def people(clock, db):
    agency = AgencyFactory()
    make = lambda name, role: staff_upsert(  # noqa: E731
        username=name, password=PASSWORD, agency_code=agency.code, roles=[role]
    )[0]
    return {
        "agency": agency,
        "qt": make("qt", "admin"),
        "qt2": make("qt2", "admin"),
        "lan": make("lan", "reception"),
        "root": User.objects.create_superuser("root", password=PASSWORD),
    }


def login(username: str) -> Client:
    client = Client()
    assert (
        client.post("/admin/login/?next=/admin/", {"username": username, "password": PASSWORD}).status_code
        == 302
    )
    return client


def change_form(user, **overrides) -> dict:
    """What the change form posts for ``user``, with ``overrides``."""
    data = {
        "username": user.username,
        "first_name": "Lan",
        "last_name": "Nguyễn",
        "email": "lan@example.vn",
        "is_active": "on",
        "date_joined_0": "2026-03-02",
        "date_joined_1": "08:00:00",
        "groups": [group.pk for group in user.groups.all()],
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def privileges(user) -> tuple:
    user = User.objects.get(pk=user.pk)
    return (
        user.is_superuser,
        user.is_staff,
        sorted(user.groups.values_list("name", flat=True)),
        user.user_permissions.count(),
        user.password,
    )


def test_an_admin_cannot_grant_superuser_staff_or_permissions(people):
    lan, client = people["lan"], login("qt")
    before = privileges(lan)
    page = client.get(f"/admin/auth/user/{lan.pk}/change/")
    assert page.status_code == 200 and 'name="is_superuser"' not in page.content.decode()
    posted = change_form(
        lan,
        is_superuser="on",
        is_staff="on",
        user_permissions=[Permission.objects.get(codename="change_user").pk],
    )
    assert client.post(f"/admin/auth/user/{lan.pk}/change/", posted).status_code == 302
    assert privileges(lan) == before  # saved, but the privileged fields were not taken
    assert User.objects.get(pk=lan.pk).first_name == "Lan"


def test_an_admin_grants_the_other_roles_but_not_admin(people):
    lan, client = people["lan"], login("qt")
    admin_group, head = Group.objects.get(name="admin"), Group.objects.get(name="head")
    response = client.post(f"/admin/auth/user/{lan.pk}/change/", change_form(lan, groups=[admin_group.pk]))
    assert response.status_code == 200 and response.context["adminform"].form.errors.get("groups")
    assert sorted(User.objects.get(pk=lan.pk).groups.values_list("name", flat=True)) == ["reception"]
    response = client.post(f"/admin/auth/user/{lan.pk}/change/", change_form(lan, groups=[head.pk]))
    assert response.status_code == 302
    assert sorted(User.objects.get(pk=lan.pk).groups.values_list("name", flat=True)) == ["head"]


def test_groups_an_admin_cannot_grant_stay_as_they_were(people):
    lan, client = people["lan"], login("qt")
    auditors = Group.objects.create(name="kiểm toán")
    lan.groups.add(auditors)
    specialist = Group.objects.get(name="specialist")
    assert (
        client.post(
            f"/admin/auth/user/{lan.pk}/change/", change_form(lan, groups=[specialist.pk])
        ).status_code
        == 302
    )
    assert sorted(User.objects.get(pk=lan.pk).groups.values_list("name", flat=True)) == [
        "kiểm toán",
        "specialist",
    ]


@pytest.mark.parametrize("target", ["qt", "qt2", "root"])
def test_an_admin_cannot_change_itself_another_admin_or_a_superuser(people, target):
    user, client = people[target], login("qt")
    before = privileges(user)
    response = client.post(
        f"/admin/auth/user/{user.pk}/change/", change_form(user, is_superuser="on", is_staff="on")
    )
    assert response.status_code == 403
    password = {"password1": "Mới-12345!x", "password2": "Mới-12345!x", "usable_password": "true"}
    assert client.post(f"/admin/auth/user/{user.pk}/password/", password).status_code == 403
    assert privileges(user) == before
    assert client.get(f"/admin/auth/user/{user.pk}/change/").status_code == 200  # still visible


def test_an_admin_changes_a_staff_password(people):
    lan, client = people["lan"], login("qt")
    password = {"password1": "Mới-12345!x", "password2": "Mới-12345!x", "usable_password": "true"}
    assert client.post(f"/admin/auth/user/{lan.pk}/password/", password).status_code == 302
    assert User.objects.get(pk=lan.pk).check_password("Mới-12345!x")


def test_a_superuser_grants_everything(people):
    lan, client = people["lan"], login("root")
    admin_group = Group.objects.get(name="admin")
    posted = change_form(lan, is_superuser="on", is_staff="on", groups=[admin_group.pk])
    assert client.post(f"/admin/auth/user/{lan.pk}/change/", posted).status_code == 302
    lan = User.objects.get(pk=lan.pk)
    assert lan.is_superuser and lan.is_staff and list(lan.groups.values_list("name", flat=True)) == ["admin"]
    password = {"password1": "Mới-12345!x", "password2": "Mới-12345!x", "usable_password": "true"}
    assert client.post(f"/admin/auth/user/{people['qt'].pk}/password/", password).status_code == 302


# --- item 5: who did what is never erased -------------------------------------------------------


@pytest.fixture
def acted(people):
    """A dossier registered by ``lan`` and claimed by a specialist: both have acted."""
    specialist, _ = staff_upsert(
        username="minh", password=PASSWORD, agency_code=people["agency"].code, roles=["specialist"]
    )
    dossier, _ = services.dossier_register(
        procedure=make_procedure(agency=people["agency"]),
        applicant=APPLICANT,
        channel="online",
        by=people["lan"],
    )
    services.task_claim(task=DossierTask.objects.get(dossier=dossier), by=specialist)
    return {"dossier": dossier, "reception": people["lan"], "specialist": specialist}


def test_each_event_keeps_the_actors_username(acted):
    events = DossierEvent.objects.filter(dossier=acted["dossier"]).order_by("at", "id")
    assert [(e.action, e.actor_username) for e in events] == [("registered", "lan"), ("claimed", "minh")]


def test_users_who_acted_cannot_be_deleted(acted):
    for user in (acted["reception"], acted["specialist"]):
        with pytest.raises(ProtectedError):
            User.objects.get(pk=user.pk).delete()
    events = DossierEvent.objects.filter(dossier=acted["dossier"])
    assert sorted(events.values_list("actor__username", flat=True)) == ["lan", "minh"]
    assert DossierTask.objects.get(dossier=acted["dossier"]).owner == acted["specialist"]


def test_the_admin_refuses_deletion_and_offers_deactivation(acted):
    client = login("root")
    lan = acted["reception"]
    response = client.post(f"/admin/auth/user/{lan.pk}/delete/", {"post": "yes"}, follow=True)
    assert response.redirect_chain[0][0] == f"/admin/auth/user/{lan.pk}/change/"
    assert "vô hiệu hóa" in response.content.decode()
    assert User.objects.filter(pk=lan.pk).exists()
    listing = client.get("/admin/auth/user/").content.decode()
    assert "delete_selected" not in listing and "deactivate_users" in listing
    client.post(
        "/admin/auth/user/", {"action": "delete_selected", "_selected_action": [lan.pk], "post": "yes"}
    )
    assert User.objects.filter(pk=lan.pk).exists()

    token = APIClient()
    token_response = token.post(
        "/api/v1/auth/token/", {"username": "lan", "password": PASSWORD}, format="json"
    )
    assert token_response.status_code == 200
    client.post("/admin/auth/user/", {"action": "deactivate_users", "_selected_action": [lan.pk]})
    assert not User.objects.get(pk=lan.pk).is_active
    token.credentials(HTTP_AUTHORIZATION=f"Token {token_response.json()['token']}")
    assert token.get("/api/v1/dossiers/").status_code == 401


def test_an_admin_cannot_deactivate_a_superuser(people):
    client = login("qt")
    client.post(
        "/admin/auth/user/",
        {"action": "deactivate_users", "_selected_action": [people["root"].pk, people["lan"].pk]},
    )
    assert User.objects.get(pk=people["root"].pk).is_active
    assert not User.objects.get(pk=people["lan"].pk).is_active


def test_a_user_who_never_acted_can_still_be_deleted(people):
    client = login("root")
    lan = people["lan"]
    assert client.post(f"/admin/auth/user/{lan.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not User.objects.filter(pk=lan.pk).exists()


def test_the_migration_backfills_usernames(acted):
    # The migration ran before the trail became append-only (0010's trigger, the model's guard):
    # blank the usernames as the events of before 0007 were and run it on 0007's models, with the
    # trigger off in this transaction (as a DBA repairing rows must).
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending on the table
            cursor.execute("ALTER TABLE workflows_dossierevent DISABLE TRIGGER dossierevent_append_only")
        cursor.execute("UPDATE workflows_dossierevent SET actor_username = ''")
        migration = importlib.import_module("workflows.migrations.0007_event_actor_protected")
        migration.backfill_actor_username(MigrationLoader(connection).project_state(MIGRATION).apps, None)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE workflows_dossierevent ENABLE TRIGGER dossierevent_append_only")
    events = DossierEvent.objects.filter(dossier=acted["dossier"]).order_by("at", "id")
    assert list(events.values_list("actor_username", flat=True)) == ["lan", "minh"]
