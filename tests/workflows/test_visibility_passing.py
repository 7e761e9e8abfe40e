"""The dossier's status and due time on its visibility rows (``visibility.sync``): every service that
changes them keeps the rows in step, ``rebuild`` writes the same, and the status and overdue lists
read from them give what the plain conditions on the dossiers give."""

import datetime as dt

from django.db.models import Q

from tests.factories import AgencyFactory, make_procedure
from tests.workflows.conftest import APPLICANT, local
from tests.workflows.test_visibility import _plain_visible
from workflows import clock as clock_module
from workflows import selectors, services, visibility
from workflows.models import Dossier, DossierAgency, DossierStatus

ROW = ("agency_id", "dossier_id", "received_at", "passing_status", "due_at")


def test_passing_keeps_status_and_due_time_of_a_passing_status_only():
    due = dt.datetime(2026, 3, 9, 1, tzinfo=dt.UTC)
    assert visibility.passing(DossierStatus.PROCESSING, due) == ("processing", due)
    assert visibility.passing("waiting_supplement", due) == ("waiting_supplement", due)
    assert visibility.passing("result_ready", due) == ("result_ready", due)
    for status in ("returned", "rejected", "withdrawn"):
        assert visibility.passing(status, due) == ("", None)


def _province(clock, make_staff):
    """Dossiers in every status, through every service that changes a status or a due time."""
    a, b = AgencyFactory(), AgencyFactory()
    procedure = make_procedure(
        agency=a,
        committed=(5, "working_days"),
        steps=[{"name": "A", "budget_hours": 8}, {"name": "B", "budget_hours": 8, "agency": b}],
    )
    reception, head = make_staff(a, "reception"), make_staff(a, "head")
    officer_a, officer_b = make_staff(a, "specialist"), make_staff(b, "specialist")

    def register(minute):
        clock.set(2026, 3, 2, 8, minute)
        dossier, _ = services.dossier_register(
            procedure=procedure, applicant=APPLICANT, channel="online", by=reception
        )
        return dossier

    def decide(dossier, officer, decision, **kw):
        task = dossier.tasks.get(status="open")
        services.task_complete(task=task, by=officer, decision=decision, **kw)

    register(1)  # processing at A
    decide(register(2), officer_a, "approve")  # processing at B: B's row written then
    resumed = register(3)
    decide(resumed, officer_a, "request_supplement", missing_documents=["Tờ khai"])
    clock.set(2026, 3, 4, 9, 0)
    services.dossier_supplement_received(dossier=resumed, by=reception, documents=["Tờ khai"])
    decide(register(4), officer_a, "request_supplement", missing_documents=["Tờ khai"])  # waiting
    ready = register(5)
    decide(ready, officer_a, "approve")
    decide(ready, officer_b, "approve")  # result ready
    returned = register(6)
    decide(returned, officer_a, "approve")
    decide(returned, officer_b, "refuse", reasons=["Không đủ điều kiện."])
    services.dossier_return_result(dossier=returned, by=reception)
    services.dossier_withdraw(dossier=register(7), by=reception, reason="Không cần nữa")
    services.dossier_refuse_at_intake(
        procedure=procedure, applicant=APPLICANT, channel="online", reasons=["Thiếu tờ khai."], by=reception
    )
    extended = register(9)
    services.dossier_extend(
        dossier=extended, by=head, new_due_at=local(2026, 3, 13, 17, 0), reason="Chờ ý kiến Sở"
    )
    clock.set(2026, 3, 11, 9, 0)  # some dossiers are overdue by now, the extended one is not
    return [reception, officer_b, make_staff(a, "supervisor")]


def test_every_service_keeps_the_rows_in_step_and_rebuild_writes_the_same(clock, make_staff):
    _province(clock, make_staff)
    dossiers = {d.pk: d for d in Dossier.objects.all()}
    assert {d.status for d in dossiers.values()} == set(DossierStatus.values)
    written = set(DossierAgency.objects.values_list(*ROW))
    for _agency, dossier_id, _received, status, due_at in written:
        dossier = dossiers[dossier_id]
        assert (status, due_at) == visibility.passing(dossier.status, dossier.due_at), dossier.status
    DossierAgency.objects.all().delete()
    assert visibility.rebuild() == len(written)
    assert set(DossierAgency.objects.values_list(*ROW)) == written


def test_status_and_overdue_lists_give_what_the_plain_conditions_give(clock, make_staff):
    users = _province(clock, make_staff)
    late = Q(status=DossierStatus.PROCESSING, due_at__lt=clock_module.now())
    assert Dossier.objects.filter(late).exists() and Dossier.objects.exclude(late).exists()
    for user in users:
        plain = Dossier.objects.all() if user is users[-1] else _plain_visible(user)
        for status in (None, *DossierStatus.values):
            for overdue in (None, True, False):
                expected = plain.filter(status=status) if status else plain
                if overdue is not None:
                    expected = expected.filter(late) if overdue else expected.exclude(late)
                expected = list(expected.order_by("-received_at", "-id").values_list("pk", flat=True))
                got = selectors.dossier_list(user=user, status=status, overdue=overdue)
                assert list(got.values_list("pk", flat=True)) == expected, (user, status, overdue)


def test_a_due_window_gives_what_the_plain_condition_gives(clock, make_staff):
    users = _province(clock, make_staff)
    now = clock_module.now()
    dues = sorted(
        set(Dossier.objects.filter(status=DossierStatus.PROCESSING).values_list("due_at", flat=True))
    )
    windows = [(now - dt.timedelta(days=30), now + dt.timedelta(days=30)), (dues[0], dues[-1]), (now, now)]
    for user in users:
        plain = Dossier.objects.all() if user is users[-1] else _plain_visible(user)
        for after, until in windows:
            expected = plain.filter(status=DossierStatus.PROCESSING, due_at__gt=after, due_at__lte=until)
            expected = list(expected.order_by("-received_at", "-id").values_list("pk", flat=True))
            got = selectors.dossier_list(
                user=user, status=DossierStatus.PROCESSING, due_window=(after, until)
            )
            assert list(got.values_list("pk", flat=True)) == expected, (user, after, until)
    assert any(  # the windows are not all empty or all full
        selectors.dossier_list(user=users[-1], status=DossierStatus.PROCESSING, due_window=w).exists()
        for w in windows
    )
