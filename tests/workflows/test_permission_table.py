"""Every action of workflows.permissions against the right actor, a wrong role, a wrong agency,
an anonymous and an inactive user, on plain objects: no database.

The predicates read only a user's cached roles and agency and the object's own columns (and a
dossier's prefetched tasks), so stand-ins with those attributes are enough.
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from core.exceptions import NotAllowed
from workflows.permissions import (
    DESCRIPTIONS,
    Action,
    allowed_actions,
    can,
    report_agency_ids,
    require,
    workable_tasks_q,
)

HOME, OTHER = 1, 2


class Staff(SimpleNamespace):
    __hash__ = object.__hash__  # usable in a Q, as a user model instance is


def user(*roles, agency=HOME, pk=10, active=True, superuser=False):
    return Staff(
        pk=pk,
        is_authenticated=True,
        is_active=active,
        is_superuser=superuser,
        _onestop_roles=set(roles),
        staff=SimpleNamespace(agency_id=agency) if agency is not None else None,
    )


def task(agency=HOME, role="specialist", owner=None):
    return SimpleNamespace(pk=5, agency_id=agency, role=role, owner_id=owner)


def dossier(received_by=HOME, task_agencies=()):
    """A dossier whose tasks are prefetched, as dossier_detail and the lists load them."""
    tasks = [task(agency=a) for a in task_agencies]
    return SimpleNamespace(pk=7, receiving_agency_id=received_by, _prefetched_objects_cache={"tasks": tasks})


PROCEDURE = SimpleNamespace(pk=3, receiving_agency_id=HOME)

# action -> (object, right actor, wrong role, wrong agency or None when the action is province-wide)
TABLE = {
    Action.REGISTER: (PROCEDURE, user("reception"), user("specialist"), user("reception", agency=OTHER)),
    Action.RECEIVE_SUPPLEMENT: (dossier(), user("reception"), user("head"), user("reception", agency=OTHER)),
    Action.WITHDRAW: (dossier(), user("reception"), user("specialist"), user("reception", agency=OTHER)),
    Action.RETURN_RESULT: (dossier(), user("reception"), user("supervisor"), user("reception", agency=OTHER)),
    Action.CLAIM: (task(), user("specialist"), user("head"), user("specialist", agency=OTHER)),
    Action.COMPLETE: (task(role="head"), user("head"), user("specialist"), user("head", agency=OTHER)),
    Action.RELEASE: (task(owner=10), user("specialist"), user("specialist", pk=11), user("head", pk=12)),
    Action.REASSIGN: (task(), user("supervisor", agency=OTHER), user("head"), None),
    Action.EXTEND: (dossier(received_by=OTHER, task_agencies=[HOME]), user("head"), user("specialist"),
                    user("head", agency=3)),
    Action.VIEW_DOSSIER: (dossier(received_by=OTHER, task_agencies=[HOME]), user("specialist"),
                          user(agency=None), user("specialist", agency=3)),
    Action.VIEW_PERSONAL_DATA: (dossier(), user("reception"), user(agency=None),
                                user("reception", agency=OTHER)),
    Action.VIEW_MONITORING: (None, user("supervisor"), user("head"), None),
    Action.VIEW_AGENCY_REPORTS: (SimpleNamespace(pk=HOME), user("head"), user("specialist"),
                                 user("head", agency=OTHER)),
    Action.VIEW_PROVINCE_REPORTS: (None, user("admin"), user("head"), None),
    Action.MANAGE_CATALOG: (None, user("admin"), user("supervisor"), None),
    Action.PRINT_TRACKING_BOOK: (SimpleNamespace(pk=HOME), user("reception"), user("specialist"),
                                 user("head", agency=OTHER)),
    Action.MANAGE_PORTAL_SYNC: (None, user("supervisor", agency=OTHER), user("head"), None),
    Action.BUILD_PERIODIC_REPORTS: (None, user("supervisor"), user("head"), None),
}  # fmt: skip


def test_the_table_covers_every_action_and_each_has_a_description():
    assert set(TABLE) == set(Action) == set(DESCRIPTIONS)


@pytest.mark.parametrize("action", list(Action))
def test_right_actor_may(action):
    obj, right, _, _ = TABLE[action]
    assert can(right, action, obj)
    require(right, action, obj)  # does not raise
    assert action in allowed_actions(right, obj, [action])


@pytest.mark.parametrize("action", list(Action))
def test_wrong_role_may_not_and_is_told_why(action):
    obj, _, wrong_role, _ = TABLE[action]
    assert not can(wrong_role, action, obj)
    with pytest.raises(NotAllowed) as refused:
        require(wrong_role, action, obj)
    assert refused.value.status == 403 and refused.value.message


@pytest.mark.parametrize("action", [action for action in Action if TABLE[action][3] is not None])
def test_wrong_agency_may_not(action):
    obj, _, _, wrong_agency = TABLE[action]
    assert not can(wrong_agency, action, obj)
    with pytest.raises(NotAllowed):
        require(wrong_agency, action, obj)


@pytest.mark.parametrize("action", list(Action))
def test_anonymous_and_inactive_may_not(action):
    obj, right, _, _ = TABLE[action]
    inactive = Staff(**{**vars(right), "is_active": False})
    assert not can(AnonymousUser(), action, obj)
    assert not can(inactive, action, obj)


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        (user("head", agency=OTHER), "Bước này thuộc cơ quan khác."),
        (user("head"), "Bước này cần vai trò Chuyên viên xử lý."),
    ],
)
def test_claim_refusal_says_which_rule_failed(actor, expected):
    with pytest.raises(NotAllowed, match=expected):
        require(actor, Action.CLAIM, task())


def test_extend_refusal_names_role_then_agency():
    with pytest.raises(NotAllowed, match="Chỉ lãnh đạo"):
        require(user("specialist"), Action.EXTEND, dossier())
    with pytest.raises(NotAllowed, match="không thuộc cơ quan"):
        require(user("head", agency=OTHER), Action.EXTEND, dossier())


def test_supervisors_and_admins_see_every_dossier_and_superusers_manage_the_catalog():
    far = dossier(received_by=OTHER, task_agencies=[3])
    assert can(user("supervisor"), Action.VIEW_DOSSIER, far)
    assert can(user("admin", agency=None), Action.VIEW_PERSONAL_DATA, far)
    assert can(user(superuser=True, agency=None), Action.MANAGE_CATALOG)


def test_report_agency_ids():
    assert report_agency_ids(user("supervisor")) is None
    assert report_agency_ids(user("head")) == [HOME]
    with pytest.raises(NotAllowed) as no_agency:
        report_agency_ids(user("head", agency=None))
    assert no_agency.value.code == "no_agency"
    with pytest.raises(NotAllowed, match="Chỉ lãnh đạo, quản lý Một cửa và quản trị"):
        report_agency_ids(user("specialist"))


def test_workable_tasks_q_is_own_tasks_or_agency_and_roles():
    officer = user("specialist", "head")
    mine_or_agency = Q(owner=officer) | Q(agency_id=HOME, role__in={"specialist", "head"})
    assert workable_tasks_q(officer) == mine_or_agency & Q(status="open")
    stranger = user("specialist", agency=None)
    assert workable_tasks_q(stranger) == Q(owner=stranger) & Q(status="open")
