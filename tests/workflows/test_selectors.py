"""Inbox, dossier list scoping and filters, and a detail page in a constant number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import AgencyFactory, make_procedure
from tests.workflows.conftest import APPLICANT, local
from workflows import rules, selectors, services
from workflows.models import PASSING_STATUSES, Dossier, DossierTask


def test_inbox_list_and_detail(clock, make_staff):
    a, b, other = AgencyFactory(), AgencyFactory(), AgencyFactory()
    procedure = make_procedure(
        agency=a, steps=[{"name": "A", "budget_hours": 8}, {"name": "B", "budget_hours": 8, "agency": b}]
    )
    reception, officer_a, officer_b = (
        make_staff(a, "reception"),
        make_staff(a, "specialist"),
        make_staff(b, "specialist"),
    )
    outsider, supervisor = make_staff(other, "specialist"), make_staff(other, "supervisor")
    first, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="online", by=reception
    )
    second, _ = services.dossier_register(
        procedure=procedure, applicant={**APPLICANT, "name": "Trần Thị Bình"}, channel="online", by=reception
    )

    assert [t.dossier for t in selectors.inbox_for(user=officer_a)] == [first, second]
    assert list(selectors.inbox_for(user=officer_b)) == []
    assert list(selectors.inbox_for(user=reception)) == []
    services.task_claim(task=DossierTask.objects.get(dossier=second), by=officer_a)
    assert [t.dossier for t in selectors.inbox_for(user=officer_a, assigned="me")] == [second]
    assert [t.dossier for t in selectors.inbox_for(user=officer_a, code=first.code)] == [first]
    assert list(selectors.inbox_for(user=officer_a, overdue=True)) == []
    assert len(selectors.inbox_for(user=officer_a, overdue=True, as_of=local(2026, 3, 4, 8, 0))) == 2

    services.task_complete(task=DossierTask.objects.get(dossier=first), by=officer_a, decision="approve")
    assert [t.dossier for t in selectors.inbox_for(user=officer_b)] == [first]

    assert set(selectors.dossier_list(user=reception)) == {first, second}
    assert list(selectors.dossier_list(user=officer_b)) == [first]  # has a task at B
    assert list(selectors.dossier_list(user=outsider)) == []
    assert set(selectors.dossier_list(user=supervisor)) == {first, second}
    assert list(selectors.dossier_list(user=supervisor, search="bình")) == [second]
    assert list(selectors.dossier_list(user=supervisor, search=first.code)) == [first]
    assert (
        list(selectors.dossier_list(user=supervisor, procedure=procedure.code, status="result_ready")) == []
    )
    assert len(selectors.dossier_list(user=supervisor, received_from=local(2026, 3, 2, 0, 0).date())) == 2
    assert len(selectors.dossier_list(user=supervisor, overdue=True, as_of=local(2026, 3, 20, 8, 0))) == 2

    with CaptureQueriesContext(connection) as small:
        detail = selectors.dossier_detail(user=supervisor, code=first.code)
        list(detail.tasks.all()), list(detail.events.all())
    for _ in range(3):
        task = DossierTask.objects.get(dossier=first, status="open")
        services.task_complete(task=task, by=officer_b, decision="send_back", note="lại")
        services.task_complete(
            task=DossierTask.objects.get(dossier=first, status="open"), by=officer_a, decision="approve"
        )
    with CaptureQueriesContext(connection) as large:
        detail = selectors.dossier_detail(user=supervisor, code=first.code)
        list(detail.tasks.all()), list(detail.events.all())
    assert len(detail.tasks.all()) == 8
    assert len(small) == len(large) == 4


def test_a_dossier_waiting_for_a_supplement_is_not_listed_as_overdue(clock, make_staff):
    agency = AgencyFactory()
    procedure = make_procedure(agency=agency)
    reception, officer = make_staff(agency, "reception"), make_staff(agency, "specialist")
    waiting, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="online", by=reception
    )
    running, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="online", by=reception
    )
    services.task_complete(
        task=DossierTask.objects.get(dossier=waiting),
        by=officer,
        decision="request_supplement",
        missing_documents=["Tờ khai"],
    )
    late = local(2026, 4, 1, 8, 0)  # long after both due dates
    assert list(selectors.dossier_list(user=reception, overdue=True, as_of=late)) == [running]
    assert list(selectors.dossier_list(user=reception, overdue=False, as_of=late)) == [waiting]


def test_the_fast_visible_count_equals_the_visible_list(clock, make_staff):
    a, b, c = AgencyFactory(), AgencyFactory(), AgencyFactory()
    procedure = make_procedure(
        agency=a, steps=[{"name": "A", "budget_hours": 8}, {"name": "B", "budget_hours": 8, "agency": b}]
    )
    reception, officer_a = make_staff(a, "reception"), make_staff(a, "specialist")
    officer_b, outsider = make_staff(b, "specialist"), make_staff(c, "specialist")
    supervisor = make_staff(c, "supervisor")
    dossiers = [
        services.dossier_register(procedure=procedure, applicant=APPLICANT, channel="online", by=reception)[0]
        for _ in range(3)
    ]
    for dossier in dossiers[:2]:  # two reach agency B, one of them twice (sent back and forth)
        services.task_complete(task=dossier.tasks.get(), by=officer_a, decision="approve")
    services.task_complete(
        task=dossiers[0].tasks.get(status="open"), by=officer_b, decision="send_back", note="x"
    )
    services.task_complete(task=dossiers[0].tasks.get(status="open"), by=officer_a, decision="approve")
    for user, expected in ((reception, 3), (officer_a, 3), (officer_b, 2), (outsider, 0)):
        assert selectors.dossiers_visible_count(user=user, limit=100) == expected
        assert selectors.dossiers_visible_to(user=user).count() == expected
    assert selectors.dossiers_visible_count(user=reception, limit=2) == 2  # counted up to the limit
    assert selectors.dossiers_visible_count(user=supervisor, limit=100) is None


def test_the_list_count_on_the_visibility_rows_equals_the_list(clock, make_staff):
    """``dossier_list_count`` (the visibility rows alone) against the list it counts, for every
    status, overdue and date filter; None exactly where the rows cannot answer."""
    a, b = AgencyFactory(), AgencyFactory()
    procedure = make_procedure(
        agency=a, steps=[{"name": "A", "budget_hours": 8}, {"name": "B", "budget_hours": 8, "agency": b}]
    )
    reception, officer_a = make_staff(a, "reception"), make_staff(a, "specialist")
    officer_b, head_b = make_staff(b, "specialist"), make_staff(b, "head")
    supervisor = make_staff(b, "supervisor")
    for n in range(12):
        clock.set(2026, 3, 2 + n, 9, 0)
        dossier, _ = services.dossier_register(
            procedure=procedure, applicant=APPLICANT, channel="online", by=reception
        )
        task = dossier.tasks.get()
        if n % 4 == 1:
            services.task_complete(task=task, by=officer_a, decision="approve")  # at B, processing
        elif n % 4 == 2:
            services.task_complete(
                task=task, by=officer_a, decision="request_supplement", missing_documents=["A"]
            )
        elif n % 4 == 3:
            services.task_complete(task=task, by=officer_a, decision="approve")
            services.task_complete(task=dossier.tasks.get(status="open"), by=officer_b, decision="approve")
    services.dossier_refuse_at_intake(
        procedure=procedure, applicant=APPLICANT, channel="online", reasons=["Thiếu tờ khai."], by=reception
    )
    # Then the first dossiers are past due and the last not; later, all are.
    moments = [local(2026, 3, 20, 9, 0), local(2026, 4, 20, 9, 0)]
    statuses = [None, *sorted(set(Dossier.objects.values_list("status", flat=True)))]
    dates = [
        (None, None),
        (dt.date(2026, 3, 5), None),
        (None, dt.date(2026, 3, 9)),
        (dt.date(2026, 3, 4), dt.date(2026, 3, 4)),
    ]
    answered = 0
    for user in (reception, officer_a, officer_b, head_b, supervisor):
        for status in statuses:
            for overdue, later in [
                (None, moments[0]),
                (True, moments[0]),
                (True, moments[1]),
                (False, moments[0]),
            ]:
                for received_from, received_to in dates:
                    filters = dict(
                        status=status, overdue=overdue, received_from=received_from, received_to=received_to
                    )
                    listed = selectors.dossier_list(user=user, as_of=later, **filters).count()
                    for limit in (100, 2):
                        count = selectors.dossier_list_count(user=user, limit=limit, as_of=later, **filters)
                        if count is not None:
                            answered += 1
                            assert count == min(listed, limit), (user, filters, limit)
                    running = status in (None, rules.CLOCK_RUNNING_STATUS)  # overdue: a running clock
                    rows_answer = (status is None or status in PASSING_STATUSES) and (
                        overdue is None or (overdue and running)
                    )
                    assert (count is not None) == (user is not supervisor and rows_answer), (user, filters)
    assert selectors.dossier_list_count(user=supervisor, limit=100) is None
    for other in ({"procedure": procedure.code}, {"agency": a.pk}, {"search": "Nguyễn"}):  # the list counts
        assert selectors.dossier_list_count(user=reception, limit=100, **other) is None, other
    assert answered > 100


def test_a_procedure_by_code_and_the_supervisors_overdue_list_are_the_plain_conditions(clock, make_staff):
    """The procedure's code is matched through a subquery and a supervisor's overdue list is
    sorted off the due-time index (plans only): the same rows, in the same order, as the plain
    conditions; an unknown code lists nothing."""
    a = AgencyFactory()
    first, second = make_procedure(agency=a), make_procedure(agency=a)
    reception, supervisor = make_staff(a, "reception"), make_staff(a, "supervisor")
    for n in range(8):
        clock.set(2026, 3, 2 + n, 9 + n % 3, 0)
        services.dossier_register(
            procedure=(first, second)[n % 2], applicant=APPLICANT, channel="online", by=reception
        )
    newest = ("-received_at", "-id")
    for user in (reception, supervisor):
        for procedure in (first, second):
            expected = list(Dossier.objects.filter(procedure__code=procedure.code).order_by(*newest))
            assert list(selectors.dossier_list(user=user, procedure=procedure.code)) == expected
            assert list(selectors.dossier_list(user=user, procedure=procedure.pk)) == expected
        assert list(selectors.dossier_list(user=user, procedure="9.999999")) == []
    for moment in (local(2026, 3, 16, 9, 0), local(2026, 3, 19, 9, 0), local(2026, 5, 1, 9, 0)):
        late = Dossier.objects.filter(status="processing", due_at__lt=moment).order_by(*newest)
        assert list(selectors.dossier_list(user=supervisor, overdue=True, as_of=moment)) == list(late)
    assert 0 < late.count()


@pytest.mark.postgres
def test_the_supervisors_overdue_list_can_read_the_running_due_index(clock, make_staff):
    """The filter's expression is the index's (migration 0018): the planner can use it. (On a
    few rows it would not choose to: sequential scans are turned off for the EXPLAIN.)"""
    if connection.vendor != "postgresql":
        pytest.skip("the partial expression index is PostgreSQL's (DATABASE_URL)")
    a = AgencyFactory()
    reception, supervisor = make_staff(a, "reception"), make_staff(a, "supervisor")
    services.dossier_register(
        procedure=make_procedure(agency=a), applicant=APPLICANT, channel="online", by=reception
    )
    late = selectors.dossier_list(user=supervisor, overdue=True, as_of=local(2026, 6, 1, 9, 0))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the test's transaction only
        sql, params = late.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "dossier_running_due" in plan and "Index Cond: (CASE WHEN" in plan, plan
    assert len(late) == 1
