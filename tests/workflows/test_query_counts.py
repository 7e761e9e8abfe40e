"""A registration and a completion cost a fixed number of queries, however many dossiers exist.

The figures are the ones README "Benchmark" explains; a change that adds a query to every
transition must update them here, on purpose.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import agency_id_of, roles_of
from tests.factories import make_procedure
from tests.workflows.conftest import APPLICANT
from workflows import services
from workflows.models import DossierTask

# Queries per operation, BEGIN and COMMIT included (both backends log them).
# Registration: version in force, code, process, viewflow's start and gateway tasks (one INSERT),
# its step task, their links, dossier, task, the receiving agency's visibility row
# (workflows.visibility), event, outbox.
REGISTER = 13
# Completion opening the next stage: dossier lock, then task lock (in that order, as every path
# locks them, so two officers cannot deadlock), task, process lock, viewflow's step, join, gateway
# and new step, their links, our new task, dossier, event. (A next stage at the same agency adds
# no visibility row: only a step at another agency does, one INSERT.)
COMPLETE_NEXT_STAGE = 14
# Completion ending processing: no new step; viewflow's end task, open-task check and process
# instead, and the outbox; and the new status onto the visibility rows (one UPDATE, visibility.sync).
COMPLETE_LAST_STAGE = 17


@pytest.fixture
def procedure(agency):
    return make_procedure(
        agency=agency,
        steps=[{"name": "Thẩm định", "budget_hours": 8}, {"name": "Phê duyệt", "budget_hours": 4}],
    )


def _count(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def _measure(procedure, reception, specialist) -> tuple[int, int, int]:
    register = _count(
        lambda: services.dossier_register(
            procedure=procedure, applicant=APPLICANT, channel="online", by=reception
        )
    )
    first = DossierTask.objects.filter(status="open", stage=0).order_by("-id").first()
    next_stage = _count(lambda: services.task_complete(task=first, by=specialist, decision="approve"))
    last = DossierTask.objects.get(dossier=first.dossier, status="open")
    last_stage = _count(lambda: services.task_complete(task=last, by=specialist, decision="approve"))
    return register, next_stage, last_stage


def test_transitions_cost_a_constant_number_of_queries(clock, procedure, reception, specialist):
    for user in (reception, specialist):  # an API request has its user's roles and agency in hand
        roles_of(user), agency_id_of(user)
    services.dossier_register(procedure=procedure, applicant=APPLICANT, channel="online", by=reception)
    few = _measure(procedure, reception, specialist)

    for _ in range(20):
        dossier, _ = services.dossier_register(
            procedure=procedure, applicant=APPLICANT, channel="online", by=reception
        )
        services.task_complete(task=dossier.tasks.get(), by=specialist, decision="approve")
    many = _measure(procedure, reception, specialist)

    assert few == many == (REGISTER, COMPLETE_NEXT_STAGE, COMPLETE_LAST_STAGE)
