"""Every staff UI page, the leadership dashboard, the citizen pages and every admin changelist, as
every kind of user of the access table: a page answers 200 only where ``workflows.permissions``
allows it (the admin: only ``is_staff`` users, i.e. superusers and the admin role), anonymous
callers are sent to a login page, and personal data appears only where VIEW_PERSONAL_DATA allows.
A guard test fails when a page (URL name of staffui, citizen, leadership) is missing here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from workflows.permissions import Action, agency_id_of, can

from . import access_world, figures
from .test_access_table import _leaks

pytestmark = pytest.mark.django_db


def logged_in(user, world) -> bool:
    return user.is_authenticated


def anyone(user, world) -> bool:
    return True


def may(action: Action, obj: Callable[[Any, access_world.World], Any] | None = None):
    return lambda user, world: user.is_authenticated and can(user, action, obj(user, world) if obj else None)


def own_agency(user, world):
    return agency_id_of(user)


def registered_by(user, world) -> bool:
    dossier = world.fresh("stage1")
    return (
        user.is_authenticated and dossier.created_by_id == user.pk and can(user, Action.VIEW_DOSSIER, dossier)
    )


class Agency:
    def __init__(self, pk):
        self.pk = pk


# (URL name, path, who gets a 200); POST-only URLs are in the CSRF test (test_csrf.py).
PAGES: list[tuple[str, Callable[[access_world.World], str], Callable]] = [
    ("staffui:login", lambda w: "/login/", lambda user, w: not user.is_authenticated),  # others: sent on
    ("staffui:reception", lambda w: "/reception/",
     lambda user, w: user.is_authenticated and agency_id_of(user) is not None
     and can(user, Action.REGISTER, Agency(agency_id_of(user)))),
    ("staffui:registered", lambda w: f"/reception/registered/{w.dossiers['stage1'].code}/", registered_by),
    ("staffui:tasks", lambda w: "/tasks/", logged_in),
    ("staffui:task", lambda w: f"/tasks/{w.task('parallel', 'parallel').pk}/",
     may(Action.VIEW_DOSSIER, lambda u, w: w.fresh("parallel"))),
    ("staffui:dossiers", lambda w: "/dossiers/", logged_in),
    ("staffui:dossier", lambda w: f"/dossiers/{w.dossiers['parallel'].code}/",
     may(Action.VIEW_DOSSIER, lambda u, w: w.fresh("parallel"))),
    ("staffui:board", lambda w: "/board/", may(Action.VIEW_MONITORING)),
    ("staffui:portal", lambda w: "/board/portal/", may(Action.MANAGE_PORTAL_SYNC)),
    ("leadership:dashboard", lambda w: "/dashboard/", may(Action.VIEW_AGENCY_REPORTS)),
    ("leadership:what-if", lambda w: "/dashboard/what-if/", may(Action.VIEW_AGENCY_REPORTS)),
    ("citizen:lookup", lambda w: "/tra-cuu/", anyone),
    ("citizen:direct", lambda w: f"/tra-cuu/{w.dossiers['parallel'].code}/?key={w.keys['parallel']}", anyone),
]  # fmt: skip
NOT_PAGES = {  # redirects and POST-only forms (the CSRF test sends them)
    "staffui:home", "staffui:logout", "staffui:set_language", "staffui:register", "staffui:task-claim",
    "staffui:task-release", "staffui:task-decide", "staffui:task-reassign", "staffui:dossier-supplement",
    "staffui:dossier-withdraw", "staffui:dossier-return", "staffui:dossier-extend", "citizen:rate",
    "staffui:portal-retry",
}  # fmt: skip


def _client(user, n: int) -> Client:
    client = Client(REMOTE_ADDR=f"10.1.{n // 250}.{n % 250}")
    if user.is_authenticated:
        client.force_login(user)
    return client


def _check(response, expected, user, world, label, what) -> list[str]:
    wrong = []
    if response.status_code >= 500 or (response.status_code == 200) != expected:
        wrong.append(f"{what} as {label}: {response.status_code}, allowed={expected}")
    if not user.is_authenticated and not expected and response.status_code not in (302, 404):
        wrong.append(f"{what} as anonymous: {response.status_code}, not sent to a login page")
    if response.status_code == 200 and (leaks := _leaks(response.content, user, world)):
        wrong.append(f"{what} as {label}: personal data of {leaks}")
    return wrong


def test_every_page_as_every_user(clock):
    world = access_world.build()
    wrong, n = [], 0
    for name, path, allowed in PAGES:
        for label, user in world.users.items():
            n += 1
            response = _client(user, n).get(path(world))
            wrong += _check(response, allowed(user, world), user, world, label, name)
    figures.add(authorization_cases=n, invariant_violations=len(wrong))
    assert not wrong, "\n".join(wrong)


def test_every_admin_changelist_as_every_user(clock):
    world = access_world.build()
    wrong, n = [], 0
    for model, model_admin in admin.site._registry.items():
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for label, user in world.users.items():
            n += 1
            request = RequestFactory().get(url)
            request.user = user
            expected = bool(
                user.is_authenticated and user.is_active and user.is_staff
                and model_admin.has_view_or_change_permission(request)
            )  # fmt: skip
            # Only superusers and the admin role reach the admin at all (issue 10 #1).
            assert not expected or can(user, Action.MANAGE_CATALOG), (url, label)
            wrong += _check(_client(user, n).get(url), expected, user, world, label, url)
    figures.add(authorization_cases=n, invariant_violations=len(wrong))
    assert not wrong, "\n".join(wrong)


def _names(patterns, namespace="") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            names |= _names(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and namespace in ("staffui", "citizen", "leadership"):
            names.add(f"{namespace}:{pattern.name}")
    return names


def test_every_page_is_in_the_table():
    assert _names(get_resolver().url_patterns) == {name for name, _, _ in PAGES} | NOT_PAGES
