"""Who may open the Django admin and what its dossier lists show (issue 10, items 1 and 7).

The admin is for the ``admin`` role and superusers; other staff are not ``is_staff``. Every list
that shows dossiers (dossiers, viewflow's processes and tasks, notifications) is scoped by
``permissions.visible_dossiers``; dossiers, processes and tasks are never deleted through it.
"""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client
from viewflow.workflow.models import Process, Task

from notifications.models import Notification
from tests.factories import AgencyFactory, make_procedure
from tests.workflows.conftest import APPLICANT
from workflows import services
from workflows.models import Dossier, DossierStatus, DossierTask, StaffProfile, TaskStatus
from workflows.staff import staff_upsert

PASSWORD = "mật-khẩu-1"

LISTS = {
    "dossiers": "/admin/workflows/dossier/",
    "processes": "/admin/viewflow/process/",
    "tasks": "/admin/viewflow/task/",
    "notifications": "/admin/notifications/notification/",
}


@pytest.fixture
def world(clock, db):
    """Two agencies, each with a reception officer, a specialist and one registered dossier."""
    own, other = AgencyFactory(), AgencyFactory()
    users, dossiers = {}, {}
    for name, agency in (("own", own), ("other", other)):
        for role in ("reception", "specialist"):
            users[(name, role)], _ = staff_upsert(
                username=f"{role}_{name}", password=PASSWORD, agency_code=agency.code, roles=[role]
            )
        dossiers[name], _ = services.dossier_register(
            procedure=make_procedure(agency=agency),
            applicant={**APPLICANT, "name": f"Người nộp {name}"},
            channel="online",
            by=users[(name, "reception")],
        )
    return {"agencies": (own, other), "users": users, "dossiers": dossiers}


def notify_each(dossiers) -> None:
    """One e-mail to each dossier's applicant in the outbox (whatever registration queued)."""
    Notification.objects.all().delete()
    for dossier in dossiers:
        Notification.objects.create(
            kind="received",
            channel="email",
            address=APPLICANT["email"],
            recipient_key=f"addr:{dossier.pk}",
            dedupe_key=f"test:{dossier.pk}",
            dossier=dossier,
            created_at=dossier.received_at,
        )


def login(username: str) -> Client:
    """A real login through the admin's form, as a person would."""
    client = Client()
    client.post("/admin/login/?next=/admin/", {"username": username, "password": PASSWORD})
    return client


def listed(client: Client, what: str) -> set[int]:
    """The primary keys of the dossiers a list shows (processes and tasks mapped to their dossier)."""
    response = client.get(LISTS[what])
    assert response.status_code == 200, (what, response.status_code)
    rows = list(response.context["cl"].queryset)
    if what == "dossiers":
        return {row.pk for row in rows}
    if what == "processes":
        return set(Dossier.objects.filter(process__in=rows).values_list("pk", flat=True))
    if what == "tasks":
        return set(
            Dossier.objects.filter(process__in=[row.process_id for row in rows]).values_list("pk", flat=True)
        )
    return {row.dossier_id for row in rows}


def test_only_admins_and_superusers_are_staff(world):
    admin_user, _ = staff_upsert(
        username="qt", password=PASSWORD, agency_code=world["agencies"][0].code, roles=["admin"]
    )
    supervisor, _ = staff_upsert(
        username="ql", password=PASSWORD, agency_code=world["agencies"][0].code, roles=["supervisor"]
    )
    assert admin_user.is_staff and not supervisor.is_staff
    assert not any(user.is_staff for user in world["users"].values())
    # Losing the admin role loses the admin login.
    admin_user, _ = staff_upsert(
        username="qt", password=None, agency_code=world["agencies"][0].code, roles=["head"]
    )
    assert not get_user_model().objects.get(pk=admin_user.pk).is_staff


@pytest.mark.parametrize("what", list(LISTS))
def test_other_staff_cannot_open_the_admin(world, what):
    client = login("reception_other")
    response = client.get(LISTS[what])
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    detail = client.get(f"/admin/workflows/dossier/{world['dossiers']['own'].pk}/change/")
    assert detail.status_code == 302 and detail["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("what", list(LISTS))
def test_admin_role_and_superuser_see_every_dossier(world, what):
    notify_each(world["dossiers"].values())
    staff_upsert(username="qt", password=PASSWORD, agency_code=world["agencies"][1].code, roles=["admin"])
    get_user_model().objects.create_superuser("root", password=PASSWORD)
    everything = {dossier.pk for dossier in world["dossiers"].values()}
    assert listed(login("root"), what) == everything
    admin_client = login("qt")
    if what in ("dossiers", "processes"):
        assert listed(admin_client, what) == everything
    else:  # the admin role's permissions (migration 0003) do not include viewflow's tasks or the outbox
        assert admin_client.get(LISTS[what]).status_code == 403


@pytest.mark.parametrize("what", list(LISTS))
def test_a_staff_login_given_by_hand_still_sees_only_its_agency(world, what):
    """Defence in depth: an officer someone made ``is_staff`` (with every view permission) sees
    in each list only the dossiers the API would show them."""
    from django.contrib.auth.models import Permission

    user = world["users"][("other", "reception")]
    user.is_staff = True
    user.save()
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_dossier", "view_process", "view_task", "view_notification"]
        )
    )
    notify_each(world["dossiers"].values())
    client = login("reception_other")
    assert listed(client, what) == {world["dossiers"]["other"].pk}
    hidden = world["dossiers"]["own"]
    page = client.get(f"/admin/workflows/dossier/{hidden.pk}/change/")
    assert page.status_code == 302 and APPLICANT["id_number"] not in page.content.decode()
    assert client.get(f"/admin/viewflow/process/{hidden.process_id}/change/").status_code == 302


def test_the_migration_clears_is_staff_of_non_admin_staff(world):
    User = get_user_model()
    admin_user, _ = staff_upsert(
        username="qt", password=PASSWORD, agency_code=world["agencies"][0].code, roles=["admin"]
    )
    root = User.objects.create_superuser("root", password=PASSWORD)
    other_login = User.objects.create_user("kythuat", password=PASSWORD, is_staff=True)  # no role, no agency
    User.objects.filter(pk__in=[u.pk for u in world["users"].values()]).update(is_staff=True)
    migration = importlib.import_module("workflows.migrations.0006_admin_only_is_staff")
    migration.clear_is_staff(apps, None)
    staff = dict(User.objects.values_list("username", "is_staff"))
    assert not any(staff[user.username] for user in world["users"].values())
    assert staff[admin_user.username] and staff[root.username] and staff[other_login.username]


# --- item 7: nothing that records a public service is deleted through the admin ------------------


@pytest.fixture
def superuser_client(world):
    get_user_model().objects.create_superuser("root", password=PASSWORD)
    return login("root")


def test_processes_tasks_and_dossiers_cannot_be_deleted(world, superuser_client):
    dossier = world["dossiers"]["own"]
    task = DossierTask.objects.get(dossier=dossier)
    flow_task = Task.objects.get(pk=task.flow_task_id)
    pages = {
        f"/admin/viewflow/process/{dossier.process_id}/delete/": Process,
        f"/admin/viewflow/task/{flow_task.pk}/delete/": Task,
        f"/admin/workflows/dossier/{dossier.pk}/delete/": Dossier,
    }
    for url in pages:
        assert superuser_client.get(url).status_code == 403, url
        assert superuser_client.post(url, {"post": "yes"}).status_code == 403, url
    for changelist, pk in (
        ("/admin/viewflow/process/", dossier.process_id),
        ("/admin/viewflow/task/", flow_task.pk),
        ("/admin/workflows/dossier/", dossier.pk),
    ):
        page = superuser_client.get(changelist)
        assert "delete_selected" not in page.content.decode(), changelist
        superuser_client.post(
            changelist, {"action": "delete_selected", "_selected_action": [pk], "post": "yes"}
        )
    assert Process.objects.filter(pk=dossier.process_id).exists()
    assert Task.objects.filter(pk=flow_task.pk).exists()
    assert Dossier.objects.filter(pk=dossier.pk).exists()
    # And the dossier still completes.
    services.task_complete(task=task, by=world["users"][("own", "specialist")], decision="approve")
    dossier.refresh_from_db()
    task.refresh_from_db()
    assert (dossier.status, task.status) == (DossierStatus.RESULT_READY, TaskStatus.DONE)


def test_viewflow_records_are_read_only(world, superuser_client):
    process_id = world["dossiers"]["own"].process_id
    page = superuser_client.get(f"/admin/viewflow/process/{process_id}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    status = Process.objects.get(pk=process_id).status
    response = superuser_client.post(f"/admin/viewflow/process/{process_id}/change/", {"status": "CANCELED"})
    assert response.status_code == 403 and Process.objects.get(pk=process_id).status == status
    assert superuser_client.get("/admin/viewflow/process/add/").status_code == 403
    assert StaffProfile.objects.exists()  # the staff profiles stay administrable
    assert superuser_client.get("/admin/workflows/staffprofile/").status_code == 200
