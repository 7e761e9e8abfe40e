"""One table over every API endpoint, as every kind of user (issue 15, "Access"): only the
combinations ``workflows.permissions`` allows succeed, and the applicant's personal data appears in
a body only where ``can(user, VIEW_PERSONAL_DATA, dossier)``. The guard test fails when an
endpoint (from the URL resolver and from the OpenAPI schema) is missing from the table.

Each write runs in a savepoint rolled back afterwards, so every user meets the same state."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from workflows.permissions import Action, can

from . import access_world, figures

NEW_DUE = "2026-03-20T17:00:00+07:00"


@dataclass(frozen=True)
class Row:
    name: str  # the URL name in the ``api`` namespace
    method: str
    path: Callable[[access_world.World], str]
    allowed: Callable[[Any, access_world.World], bool]  # from the permissions module, never hard-coded
    body: Callable[[access_world.World], dict] | None = None
    params: dict | None = None


def anyone(user, world) -> bool:
    return True


def staff(user, world) -> bool:
    return user.is_authenticated


def may(action: Action, obj: Callable[[access_world.World], Any] | None = None):
    return lambda user, world: user.is_authenticated and can(user, action, obj(world) if obj else None)


def reports(user, world) -> bool:
    return user.is_authenticated and (
        can(user, Action.VIEW_PROVINCE_REPORTS) or can(user, Action.VIEW_AGENCY_REPORTS)
    )


def code(name):
    return lambda world: world.dossiers[name].code


def task(name, agency):
    return lambda world: world.task(name, agency)


PERIOD = {"from": "2026-01-01", "to": "2026-12-31"}
WHAT_IF = lambda world: {"procedure": world.procedure.code, "value": 3, "unit": "working_days", **PERIOD}  # noqa: E731
PERIODIC = lambda world: {"kind": "quarter", "year": 2026, "number": 1}  # noqa: E731


def province_package(world):
    """A province package of the first quarter, built once for the world (supervisors see it)."""
    if not hasattr(world, "_package"):
        from periodic.services import package_build

        world._package, _ = package_build(kind="quarter", year=2026, number=1)
    return world._package


def sync_row(world):
    """A failed row of the national portal's outbox for the parallel dossier (the portal is off in
    the tests, so no transition writes one)."""
    if not hasattr(world, "_sync_row"):
        from django.utils import timezone

        from portal.models import SyncKind, SyncRow, SyncStatus

        world._sync_row = SyncRow.objects.create(
            dossier=world.dossiers["parallel"], sequence=1, kind=SyncKind.DOSSIER, portal_status=2,
            payload={}, status=SyncStatus.FAILED, attempts=20, created_at=timezone.now(),
        )  # fmt: skip
    return world._sync_row


REGISTRATION = lambda world: {  # noqa: E731
    "procedure": world.procedure.code,
    "applicant": access_world.applicant(99),
    "channel": "in_person",
    "documents": access_world.DOCUMENTS,
}
REFUSAL = lambda world: {**REGISTRATION(world), "reasons": ["Thiếu giấy tờ"]}  # noqa: E731
SUPPLEMENT = lambda world: {"documents": access_world.DOCUMENTS}  # noqa: E731
EXTENSION = lambda world: {"new_due_at": NEW_DUE, "reason": "Chậm"}  # noqa: E731
REASSIGN = lambda world: {"to_user": "parallel_specialist"}  # noqa: E731

TABLE = [
    Row("auth-token", "POST", lambda w: "/api/v1/auth/token/", staff),  # body: the caller's own password
    Row("procedure-list", "GET", lambda w: "/api/v1/procedures/", anyone),
    Row("procedure-detail", "GET", lambda w: f"/api/v1/procedures/{w.procedure.code}/", anyone),
    Row("calendar-due-date", "GET", lambda w: "/api/v1/calendar/due-date/", anyone,
        params={"start": "2026-03-02T09:00:00+07:00", "value": 3, "unit": "working_days"}),
    Row("dossier-list", "GET", lambda w: "/api/v1/dossiers/", staff),
    Row("dossier-list", "POST", lambda w: "/api/v1/dossiers/", may(Action.REGISTER, lambda w: w.procedure),
        body=REGISTRATION),
    Row("dossier-refusals", "POST", lambda w: "/api/v1/dossiers/refusals/",
        may(Action.REGISTER, lambda w: w.procedure), body=REFUSAL),
    Row("dossier-detail", "GET", lambda w: f"/api/v1/dossiers/{code('parallel')(w)}/",
        may(Action.VIEW_DOSSIER, lambda w: w.fresh("parallel"))),
    Row("dossier-supplement", "POST", lambda w: f"/api/v1/dossiers/{code('waiting')(w)}/supplement/",
        may(Action.RECEIVE_SUPPLEMENT, lambda w: w.fresh("waiting")), body=SUPPLEMENT),
    Row("dossier-extend", "POST", lambda w: f"/api/v1/dossiers/{code('parallel')(w)}/extend/",
        may(Action.EXTEND, lambda w: w.fresh("parallel")), body=EXTENSION),
    Row("dossier-withdraw", "POST", lambda w: f"/api/v1/dossiers/{code('parallel')(w)}/withdraw/",
        may(Action.WITHDRAW, lambda w: w.fresh("parallel")), body=lambda w: {"reason": "Rút"}),
    Row("dossier-return-result", "POST", lambda w: f"/api/v1/dossiers/{code('ready')(w)}/return-result/",
        may(Action.RETURN_RESULT, lambda w: w.fresh("ready"))),
    Row("dossier-form", "GET", lambda w: f"/api/v1/dossiers/{code('parallel')(w)}/forms/control-sheet.pdf",
        may(Action.VIEW_DOSSIER, lambda w: w.fresh("parallel"))),
    Row("task-list", "GET", lambda w: "/api/v1/tasks/", staff),
    Row("task-claim", "POST", lambda w: f"/api/v1/tasks/{task('parallel', 'parallel')(w).pk}/claim/",
        may(Action.CLAIM, task("parallel", "parallel"))),
    Row("task-release", "POST", lambda w: f"/api/v1/tasks/{task('claimed', 'parallel')(w).pk}/release/",
        may(Action.RELEASE, task("claimed", "parallel"))),
    Row("task-complete", "POST", lambda w: f"/api/v1/tasks/{task('parallel', 'parallel')(w).pk}/complete/",
        may(Action.COMPLETE, task("parallel", "parallel")), body=lambda w: {"decision": "approve"}),
    Row("task-reassign", "POST", lambda w: f"/api/v1/tasks/{task('parallel', 'parallel')(w).pk}/reassign/",
        may(Action.REASSIGN, task("parallel", "parallel")), body=REASSIGN),
    Row("public-dossier", "GET", lambda w: f"/api/v1/public/dossiers/{code('parallel')(w)}/", anyone),
    Row("public-rating", "POST", lambda w: f"/api/v1/public/dossiers/{code('returned')(w)}/rating/", anyone,
        body=lambda w: {"key": w.keys["returned"], "score": 5}),
    Row("notification-list", "GET", lambda w: "/api/v1/notifications/", staff),
    Row("notification-read", "POST", lambda w: f"/api/v1/notifications/{w.notification.pk}/read/",
        lambda user, w: user.is_authenticated and user.pk == w.notification.recipient_id),
    Row("monitoring-queue", "GET", lambda w: "/api/v1/monitoring/queue/", may(Action.VIEW_MONITORING)),
    Row("report-tracking-book", "GET", lambda w: "/api/v1/reports/tracking-book/",
        may(Action.PRINT_TRACKING_BOOK, lambda w: w.agencies["owner"]),
        params=lambda w: {"agency": w.agencies["owner"].code, **PERIOD}),
    Row("report-what-if", "GET", lambda w: "/api/v1/reports/what-if/",
        may(Action.VIEW_AGENCY_REPORTS, lambda w: w.procedure.receiving_agency), params=WHAT_IF),
    Row("report-periodic", "GET", lambda w: "/api/v1/reports/periodic/", reports),
    Row("report-periodic", "POST", lambda w: "/api/v1/reports/periodic/", may(Action.BUILD_PERIODIC_REPORTS),
        body=PERIODIC),
    Row("report-periodic-file", "GET", lambda w: f"/api/v1/reports/periodic/{province_package(w).pk}/xlsx",
        may(Action.VIEW_PROVINCE_REPORTS)),
    Row("report-event-log", "GET", lambda w: "/api/v1/reports/event-log/", may(Action.VIEW_PROVINCE_REPORTS),
        params={**PERIOD, "format": "ocel"}),
    Row("report-conformance", "GET", lambda w: "/api/v1/reports/conformance/",
        may(Action.VIEW_PROVINCE_REPORTS), params=PERIOD),
    Row("portal-outbox", "GET", lambda w: "/api/v1/portal/outbox/", may(Action.MANAGE_PORTAL_SYNC)),
    Row("portal-outbox-retry", "POST", lambda w: f"/api/v1/portal/outbox/{sync_row(w).pk}/retry/",
        may(Action.MANAGE_PORTAL_SYNC)),
    Row("open-data", "GET", lambda w: "/api/v1/open-data/", anyone),
    Row("open-data-dataset", "GET", lambda w: "/api/v1/open-data/agency-monthly.json", anyone, params=PERIOD),
] + [
    Row(f"report-{name}", "GET", (lambda n: lambda w: f"/api/v1/reports/{n}/")(name), reports, params=PERIOD)
    for name in ("processing", "cutting", "bottlenecks", "indicators", "dashboard")
]  # fmt: skip


def _client(user) -> APIClient:
    client = APIClient()
    if user.is_authenticated:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def _call(row: Row, user, world, address: str):
    client = _client(user)
    client.defaults["REMOTE_ADDR"] = address  # the public throttles count per address: one each
    path = row.path(world)
    if row.name == "auth-token":
        body = {
            "username": user.get_username() or "ai-do",
            "password": "mật-khẩu-1" if user.is_authenticated else "x",
        }
        return APIClient(REMOTE_ADDR=address).post(path, body, format="json")
    if row.name == "public-dossier":
        return client.get(path, HTTP_X_LOOKUP_KEY=world.keys["parallel"])
    params = row.params(world) if callable(row.params) else row.params
    if row.method == "GET":
        return client.get(path, params or {})
    return client.post(path, row.body(world) if row.body else {}, format="json")


def _leaks(body: bytes, user, world) -> list[str]:
    text = body.decode("utf-8", "replace")
    found = []
    for name in world.dossiers:
        dossier = world.fresh(name)
        if any(value and value in text for value in access_world.personal_data(dossier)):
            if not (user.is_authenticated and can(user, Action.VIEW_PERSONAL_DATA, dossier)):
                found.append(dossier.code)
    return found


def test_every_endpoint_as_every_user(db, clock):
    world = access_world.build()
    province_package(world), sync_row(world)  # outside the rolled-back savepoints of the calls
    wrong, cases, server_errors = [], 0, 0
    for row in TABLE:
        for label, user in world.users.items():
            cases += 1
            expected = row.allowed(user, world)
            with transaction.atomic():
                response = _call(row, user, world, f"10.0.{cases // 250}.{cases % 250}")
                if row.name == "dossier-form":
                    body = b""
                elif response.streaming:
                    body = b"".join(response.streaming_content)
                else:
                    body = response.content
                leaks = (
                    _leaks(body, user, world)
                    if response.get("Content-Type", "").startswith("application/json")
                    else []
                )
                transaction.set_rollback(True)
            server_errors += response.status_code >= 500
            succeeded = 200 <= response.status_code < 300
            if succeeded != expected or response.status_code >= 500:
                wrong.append(
                    f"{row.method} {row.name} as {label}: {response.status_code}, allowed={expected}"
                )
            if leaks:
                wrong.append(f"{row.method} {row.name} as {label}: personal data of {leaks}")
    figures.add(authorization_cases=cases, server_errors=server_errors, invariant_violations=len(wrong))
    assert not wrong, "\n".join(wrong)
    # Each row has users on both sides of it, except the endpoints that are public by design.
    for row in TABLE:
        outcomes = {row.allowed(user, world) for user in world.users.values()}
        assert outcomes == {True, False} or row.allowed in (anyone,), row.name


def _api_routes(patterns, prefix="") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            names |= _api_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and prefix.startswith("api/v1/"):
            names.add(pattern.name)
    return names


def test_the_table_covers_every_api_endpoint():
    """A new endpoint must join the table: by URL name (resolver) and by operation (schema)."""
    in_table = {row.name for row in TABLE}
    assert _api_routes(get_resolver().url_patterns) == in_table
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = {
        (method.upper(), re.sub(r"\{[^}]+\}", "{}", path))
        for path, item in schema["paths"].items()
        if path.startswith("/api/v1/")
        for method in item
    }
    covered = {(row.method, re.sub(r"\{[^}]+\}", "{}", _template(row.name))) for row in TABLE}
    assert operations == covered


def _template(name: str) -> str:
    """The path of a URL name with ``{}`` for each argument, as the schema writes it."""
    prefix, resolver = get_resolver().namespace_dict["api"]
    format_string = resolver.reverse_dict.getlist(name)[0][0][0][0]
    return "/" + prefix + re.sub(r"%\((\w+)\)s", "{}", format_string)


pytestmark = pytest.mark.django_db
