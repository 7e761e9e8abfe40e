"""Who sees which page: anonymous visitors go to the login page, each role of the owning agency
gets its pages, another agency gets 403 (or an empty queue), and the server refuses what the UI
hides."""

from __future__ import annotations

import pytest

from workflows.models import DossierTask

pytestmark = pytest.mark.django_db


def _pages(dossier, task) -> list[str]:
    return [
        "/reception/",
        "/tasks/",
        "/tasks/?queue=unclaimed",
        f"/tasks/{task.pk}/",
        "/dossiers/",
        "/dossiers/?queue=overdue",
        f"/dossiers/{dossier.code}/",
        "/board/",
    ]


def test_anonymous_visitors_are_sent_to_the_login_page(client, register):
    dossier, _key = register()
    task = DossierTask.objects.get(dossier=dossier)
    assert client.get("/").url == "/login/"
    for url in _pages(dossier, task):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/login/?next="), url
    for url in [f"/tasks/{task.pk}/claim/", f"/dossiers/{dossier.code}/return/", "/reception/register/"]:
        assert client.post(url).url.startswith("/login/"), url
    assert client.get("/login/").status_code == 200


# role -> expected status per page (the order of _pages)
EXPECTED = {
    "reception": [200, 200, 200, 200, 200, 200, 200, 403],
    "specialist": [403, 200, 200, 200, 200, 200, 200, 403],
    "head": [403, 200, 200, 200, 200, 200, 200, 403],
    "supervisor": [403, 200, 200, 200, 200, 200, 200, 200],
    # Agency B has no task of this dossier yet (its step is in stage 2).
    "specialist_b": [403, 200, 200, 403, 200, 200, 403, 403],
    "head_b": [403, 200, 200, 403, 200, 200, 403, 403],
    "reception_b": [200, 200, 200, 403, 200, 200, 403, 403],
}


@pytest.mark.parametrize("role", EXPECTED)
def test_each_role_sees_its_pages(role, register, staff, login):
    dossier, _key = register()
    task = DossierTask.objects.get(dossier=dossier)
    client = login(staff[role])
    for url, expected in zip(_pages(dossier, task), EXPECTED[role], strict=True):
        assert client.get(url).status_code == expected, (role, url)


HOME = {"reception": "/reception/", "specialist": "/tasks/", "head": "/tasks/", "supervisor": "/board/"}


@pytest.mark.parametrize(("role", "home"), HOME.items())
def test_home_is_the_roles_queue(role, home, staff, login):
    assert login(staff[role]).get("/").url == home


def test_other_agencies_see_no_row_of_the_dossier(register, staff, login):
    dossier, _key = register()
    for role in ("specialist_b", "reception_b"):
        client = login(staff[role])
        for url in ["/dossiers/", "/tasks/?queue=unclaimed", f"/dossiers/?search={dossier.code}"]:
            assert f">{dossier.code}</a>" not in client.get(url).content.decode(), (role, url)
    assert (
        f">{dossier.code}</a>" in login(staff["specialist"]).get("/tasks/?queue=unclaimed").content.decode()
    )


def test_buttons_follow_the_permissions(register, staff, login):
    dossier, _key = register()
    task = DossierTask.objects.get(dossier=dossier)
    page = login(staff["specialist"]).get(f"/tasks/{task.pk}/").content.decode()
    assert 'data-testid="claim"' in page and 'data-testid="approve"' in page
    assert 'data-testid="send-back"' not in page  # the first stage has nothing to send back to
    assert 'data-testid="return-result"' not in page
    # A head of the same agency holds no specialist role: no decision, but the apology form.
    page = login(staff["head"]).get(f"/tasks/{task.pk}/").content.decode()
    assert 'data-testid="claim"' not in page and 'data-testid="approve"' not in page
    assert "/extend/" in page
    # The desk sees the dossier but may not decide the step.
    page = login(staff["reception"]).get(f"/tasks/{task.pk}/").content.decode()
    assert 'data-testid="approve"' not in page and "/withdraw/" in page
    # The supervisor may reassign.
    page = login(staff["supervisor"]).get(f"/tasks/{task.pk}/").content.decode()
    assert "/reassign/" in page and 'data-testid="approve"' not in page


def test_the_server_refuses_what_the_page_hides(register, staff, login):
    dossier, _key = register()
    task = DossierTask.objects.get(dossier=dossier)
    head = login(staff["head"])
    response = head.post(f"/tasks/{task.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 403
    assert "vai trò" in response.content.decode()
    assert DossierTask.objects.get(pk=task.pk).status == "open"
    other = login(staff["specialist_b"])
    assert other.post(f"/tasks/{task.pk}/claim/").status_code == 403
    assert other.post(f"/dossiers/{dossier.code}/withdraw/").status_code == 403
    assert login(staff["reception_b"]).post(f"/dossiers/{dossier.code}/return/").status_code == 403
    assert login(staff["specialist"]).post(f"/tasks/{task.pk}/reassign/", {"to_user": "x"}).status_code == 403
    assert login(staff["specialist"]).get("/tasks/999999/").status_code == 404
    assert login(staff["specialist"]).get("/dossiers/NOPE/").status_code == 404


def test_wrong_state_is_a_409_with_the_services_message(register, staff, login):
    dossier, _key = register()
    client = login(staff["reception"])
    response = client.post(f"/dossiers/{dossier.code}/return/")
    assert response.status_code == 409
    assert "chưa có kết quả" in response.content.decode()


def test_forms_need_csrf(register, staff, client):
    from django.test import Client

    dossier, _key = register()
    task = DossierTask.objects.get(dossier=dossier)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(staff["specialist"])
    assert strict.post(f"/tasks/{task.pk}/claim/").status_code == 403
    assert DossierTask.objects.get(pk=task.pk).owner_id is None
    page = strict.get(f"/tasks/{task.pk}/").content.decode()
    assert page.count('name="csrfmiddlewaretoken"') == page.count("<form")


def test_leadership_link_only_for_report_readers(staff, login):
    assert 'href="/dashboard/"' in login(staff["head"]).get("/tasks/").content.decode()
    assert 'href="/dashboard/"' in login(staff["supervisor"]).get("/board/").content.decode()
    assert 'href="/dashboard/"' not in login(staff["specialist"]).get("/tasks/").content.decode()
    assert 'href="/dashboard/"' not in login(staff["reception"]).get("/reception/").content.decode()
