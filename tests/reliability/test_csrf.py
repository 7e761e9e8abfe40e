"""CSRF on every session-authenticated write: each unsafe API endpoint and each UI form, posted
with a logged-in session and no CSRF token, is refused with 403 by the CSRF check (its message says
so, not a permission's) and writes nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import resolve
from rest_framework.authentication import SessionAuthentication

from workflows.models import DossierEvent

from . import access_world, figures
from .test_access_pages import NOT_PAGES
from .test_access_table import TABLE

pytestmark = pytest.mark.django_db

# The UI's unsafe URLs: every POST form (the names of test_access_pages.NOT_PAGES that take a POST).
UI_FORMS = {
    "staffui:login": lambda w: "/login/",
    "staffui:logout": lambda w: "/logout/",
    "staffui:set_language": lambda w: "/i18n/setlang/",
    "staffui:register": lambda w: "/reception/register/",
    "staffui:task-claim": lambda w: f"/tasks/{w.task('stage1', 'owner').pk}/claim/",
    "staffui:task-release": lambda w: f"/tasks/{w.task('claimed', 'parallel').pk}/release/",
    "staffui:task-decide": lambda w: f"/tasks/{w.task('stage1', 'owner').pk}/decide/",
    "staffui:task-reassign": lambda w: f"/tasks/{w.task('stage1', 'owner').pk}/reassign/",
    "staffui:dossier-supplement": lambda w: f"/dossiers/{w.dossiers['waiting'].code}/supplement/",
    "staffui:dossier-withdraw": lambda w: f"/dossiers/{w.dossiers['stage1'].code}/withdraw/",
    "staffui:dossier-return": lambda w: f"/dossiers/{w.dossiers['ready'].code}/return/",
    "staffui:dossier-extend": lambda w: f"/dossiers/{w.dossiers['stage1'].code}/extend/",
    "staffui:portal-retry": lambda w: "/board/portal/1/retry/",
    "citizen:lookup": lambda w: "/tra-cuu/",
    "citizen:rate": lambda w: f"/tra-cuu/{w.dossiers['returned'].code}/danh-gia/",
}


def _session(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _uses_session(path: str) -> bool:
    view = resolve(path).func.cls
    return any(
        issubclass(cls, SessionAuthentication) for cls in view().get_authenticators().__class__.__mro__
    ) or any(isinstance(auth, SessionAuthentication) for auth in view().get_authenticators())


def test_every_unsafe_api_endpoint_needs_the_token_with_a_session(clock):
    world = access_world.build()
    user = world.users["supervisor"]
    events = DossierEvent.objects.count()
    refused, exempt = [], []
    for row in (row for row in TABLE if row.method == "POST"):
        path = row.path(world)
        if not _uses_session(path):
            exempt.append(row.name)  # no session authentication: a session cannot act there
            continue
        response = _session(user).post(
            path, row.body(world) if row.body else {}, content_type="application/json"
        )
        assert response.status_code == 403, (row.name, response.status_code)
        assert response.json()["error"]["code"] == "permission_denied"
        assert "CSRF" in response.json()["error"]["message"], row.name
        refused.append(row.name)
    assert DossierEvent.objects.count() == events
    # The token endpoint and the citizen's endpoints do not read the session at all.
    assert set(exempt) == {"auth-token", "public-rating"}
    assert len(refused) == len([r for r in TABLE if r.method == "POST"]) - 2
    figures.add(authorization_cases=len(refused))


@pytest.mark.parametrize("name", sorted(UI_FORMS))
def test_every_ui_form_needs_the_token(clock, name):
    world = access_world.build()
    user = (
        world.users["supervisor"]
        if name.startswith(("staffui:task", "staffui:portal"))
        else world.users["owner_reception"]
    )
    events = DossierEvent.objects.count()
    client = (
        _session(user)
        if name not in ("staffui:login", "citizen:lookup", "citizen:rate")
        else Client(enforce_csrf_checks=True)
    )
    response = client.post(UI_FORMS[name](world), {"code": world.dossiers["stage1"].code, "score": 5})
    assert response.status_code == 403
    assert b"CSRF" in response.content  # Django's CSRF failure page, not a permission refusal
    assert DossierEvent.objects.count() == events
    figures.add(authorization_cases=1)


def test_every_ui_form_is_listed():
    assert {name for name in NOT_PAGES if name != "staffui:home"} == set(UI_FORMS) - {
        "citizen:lookup",
        "staffui:login",
    }
