"""Every state-changing service and its API endpoint, with the right actor, the wrong role and the
wrong agency (and anonymous for the API): the wrong ones are refused and nothing changes.

One table drives both layers, so removing any one agency or role check (from the services or from
``workflows.permissions``) turns a row red. Each row first proves that its prepared state is one
the right actor can act on; a refusal of the wrong actors is then about who they are, not about the
state. "Nothing changed" compares every row of every table a transition writes.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from viewflow.workflow.models import Process, Task

from core.exceptions import NotAllowed, NotFound
from notifications.models import Notification
from procedures.models import Procedure
from tests.factories import AgencyFactory, make_procedure
from tests.workflows.conftest import APPLICANT, local
from workflows import services
from workflows.models import (
    Dossier,
    DossierEvent,
    DossierExtension,
    DossierPause,
    DossierRating,
    DossierSequence,
    DossierTask,
)

TABLES = (
    Dossier,
    DossierTask,
    DossierEvent,
    DossierPause,
    DossierExtension,
    DossierRating,
    DossierSequence,
    Notification,
    Process,
    Task,
)
DOCUMENTS = [{"name": "Tờ khai", "kind": "original", "count": 1}]
NEW_DUE = local(2026, 3, 13, 17, 0)  # after the appointment (Monday 9 March), within the legal time


def snapshot() -> dict[str, list[dict]]:
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in TABLES}


@dataclass
class World:
    """Agency ``own`` receives the procedure and handles its one step; ``other`` is unrelated."""

    procedure: Procedure
    users: dict[str, Any]
    keys: dict[int, str] = field(default_factory=dict)

    def register(self) -> Dossier:
        dossier, key = services.dossier_register(
            procedure=self.procedure, applicant=APPLICANT, channel="in_person", by=self.users["reception"]
        )
        self.keys[dossier.pk] = key
        return dossier

    def task(self, dossier: Dossier) -> DossierTask:
        return DossierTask.objects.get(dossier=dossier, status="open")


@pytest.fixture
def world(clock, make_staff) -> World:
    own, other = AgencyFactory(), AgencyFactory()
    users = {
        "reception": make_staff(own, "reception"),
        "specialist": make_staff(own, "specialist"),
        "colleague": make_staff(own, "specialist"),
        "head": make_staff(own, "head"),
        "supervisor": make_staff(other, "supervisor"),
        "other_reception": make_staff(other, "reception"),
        "other_specialist": make_staff(other, "specialist"),
        "other_head": make_staff(other, "head"),
    }
    procedure = make_procedure(agency=own, committed=(5, "working_days"))
    return World(procedure=procedure, users=users)


# --- the states each action starts from -----------------------------------------------------------


def _processing(w: World) -> Dossier:
    return w.register()


def _claimed(w: World) -> DossierTask:
    task = w.task(w.register())
    return services.task_claim(task=task, by=w.users["specialist"])


def _waiting_supplement(w: World) -> Dossier:
    dossier = w.register()
    services.task_complete(
        task=w.task(dossier),
        by=w.users["specialist"],
        decision="request_supplement",
        missing_documents=[{"name": "Giấy chứng sinh", "kind": "copy", "count": 1}],
    )
    return dossier


def _result_ready(w: World) -> Dossier:
    dossier = w.register()
    services.task_complete(task=w.task(dossier), by=w.users["specialist"], decision="approve")
    return dossier


def _returned(w: World) -> Dossier:
    dossier = _result_ready(w)
    services.dossier_return_result(dossier=dossier, by=w.users["reception"])
    return dossier


def _intake_body(w: World, **extra) -> dict:
    return {"procedure": w.procedure.code, "applicant": dict(APPLICANT), "channel": "in_person",
            "documents": DOCUMENTS, **extra}  # fmt: skip


@dataclass(frozen=True)
class Case:
    name: str
    prepare: Callable[[World], Any]
    # The service call: (world, prepared target, actor) -> anything.
    call: Callable[[World, Any, Any], Any]
    # The API call: (world, prepared target) -> (url, body).
    api: Callable[[World, Any], tuple[str, dict]]
    right: str
    wrong_role: str
    wrong_agency: str


def _dossier_url(target: Dossier, action: str) -> str:
    return f"/api/v1/dossiers/{target.code}/{action}/"


def _task_url(target: DossierTask, action: str) -> str:
    return f"/api/v1/tasks/{target.pk}/{action}/"


CASES = [
    Case(
        "register",
        lambda w: None,
        lambda w, _, by: services.dossier_register(
            procedure=w.procedure, applicant=APPLICANT, channel="in_person", documents=DOCUMENTS, by=by
        ),
        lambda w, _: ("/api/v1/dossiers/", _intake_body(w)),
        right="reception",
        wrong_role="specialist",
        wrong_agency="other_reception",
    ),
    Case(
        "refuse_at_intake",
        lambda w: None,
        lambda w, _, by: services.dossier_refuse_at_intake(
            procedure=w.procedure, applicant=APPLICANT, channel="in_person", reasons=["Thiếu tờ khai."], by=by
        ),
        lambda w, _: ("/api/v1/dossiers/refusals/", _intake_body(w, reasons=["Thiếu tờ khai."])),
        right="reception",
        wrong_role="head",
        wrong_agency="other_reception",
    ),
    Case(
        "claim",
        lambda w: w.task(w.register()),
        lambda w, task, by: services.task_claim(task=task.pk, by=by),
        lambda w, task: (_task_url(task, "claim"), {}),
        right="specialist",
        wrong_role="reception",
        wrong_agency="other_specialist",
    ),
    Case(
        "release",
        _claimed,
        lambda w, task, by: services.task_release(task=task.pk, by=by),
        lambda w, task: (_task_url(task, "release"), {}),
        right="specialist",  # its owner
        wrong_role="head",
        wrong_agency="other_specialist",
    ),
    Case(
        "complete",
        lambda w: w.task(w.register()),
        lambda w, task, by: services.task_complete(task=task.pk, by=by, decision="approve"),
        lambda w, task: (_task_url(task, "complete"), {"decision": "approve", "note": "Hợp lệ."}),
        right="specialist",
        wrong_role="head",
        wrong_agency="other_specialist",
    ),
    Case(
        "reassign",
        _claimed,
        lambda w, task, by: services.task_reassign(task=task.pk, by=by, to_user=w.users["colleague"]),
        lambda w, task: (_task_url(task, "reassign"), {"to_user": w.users["colleague"].username}),
        right="supervisor",  # of any agency: supervisors act province-wide
        wrong_role="head",
        wrong_agency="other_head",
    ),
    Case(
        "supplement_received",
        _waiting_supplement,
        lambda w, dossier, by: services.dossier_supplement_received(
            dossier=dossier.pk, by=by, documents=[{"name": "Giấy chứng sinh", "kind": "copy", "count": 1}]
        ),
        lambda w, dossier: (
            _dossier_url(dossier, "supplement"),
            {"documents": [{"name": "Giấy chứng sinh", "kind": "copy", "count": 1}]},
        ),
        right="reception",
        wrong_role="specialist",
        wrong_agency="other_reception",
    ),
    Case(
        "extend",
        _processing,
        lambda w, dossier, by: services.dossier_extend(
            dossier=dossier.pk, by=by, new_due_at=NEW_DUE, reason="Chờ ý kiến Sở"
        ),
        lambda w, dossier: (
            _dossier_url(dossier, "extend"),
            {"new_due_at": NEW_DUE.isoformat(), "reason": "Chờ ý kiến Sở"},
        ),
        right="head",
        wrong_role="specialist",
        wrong_agency="other_head",
    ),
    Case(
        "withdraw",
        _processing,
        lambda w, dossier, by: services.dossier_withdraw(dossier=dossier.pk, by=by, reason="Xin rút"),
        lambda w, dossier: (_dossier_url(dossier, "withdraw"), {"reason": "Xin rút"}),
        right="reception",
        wrong_role="specialist",
        wrong_agency="other_reception",
    ),
    Case(
        "return_result",
        _result_ready,
        lambda w, dossier, by: services.dossier_return_result(dossier=dossier.pk, by=by),
        lambda w, dossier: (_dossier_url(dossier, "return-result"), {}),
        right="reception",
        wrong_role="specialist",
        wrong_agency="other_reception",
    ),
]
IDS = [case.name for case in CASES]


def _client(user) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _post(w: World, case: Case, target, user):
    url, body = case.api(w, target)
    return _client(user).post(url, body, format="json")


def test_the_table_covers_every_state_changing_service():
    """A new state-changing service must get a row here (``dossier_rate`` has its own test below)."""
    state_changing = {
        name
        for name in dir(services)
        if callable(getattr(services, name))
        and (name.startswith("dossier_") or name.startswith("task_"))
        and getattr(getattr(services, name), "__module__", "").startswith("workflows.services")
    }
    covered = {f"dossier_{c.name}" if not c.name.startswith(("claim", "release", "complete", "reassign"))
               else f"task_{c.name}" for c in CASES}  # fmt: skip
    assert state_changing == covered | {"dossier_rate"}


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_service_right_actor_acts(world, case):
    target = case.prepare(world)
    before = snapshot()
    case.call(world, target, world.users[case.right])
    assert snapshot() != before


@pytest.mark.parametrize("who", ["wrong_role", "wrong_agency"])
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_service_refuses_the_wrong_actor_and_changes_nothing(world, case, who):
    target = case.prepare(world)
    before = snapshot()
    with pytest.raises(NotAllowed):
        case.call(world, target, world.users[getattr(case, who)])
    assert snapshot() == before


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_api_right_actor_acts(world, case):
    target = case.prepare(world)
    before = snapshot()
    response = _post(world, case, target, world.users[case.right])
    assert response.status_code in (200, 201), response.content
    assert snapshot() != before


@pytest.mark.parametrize("who", ["wrong_role", "wrong_agency", "anonymous"])
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_api_refuses_the_wrong_actor_and_changes_nothing(world, case, who):
    target = case.prepare(world)
    before = snapshot()
    user = None if who == "anonymous" else world.users[getattr(case, who)]
    response = _post(world, case, target, user)
    assert response.status_code == (401 if user is None else 403), response.content
    assert response.json()["error"]["code"] in ("not_authenticated", "not_allowed", "permission_denied")
    assert snapshot() == before


# --- the citizen's rating: the key on the receipt is the credential ------------------------------


def _rating_cases(world) -> tuple[Dossier, dict[str, str]]:
    dossier = _returned(world)
    another = _returned(world)
    return dossier, {
        "right": world.keys[dossier.pk],
        "wrong_key": "ABCDEFGH23",
        "another_dossiers_key": world.keys[another.pk],
    }


@pytest.mark.parametrize("who", ["wrong_key", "another_dossiers_key"])
def test_rating_needs_the_dossiers_own_key(world, who):
    dossier, keys = _rating_cases(world)
    before = snapshot()
    with pytest.raises(NotFound):
        services.dossier_rate(code=dossier.code, key=keys[who], score=5)
    for user in (None, world.users["reception"], world.users["supervisor"]):  # a login is no key
        response = _client(user).post(
            f"/api/v1/public/dossiers/{dossier.code}/rating/", {"key": keys[who], "score": 5}, format="json"
        )
        assert response.status_code == 404, response.content
    assert snapshot() == before
    assert services.dossier_rate(code=dossier.code, key=keys["right"], score=5).score == 5


def test_rating_through_the_api_with_the_key(world):
    dossier, keys = _rating_cases(world)
    response = _client(None).post(
        f"/api/v1/public/dossiers/{dossier.code}/rating/", {"key": keys["right"], "score": 4}, format="json"
    )
    assert response.status_code == 201, response.content
    assert DossierRating.objects.get(dossier=dossier).score == 4
