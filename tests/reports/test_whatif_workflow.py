"""The what-if replay of the current duration gives back the verdicts the workflow stored.

Property: dossiers driven through ``workflows.services`` on a moving office clock, with waits for a
supplement in both modes at any hour (nights and weekends included), finished at any time; loaded
by the what-if's own queries and replayed with each dossier's committed duration and each step's
budget, every dossier's and task's verdict equals the stored one.
"""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports import whatif as W
from reports import whatif_query as Q
from reports.periods import make_period
from tests.factories import AgencyFactory, make_procedure
from tests.workflows.conftest import APPLICANT, Clock, local
from workflows import clock as clock_module
from workflows import deadlines, rules, services
from workflows.models import DossierStatus, DossierTask, StaffProfile, TaskStatus

pytestmark = pytest.mark.django_db
YEAR = make_period(
    date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 12, 31), tz=timezone.get_default_timezone()
)

hours = st.integers(min_value=0, max_value=160)
schedule = st.fixed_dictionaries(
    {
        "mode": st.sampled_from(["pause", "restart"]),
        "committed": st.sampled_from(
            [(2, "working_days"), (5, "working_days"), (12, "working_hours"), (7, "calendar_days")]
        ),
        "waits": st.lists(st.tuples(hours, hours), max_size=2),
        "finish": hours,
    }
)


@pytest.fixture
def desk(db):
    """An agency, its reception officer and its specialist."""
    agency = AgencyFactory()
    users = []
    for role in ("reception", "specialist"):
        user = get_user_model().objects.create_user(username=f"whatif-{role}", password="x")
        StaffProfile.objects.create(user=user, agency=agency)
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        users.append(get_user_model().objects.get(pk=user.pk))
    return agency, *users


def drive(plan, agency, reception, specialist, clock):
    procedure = make_procedure(agency=agency, committed=plan["committed"], supplement_mode=plan["mode"])
    dossier, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="in_person", by=reception
    )
    for before, waited in plan["waits"]:
        clock.now += dt.timedelta(hours=before)
        task = DossierTask.objects.get(dossier=dossier, status=TaskStatus.OPEN)
        services.task_complete(
            task=task, by=specialist, decision="request_supplement", missing_documents=["Bản sao"]
        )
        clock.now += dt.timedelta(hours=waited)
        services.dossier_supplement_received(dossier=dossier, by=reception, documents=["Bản sao"])
    clock.now += dt.timedelta(hours=plan["finish"])
    task = DossierTask.objects.get(dossier=dossier, status=TaskStatus.OPEN)
    services.task_complete(task=task, by=specialist, decision="approve")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RESULT_READY
    return procedure


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=schedule, start=st.integers(min_value=0, max_value=24 * 60))
def test_replay_of_the_current_duration_equals_the_stored_verdicts(plan, start, monkeypatch, desk):
    agency, reception, specialist = desk
    clock = Clock(local(2026, 3, 2, 0, 0) + dt.timedelta(hours=start))
    monkeypatch.setattr(clock_module, "now", clock)
    procedure = drive(plan, agency, reception, specialist, clock)
    calendar = deadlines.calendar()
    rows = list(Q.dossier_rows(procedure, YEAR, None))
    pauses = Q.pause_rows(procedure, YEAR, None)
    assert len(rows) == 1 and len(pauses.get(rows[0].id, [])) == len(plan["waits"])
    for row in rows:
        assert W.replay_verdict(row, pauses.get(row.id, ()), row.current, calendar=calendar) == row.verdict
    steps = Q._steps(procedure)
    budgets = {order: info.budget_hours for order, info in steps.items()}
    tasks = list(Q.task_rows(procedure, YEAR, None))
    assert len(tasks) == len(plan["waits"]) + 1
    for step in W.replay_steps(tasks, steps=steps, step_budgets=budgets, calendar=calendar):
        assert step["late_proposed"] == step["late_today"]
    for task in tasks:
        due = deadlines.add_hours(task.created_at, budgets[task.step_order], calendar=calendar)
        assert rules.verdict(task.finished_at, due) == task.verdict
