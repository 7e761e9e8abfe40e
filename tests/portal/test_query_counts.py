"""With the portal on, a transition costs exactly one more query: its sync row's INSERT.

Registration 13 → 14, a completion opening the next stage 14 → 15, the last completion 17 → 18
(tests/workflows/test_query_counts.py measures them with the portal off).
"""

import pytest

from core.roles import agency_id_of, roles_of
from portal.models import SyncRow
from tests.factories import make_procedure
from tests.workflows.test_query_counts import COMPLETE_LAST_STAGE, COMPLETE_NEXT_STAGE, REGISTER, _measure


@pytest.fixture
def procedure(agency):
    return make_procedure(
        agency=agency,
        steps=[{"name": "Thẩm định", "budget_hours": 8}, {"name": "Phê duyệt", "budget_hours": 4}],
    )


def test_the_outbox_adds_one_insert_per_transition(portal, clock, procedure, reception, specialist):
    for user in (reception, specialist):
        roles_of(user), agency_id_of(user)
    _measure(procedure, reception, specialist)  # warm caches (calendar, content types)

    counts = _measure(procedure, reception, specialist)

    assert counts == (REGISTER + 1, COMPLETE_NEXT_STAGE + 1, COMPLETE_LAST_STAGE + 1) == (14, 15, 18)
    assert SyncRow.objects.count() == 6
