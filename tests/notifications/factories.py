"""Dossiers, tasks and staff written straight with the ORM, so the sweep is tested on its own."""

import datetime as dt
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from procedures.models import Agency, Procedure
from tests.factories import make_procedure
from workflows.models import Dossier, DossierStatus, DossierTask, StaffProfile, TaskStatus

_codes = itertools.count(1)


def make_staff(*, role: str, agency: Agency | None, email: str = "", username: str | None = None):
    """A user in the role's group; ``agency=None`` means no staff profile (province-wide)."""
    n = next(_codes)
    user = get_user_model().objects.create_user(username=username or f"{role}{n}", email=email, password="x")
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    if agency is not None:
        StaffProfile.objects.create(user=user, agency=agency)
    return user


def make_dossier(
    *,
    due_at: dt.datetime,
    procedure: Procedure | None = None,
    status: str = DossierStatus.PROCESSING,
    received_at: dt.datetime | None = None,
    extended: bool = False,
    paused_at: dt.datetime | None = None,
    email: str = "",
    phone: str = "",
) -> Dossier:
    procedure = procedure or make_procedure()
    n = next(_codes)
    return Dossier.objects.create(
        code=f"{procedure.receiving_agency.code}-260101-{n:04d}",
        procedure=procedure,
        version=procedure.current_version,
        receiving_agency=procedure.receiving_agency,
        applicant_name="Nguyễn Văn A",
        applicant_id_number=f"0010{n:08d}",
        applicant_email=email,
        applicant_phone=phone,
        channel="in_person",
        status=status,
        received_at=received_at or due_at - dt.timedelta(days=10),
        due_at=due_at,
        original_due_at=due_at,
        extended=extended,
        paused_at=paused_at,
        lookup_key_hash="0" * 64,
    )


def make_task(
    *,
    dossier: Dossier,
    due_at: dt.datetime,
    owner=None,
    status: str = TaskStatus.OPEN,
    role: str = "specialist",
) -> DossierTask:
    step = dossier.version.steps.first()
    return DossierTask.objects.create(
        dossier=dossier,
        step=step,
        stage=step.stage,
        agency=step.agency,
        role=role,
        status=status,
        owner=owner,
        created_at=dossier.received_at,
        due_at=due_at,
    )
