"""The SMS gateway failing: the desk does not notice (registration and processing answer as
usual), the SMS is retried (sent once when the gateway recovers; recorded as failed with its error
after the last attempt, never dropped), and the e-mail of the same event goes out regardless."""

import pytest
from django.core import mail

from notifications.models import Notification
from notifications.sms import _load
from tests.api.conftest import registration
from tests.notifications import sms_backends
from tests.notifications.test_delivery import run_with_retries

from . import figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def gateway(settings):
    def use(name: str):
        settings.ONESTOP_SMS_BACKEND = f"tests.notifications.sms_backends.{name}"
        _load.cache_clear()

    settings.ONESTOP_NOTIFY_MAX_ATTEMPTS = 3
    sms_backends.sent.clear()
    sms_backends.calls["flaky"] = 0
    yield use
    _load.cache_clear()


def _walk(staff, as_user, django_capture_on_commit_callbacks) -> dict:
    reception, specialist = as_user(staff[(0, "reception")]), as_user(staff[(0, "specialist")])
    with django_capture_on_commit_callbacks(execute=True):
        created = reception.post("/api/v1/dossiers/", registration("1.001234"), format="json")
    assert created.status_code == 201, created.content
    task = created.json()["open_tasks"][0]["id"]
    with django_capture_on_commit_callbacks(execute=True):
        claimed = specialist.post(f"/api/v1/tasks/{task}/claim/")
        completed = specialist.post(f"/api/v1/tasks/{task}/complete/", {"decision": "approve"}, format="json")
    assert (claimed.status_code, completed.status_code) == (200, 200)
    return created.json()


@pytest.mark.parametrize(
    ("backend", "outcome", "attempts", "sent"),
    [("FlakySMSBackend", "sent", 2, 1), ("BrokenSMSBackend", "failed", 3, 0)],
)
def test_a_failing_gateway_leaves_the_desk_alone_and_loses_nothing(
    gateway,
    staff,
    as_user,
    procedure,
    django_capture_on_commit_callbacks,
    backend,
    outcome,
    attempts,
    sent,  # noqa: F811
):
    gateway(backend)
    receipt = _walk(staff, as_user, django_capture_on_commit_callbacks)
    rows = Notification.objects.filter(dossier__code=receipt["code"], kind="received")
    sms, email = rows.get(channel="sms"), rows.get(channel="email")
    # The first attempt failed while the desk went on: the SMS waits for its retry, not dropped.
    assert (sms.status, sms.attempts, sms.sent_at) == ("pending", 1, None)
    assert sms.next_attempt_at is not None
    run_with_retries(sms.pk)  # what the worker does when each retry's countdown is over
    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == (outcome, attempts)
    assert sms.last_error.startswith("SMSError")
    assert len(sms_backends.sent) == sent
    assert (email.status, email.attempts) == ("sent", 1)
    assert [m.to for m in mail.outbox].count(["binh@example.vn"]) == 1
    figures.add(faults_injected=attempts - sent, faults_survived=attempts - sent, transitions=3)
