"""Citizen page fixtures: the API tests' agencies, staff and two-agency procedure, and dossiers
driven through the services to the state a test needs."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tests.api import conftest as api_fixtures
from workflows import services
from workflows.models import DossierTask, StaffProfile, TaskStatus

APPLICANT = api_fixtures.APPLICANT
# The API tests' fixtures: agencies 0 and 1, their staff, and the two-agency procedure.
agencies = api_fixtures.agencies
procedure = api_fixtures.procedure


@pytest.fixture
def staff(agencies):
    """As the API tests' ``staff`` (``staff[(agency_index, role)]``, ``staff["supervisor"]``), with
    the groups fetched or created: a browser test's flushed database has lost the migrations' rows."""
    users = {}
    for index, agency in enumerate(agencies):
        for role in ("reception", "specialist", "head"):
            user = get_user_model().objects.create_user(username=f"{role}{index}", password="x")
            StaffProfile.objects.create(user=user, agency=agency)
            user.groups.add(Group.objects.get_or_create(name=role)[0])
            users[(index, role)] = user
    return users


class Receipt:
    def __init__(self, dossier, key):
        self.dossier, self.key, self.code = dossier, key, dossier.code


def open_task(dossier):
    return DossierTask.objects.filter(dossier=dossier, status=TaskStatus.OPEN).get()


@pytest.fixture
def receipt(staff, procedure):
    dossier, key = services.dossier_register(
        procedure_code="1.001234",
        applicant=dict(APPLICANT),
        channel="in_person",
        documents=[{"name": "Tờ khai", "kind": "original", "count": 1}],
        by=staff[(0, "reception")],
    )
    return Receipt(dossier, key)


@pytest.fixture
def returned(receipt, staff):
    """The receipt's dossier with every step approved and the result handed over."""
    for user in (staff[(0, "specialist")], staff[(1, "specialist")], staff[(0, "head")]):
        services.task_complete(task=open_task(receipt.dossier), by=user, decision="approve")
    services.dossier_return_result(dossier=receipt.dossier, by=staff[(0, "reception")])
    return receipt
