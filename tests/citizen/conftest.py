"""Citizen page fixtures: the API tests' agencies, staff and two-agency procedure, and dossiers
driven through the services to the state a test needs."""

import pytest

from tests.api import conftest as api_fixtures
from workflows import services
from workflows.models import DossierTask, TaskStatus

APPLICANT = api_fixtures.APPLICANT
# The API tests' fixtures: agencies 0 and 1, their staff, and the two-agency procedure.
agencies = api_fixtures.agencies
staff = api_fixtures.staff
procedure = api_fixtures.procedure


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
