"""Apology letter and new appointment: a head, once, at least one working day before the due date."""

import pytest
from django.test import override_settings

from core.exceptions import Conflict, InvalidInput, NotAllowed
from tests.factories import make_procedure
from tests.workflows.conftest import APPLICANT, local
from workflows import services
from workflows.models import DossierExtension, EventAction


@pytest.fixture
def dossier(clock, agency, reception):
    procedure = make_procedure(agency=agency, committed=(5, "working_days"))
    dossier, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="in_person", by=reception
    )
    assert dossier.due_at == local(2026, 3, 9, 8, 0)  # Monday
    return dossier


def test_head_extends_once(clock, dossier, head, specialist):
    new_due = local(2026, 3, 13, 17, 0)
    with pytest.raises(NotAllowed):
        services.dossier_extend(dossier=dossier, by=specialist, new_due_at=new_due, reason="Chờ ý kiến")
    with pytest.raises(InvalidInput):
        services.dossier_extend(
            dossier=dossier, by=head, new_due_at=local(2026, 3, 6, 8, 0), reason="Sớm hơn"
        )
    clock.set(2026, 3, 6, 16, 0)  # Friday: the last working day before Monday's due date
    extension = services.dossier_extend(dossier=dossier, by=head, new_due_at=new_due, reason="Chờ ý kiến Sở")
    dossier.refresh_from_db()
    assert (dossier.due_at, dossier.original_due_at, dossier.extended) == (
        new_due,
        local(2026, 3, 9, 8, 0),
        True,
    )
    assert extension.previous_due_at == local(2026, 3, 9, 8, 0)
    event = dossier.events.get(action=EventAction.EXTENDED)
    assert (event.due_at, event.reason, event.actor) == (new_due, "Chờ ý kiến Sở", head)

    with pytest.raises(Conflict):
        services.dossier_extend(
            dossier=dossier, by=head, new_due_at=local(2026, 3, 20, 17, 0), reason="Lần hai"
        )
    dossier.refresh_from_db()
    assert dossier.due_at == new_due
    assert DossierExtension.objects.filter(dossier=dossier).count() == 1


def test_too_late_on_the_due_date(clock, dossier, head):
    clock.set(2026, 3, 9, 7, 30)
    with pytest.raises(InvalidInput) as error:
        services.dossier_extend(dossier=dossier, by=head, new_due_at=local(2026, 3, 13, 17, 0), reason="Muộn")
    assert error.value.code == "too_late"
    dossier.refresh_from_db()
    assert not dossier.extended


def test_notice_is_configurable(clock, dossier, head):
    clock.set(2026, 3, 6, 16, 0)
    with override_settings(ONESTOP_EXTENSION_NOTICE_WORKING_DAYS=2):
        with pytest.raises(InvalidInput):
            services.dossier_extend(
                dossier=dossier, by=head, new_due_at=local(2026, 3, 13, 17, 0), reason="Hai ngày"
            )
    with override_settings(ONESTOP_EXTENSION_NOTICE_WORKING_DAYS=0):
        clock.set(2026, 3, 9, 7, 30)
        services.dossier_extend(
            dossier=dossier, by=head, new_due_at=local(2026, 3, 13, 17, 0), reason="Cùng ngày"
        )


def test_the_new_date_is_at_most_the_legal_duration_after_the_current_one(clock, dossier, head):
    # The factory's legal duration is 10 working days; due Monday 9 March 08:00 → 23 March 08:00.
    with pytest.raises(InvalidInput) as too_far:
        services.dossier_extend(dossier=dossier, by=head, new_due_at=local(2026, 3, 23, 8, 1), reason="Xa")
    assert "new_due_at" in too_far.value.fields
    services.dossier_extend(dossier=dossier, by=head, new_due_at=local(2026, 3, 23, 8, 0), reason="Đủ")
    dossier.refresh_from_db()
    assert dossier.due_at == local(2026, 3, 23, 8, 0)


def test_not_while_waiting_for_a_supplement(clock, dossier, head, specialist):
    services.task_complete(
        task=dossier.tasks.get(), by=specialist, decision="request_supplement", missing_documents=["Tờ khai"]
    )
    with pytest.raises(Conflict) as paused:
        services.dossier_extend(dossier=dossier, by=head, new_due_at=local(2026, 3, 13, 17, 0), reason="Chờ")
    assert paused.value.code == "paused"
    dossier.refresh_from_db()
    assert not dossier.extended and dossier.due_at == local(2026, 3, 9, 8, 0)
