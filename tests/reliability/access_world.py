"""The world the access table runs in: three agencies (the owner, one with a parallel step, an
unrelated one), every role of each, the supervisor, the admin role, a user with no role and
anonymous; dossiers in every state an endpoint needs, each with an applicant of its own (so a
leak names the dossier it came from)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group

from notifications.models import Notification
from tests.factories import AgencyFactory, make_procedure
from workflows import services
from workflows.models import Dossier, DossierTask, StaffProfile

ROLES = ("reception", "specialist", "head")
DOCUMENTS = [{"name": "Tờ khai", "kind": "original", "count": 1}]


def applicant(n: int) -> dict:
    return {
        "kind": "person",
        "name": f"Phạm Văn Riêng{n}",
        "id_number": f"07919000{n:04d}",
        "phone": f"09051{n:05d}",
        "email": f"rieng{n}@example.vn",
        "address": "2 Lê Lợi, Huế",
    }


def personal_data(dossier: Dossier) -> list[str]:
    return [
        dossier.applicant_name,
        dossier.applicant_id_number,
        dossier.applicant_phone,
        dossier.applicant_email,
    ]


@dataclass
class World:
    agencies: dict[str, Any]
    users: dict[str, Any]
    procedure: Any
    dossiers: dict[str, Dossier] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    notification: Any = None

    def task(self, name: str, agency: str) -> DossierTask:
        return DossierTask.objects.get(
            dossier=self.dossiers[name], status="open", agency=self.agencies[agency]
        )

    def fresh(self, name: str) -> Dossier:
        return Dossier.objects.get(pk=self.dossiers[name].pk)


def _user(username: str, agency=None, *roles: str, superuser=False):
    user = get_user_model().objects.create_user(username=username, password="mật-khẩu-1")
    if agency is not None:
        StaffProfile.objects.create(user=user, agency=agency)
    user.groups.add(*[Group.objects.get_or_create(name=role)[0] for role in roles])
    if "admin" in roles or superuser:
        user.is_staff, user.is_superuser = True, superuser
        user.save()
    return get_user_model().objects.get(pk=user.pk)


def build() -> World:
    agencies = {name: AgencyFactory() for name in ("owner", "parallel", "unrelated")}
    users = {
        f"{agency}_{role}": _user(f"{agency}_{role}", agencies[agency], role)
        for agency in agencies
        for role in ROLES
    }
    users["supervisor"] = _user("supervisor", agencies["owner"], "supervisor")
    users["admin"] = _user("admin", None, "admin")
    users["no_role"] = _user("no_role", agencies["owner"])
    users["anonymous"] = AnonymousUser()
    procedure = make_procedure(
        agency=agencies["owner"],
        legal=(30, "working_days"),
        steps=[
            {"name": "Thẩm định", "budget_hours": 8},
            {"name": "Kiểm tra", "budget_hours": 8, "parallel_group": "g"},
            {"name": "Lấy ý kiến", "budget_hours": 8, "agency": agencies["parallel"], "parallel_group": "g"},
            {"name": "Phê duyệt", "budget_hours": 8, "role": "head"},
        ],
    )
    world = World(agencies=agencies, users=users, procedure=procedure)
    for n, name in enumerate(("stage1", "parallel", "claimed", "waiting", "ready", "returned")):
        dossier, key = services.dossier_register(
            procedure=procedure, applicant=applicant(n + 1), channel="online", documents=DOCUMENTS,
            by=users["owner_reception"],
        )  # fmt: skip
        world.dossiers[name], world.keys[name] = dossier, key
        if name != "stage1":
            _decide(world, name, "owner", "approve")  # the parallel stage: a task at each agency
    services.task_claim(task=world.task("claimed", "parallel"), by=users["parallel_specialist"])
    _decide(world, "waiting", "owner", "request_supplement", missing_documents=DOCUMENTS)
    for name in ("ready", "returned"):
        _decide(world, name, "owner", "refuse", reasons=["Không đủ điều kiện"])
    services.dossier_return_result(dossier=world.dossiers["returned"], by=users["owner_reception"])
    recipient, at = users["owner_specialist"], world.fresh("stage1").received_at
    world.notification = Notification.objects.create(
        kind="task_due_soon", channel="in_app", recipient=recipient, dossier=world.dossiers["stage1"],
        recipient_key=f"user:{recipient.pk}", dedupe_key="access-table", payload={}, created_at=at,
        next_attempt_at=at,
    )  # fmt: skip
    return world


def _decide(world: World, name: str, agency: str, decision: str, **extra) -> None:
    task = world.task(name, agency)
    role = task.role
    services.task_complete(task=task, by=world.users[f"{agency}_{role}"], decision=decision, **extra)
