"""Transitions write the applicant's notifications in their own transaction (an outbox), and a new
due time gets fresh deadline warnings."""

import pytest
from django.core import mail

from core.exceptions import InvalidInput
from notifications.models import Notification
from notifications.services import notify_dossier_event
from notifications.sweep import sweep_deadlines
from tests.factories import make_procedure
from tests.workflows.conftest import APPLICANT, local
from workflows import services
from workflows.models import Dossier


@pytest.fixture
def procedure(agency):
    return make_procedure(agency=agency, committed=(5, "working_days"))


def _kinds(dossier) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(dossier=dossier).values_list("kind", "channel"))


def test_registration_notifies_the_applicant_by_email_and_sms(
    clock, procedure, reception, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier, _ = services.dossier_register(
            procedure=procedure, applicant=APPLICANT, channel="online", by=reception
        )
    assert _kinds(dossier) == [("received", "email"), ("received", "sms")]
    assert [message.to for message in mail.outbox] == [[APPLICANT["email"]]]
    assert dossier.code in mail.outbox[0].body


def test_a_failed_transition_leaves_no_notification(clock, procedure, reception):
    with pytest.raises(InvalidInput):
        services.dossier_register(
            procedure=procedure, applicant=APPLICANT, channel="online", by=reception, documents="nope"
        )
    assert not Notification.objects.exists() and not Dossier.objects.exists()


def test_supplement_result_and_apology_reach_the_applicant(clock, procedure, reception, specialist, head):
    dossier, _ = services.dossier_register(
        procedure=procedure, applicant={**APPLICANT, "email": ""}, channel="in_person", by=reception
    )
    task = dossier.tasks.get()
    services.task_complete(
        task=task, by=specialist, decision="request_supplement", missing_documents=["Bản sao sổ hộ khẩu"]
    )
    clock.set(2026, 3, 3, 8, 0)
    services.dossier_supplement_received(dossier=dossier, by=reception, documents=["Bản sao sổ hộ khẩu"])
    clock.set(2026, 3, 6, 9, 0)
    services.dossier_extend(
        dossier=dossier, by=head, new_due_at=local(2026, 3, 13, 17, 0), reason="Chờ xác minh"
    )
    services.task_complete(task=dossier.tasks.get(status="open"), by=specialist, decision="approve")
    assert _kinds(dossier) == [
        ("apology", "sms"),
        ("received", "sms"),
        ("result_ready", "sms"),
        ("supplement_requested", "sms"),
    ]


def test_a_new_due_time_is_warned_about_again(clock, procedure, reception, head):
    dossier, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="online", by=reception
    )
    sweep_deadlines(as_of=local(2026, 3, 6, 9, 0), due_soon_hours=8)  # due Monday 9 March 08:00
    dossier.refresh_from_db()
    assert dossier.due_soon_notified_at is not None
    clock.set(2026, 3, 6, 9, 30)
    services.dossier_extend(
        dossier=dossier, by=head, new_due_at=local(2026, 3, 13, 17, 0), reason="Chờ xác minh"
    )
    dossier.refresh_from_db()
    assert dossier.due_soon_notified_at is None and dossier.overdue_notified_at is None
    sweep_deadlines(as_of=local(2026, 3, 13, 10, 0), due_soon_hours=8)
    dossier.refresh_from_db()
    assert dossier.due_soon_notified_at is not None


def test_offering_a_transitions_event_again_adds_nothing(clock, procedure, reception, specialist, head):
    """The transition builds the notification from its own dossier (office-clock times in memory);
    the same event offered later from a fresh read must have the same dedupe key."""
    dossier, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="online", by=reception
    )
    clock.set(2026, 3, 5, 9, 0)
    services.dossier_extend(
        dossier=dossier, by=head, new_due_at=local(2026, 3, 13, 17, 0), reason="Chờ xác minh"
    )
    services.task_complete(task=dossier.tasks.get(), by=specialist, decision="approve")
    before = list(Notification.objects.filter(dossier=dossier).values_list("dedupe_key", "payload"))
    assert len(before) == 6

    for kind in ("received", "apology", "result_ready"):
        notify_dossier_event(dossier_id=dossier.pk, kind=kind)

    assert list(Notification.objects.filter(dossier=dossier).values_list("dedupe_key", "payload")) == before
