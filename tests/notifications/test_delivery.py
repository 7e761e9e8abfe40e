"""Citizen notifications and delivery: e-mail and SMS, retries with backoff, idempotency, catch-up."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from core.exceptions import InvalidInput, NotFound
from core.text import unaccent
from notifications.delivery import backoff_seconds, deliver
from notifications.models import Notification, NotificationStatus
from notifications.services import notify_dossier_event
from notifications.sms import _load
from notifications.tasks import deliver_notification, deliver_pending
from tests.notifications import sms_backends
from tests.notifications.factories import make_dossier
from workflows.models import DossierExtension, DossierPause

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def sms(settings):
    def use(name: str):
        settings.ONESTOP_SMS_BACKEND = f"tests.notifications.sms_backends.{name}"
        _load.cache_clear()

    sms_backends.sent.clear()
    sms_backends.calls["flaky"] = 0
    use("RecordingSMSBackend")
    yield use
    _load.cache_clear()


@pytest.fixture
def dossier():
    return make_dossier(
        due_at=dt.datetime(2026, 3, 10, 16, 0, tzinfo=VN), email="dan@example.vn", phone="0912345678"
    )


def test_receipt_goes_by_email_and_sms_in_vietnamese(dossier, sms, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_dossier_event(dossier_id=dossier.pk, kind="received") == 2

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dan@example.vn"]
    assert message.subject == f"Đã tiếp nhận hồ sơ {dossier.code}"
    assert "Ngày hẹn trả kết quả: 16:00 ngày 10/03/2026" in message.body
    assert sms_backends.sent == [
        (
            "0912345678",
            f"{unaccent(dossier.procedure.receiving_agency.name)} da tiep nhan ho so "
            f"{dossier.code}. Hen tra ket qua: 16:00 10/03/2026.",
        )
    ]
    rows = Notification.objects.filter(dossier=dossier)
    assert {(r.channel, r.status, r.attempts) for r in rows} == {("email", "sent", 1), ("sms", "sent", 1)}
    assert all(r.sent_at is not None for r in rows)


def test_the_same_event_twice_is_sent_once(dossier, sms, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify_dossier_event(dossier_id=dossier.pk, kind="received")
        notify_dossier_event(dossier_id=dossier.pk, kind="received")

    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 1 and len(sms_backends.sent) == 1


def test_each_supplement_request_is_its_own_event(dossier, sms, django_capture_on_commit_callbacks):
    for day in (3, 5):
        started = dt.datetime(2026, 3, day, 9, 0, tzinfo=VN)
        DossierPause.objects.create(
            dossier=dossier, stage=0, mode="pause", missing_documents=["Bản sao CCCD"], started_at=started
        )
        dossier.paused_at = started
        dossier.save()
        with django_capture_on_commit_callbacks(execute=True):
            notify_dossier_event(dossier_id=dossier.pk, kind="supplement_requested")

    assert len(mail.outbox) == 2
    assert "- Bản sao CCCD" in mail.outbox[0].body


def test_the_apology_carries_the_old_and_new_dates(dossier, sms, django_capture_on_commit_callbacks):
    old, new = dossier.due_at, dt.datetime(2026, 3, 17, 16, 0, tzinfo=VN)
    DossierExtension.objects.create(
        dossier=dossier, previous_due_at=old, new_due_at=new, reason="Chờ ý kiến liên ngành", created_at=old
    )
    dossier.due_at, dossier.extended = new, True
    dossier.save()

    with django_capture_on_commit_callbacks(execute=True):
        notify_dossier_event(dossier_id=dossier.pk, kind="apology")

    body = mail.outbox[0].body
    assert "(16:00 ngày 10/03/2026)" in body and "Ngày hẹn trả kết quả mới: 16:00 ngày 17/03/2026" in body
    assert "Lý do: Chờ ý kiến liên ngành" in body


def test_no_address_no_notification_and_bad_input_is_refused(sms):
    bare = make_dossier(due_at=dt.datetime(2026, 3, 10, 16, 0, tzinfo=VN))
    assert notify_dossier_event(dossier_id=bare.pk, kind="result_ready") == 0
    with pytest.raises(InvalidInput):
        notify_dossier_event(dossier_id=bare.pk, kind="task_overdue")
    with pytest.raises(NotFound):
        notify_dossier_event(dossier_id=bare.pk + 1000, kind="received")


def run_with_retries(notification_id: int):
    """Celery's eager mode re-runs a retried task in-process (ignoring the countdown) only when it
    does not propagate errors, so propagation is off for this call."""
    from onestop.celery import app

    previous = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    try:
        return deliver_notification.apply(args=[notification_id])
    finally:
        app.conf.task_eager_propagates = previous


def test_a_failing_gateway_is_retried_then_recorded_as_failed(dossier, sms):
    sms("BrokenSMSBackend")
    dossier.applicant_email = ""
    dossier.save()
    notify_dossier_event(dossier_id=dossier.pk, kind="result_ready")

    run_with_retries(Notification.objects.get().pk)

    row = Notification.objects.get()
    assert row.status == NotificationStatus.FAILED
    assert row.attempts == 3  # ONESTOP_NOTIFY_MAX_ATTEMPTS in tests/notifications/conftest.py
    assert row.last_error == "SMSError: gateway answered 503"
    assert row.sent_at is None and row.next_attempt_at is None
    # A late duplicate message of the task does nothing more.
    assert deliver_notification.apply(args=[row.pk]).get() == "skipped"
    assert Notification.objects.get().attempts == 3


def test_a_transient_error_is_retried_and_then_sent(dossier, sms):
    sms("FlakySMSBackend")
    dossier.applicant_email = ""
    dossier.save()
    notify_dossier_event(dossier_id=dossier.pk, kind="result_ready")

    run_with_retries(Notification.objects.get().pk)

    row = Notification.objects.get()
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, "SMSError: timeout")
    assert len(sms_backends.sent) == 1


def test_a_failed_attempt_schedules_the_next_one_with_exponential_backoff(dossier, sms):
    sms("BrokenSMSBackend")
    dossier.applicant_email = ""
    dossier.save()
    notify_dossier_event(dossier_id=dossier.pk, kind="result_ready")
    row = Notification.objects.get()

    before = timezone.now()
    assert deliver(notification_id=row.pk) == "retry"
    row.refresh_from_db()
    assert row.status == "pending" and row.attempts == 1
    assert (
        before + dt.timedelta(seconds=30) <= row.next_attempt_at <= timezone.now() + dt.timedelta(seconds=30)
    )
    assert [backoff_seconds(n) for n in (1, 2, 3, 8, 20)] == [30, 60, 120, 3600, 3600]


def test_an_already_sent_notification_is_not_sent_again(dossier, sms, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify_dossier_event(dossier_id=dossier.pk, kind="received")
    row = Notification.objects.get(channel="email")

    assert deliver_notification.apply(args=[row.pk]).get() == "skipped"
    assert len(mail.outbox) == 1


def test_deliver_pending_requeues_what_a_dead_worker_left(dossier, sms):
    notify_dossier_event(dossier_id=dossier.pk, kind="received")  # on_commit never ran: lost
    Notification.objects.update(next_attempt_at=timezone.now() - dt.timedelta(minutes=5))

    assert deliver_pending() == 2
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}
    assert deliver_pending() == 0


def test_deliver_pending_leaves_fresh_rows_to_their_own_task(dossier, sms):
    notify_dossier_event(dossier_id=dossier.pk, kind="received")
    assert deliver_pending() == 0
    assert set(Notification.objects.values_list("status", flat=True)) == {"pending"}
