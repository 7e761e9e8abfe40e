"""The set-based sweep writes exactly the notifications the Python sweep wrote, on random offices.

Each seed builds agencies, staff (every role, some inactive, some without an e-mail, some in two
roles, province-wide supervisors), dossiers in every clock state, extended or not, and tasks with
and without owners (inactive owners too), due times around ``as_of`` with and without microseconds.
Three sweeps an hour and a day apart are run by the reference (tests/notifications/reference_sweep.py),
the state is recorded and rolled back, then the same sweeps run with the new code: the rows and the
flags must be the same sets.
"""

import datetime as dt
import json
import random
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from core.roles import Role
from notifications.models import Notification
from notifications.sweep import sweep_deadlines
from tests.factories import AgencyFactory, make_procedure
from tests.notifications.factories import make_dossier, make_staff
from tests.notifications.reference_sweep import reference_sweep
from workflows.models import Dossier, DossierStatus, DossierTask, TaskStatus

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
AS_OF = dt.datetime(2026, 3, 4, 10, 0, tzinfo=VN)  # a Wednesday
SWEEPS = (AS_OF, AS_OF + dt.timedelta(hours=1), AS_OF + dt.timedelta(days=1))
ROLES = (Role.SPECIALIST, Role.HEAD, Role.SUPERVISOR, Role.RECEPTION)


def _due(rng: random.Random) -> dt.datetime:
    minutes = rng.randint(-3 * 24 * 60, 4 * 24 * 60)
    micro = rng.choice([0, 0, rng.randint(1, 999_999)])
    return AS_OF + dt.timedelta(minutes=minutes, microseconds=micro)


def build_world(seed: int) -> None:
    rng = random.Random(seed)
    agencies = [AgencyFactory() for _ in range(3)]
    users = []
    for _ in range(rng.randint(4, 14)):
        agency = rng.choice([*agencies, None]) if rng.random() < 0.9 else None
        email = rng.choice(["", f"u{len(users)}@example.vn", f"u{len(users)}@example.vn"])
        user = make_staff(role=rng.choice(ROLES), agency=agency, email=email)
        if rng.random() < 0.2:
            from django.contrib.auth.models import Group

            user.groups.add(Group.objects.get_or_create(name=rng.choice(ROLES))[0])
        if rng.random() < 0.15:
            user.is_active = False
            user.save()
        users.append(user)
    procedures = [make_procedure(agency=agency) for agency in agencies]
    statuses = [DossierStatus.PROCESSING] * 6 + [DossierStatus.WAITING_SUPPLEMENT, DossierStatus.RESULT_READY]
    for _ in range(rng.randint(10, 25)):
        dossier = make_dossier(
            procedure=rng.choice(procedures),
            due_at=_due(rng),
            status=rng.choice(statuses),
            extended=rng.random() < 0.3,
        )
        step = dossier.version.steps.first()
        for _ in range(rng.randint(0, 4)):
            DossierTask.objects.create(
                dossier=dossier,
                step=step,
                stage=step.stage,
                agency=rng.choice(agencies),
                role=rng.choice([Role.SPECIALIST, Role.HEAD, Role.RECEPTION]),
                status=rng.choice([TaskStatus.OPEN] * 5 + [TaskStatus.DONE]),
                owner=rng.choice(users) if rng.random() < 0.4 else None,
                created_at=dossier.received_at,
                due_at=_due(rng),
            )


def state() -> tuple[set, set, set]:
    """Every notification (times as present or not: each run has its own clock) and every flag."""
    rows = {
        (
            n["kind"],
            n["channel"],
            n["recipient_id"],
            n["address"],
            n["recipient_key"],
            n["dossier_id"],
            n["task_id"],
            n["dedupe_key"],
            json.dumps(n["payload"], sort_keys=True),
            n["status"],
            n["next_attempt_at"] is None,
            n["sent_at"] is None,
            n["read_at"],
            n["attempts"],
            n["last_error"],
        )
        for n in Notification.objects.values()
    }
    flags = ("id", "due_soon_notified_at", "overdue_notified_at")
    return rows, set(DossierTask.objects.values_list(*flags)), set(Dossier.objects.values_list(*flags))


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("staff_email", [True, False])
def test_the_set_based_sweep_writes_what_the_python_sweep_wrote(seed, staff_email, settings):
    settings.ONESTOP_NOTIFY_STAFF_EMAIL = staff_email
    settings.ONESTOP_SWEEP_BATCH_SIZE = 7  # several batches per kind
    build_world(seed)
    with transaction.atomic():
        for as_of in SWEEPS:
            reference_sweep(as_of=as_of, due_soon_hours=8)
        expected = state()
        transaction.set_rollback(True)
    assert not Notification.objects.exists()

    for as_of in SWEEPS:
        sweep_deadlines(as_of=as_of, due_soon_hours=8)

    assert expected[0], "the random office raised no warning at all: the comparison would be empty"
    assert state() == expected
