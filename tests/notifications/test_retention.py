"""Delivered notifications leave after ONESTOP_DELIVERED_RETENTION_DAYS; nothing else does, and never
the audit trail (notifications/retention.py)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.models import Notification, NotificationChannel, NotificationKind, NotificationStatus
from notifications.retention import purge_delivered_notifications
from notifications.tasks import purge_delivered
from tests.notifications.factories import make_dossier, make_staff
from workflows.models import DossierEvent

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2027, 6, 1, 3, 0, tzinfo=dt.UTC)


def _row(n: int, *, channel, status, age_days: float, read: bool = False, user=None, dossier=None):
    sent = NOW - dt.timedelta(days=age_days)
    return Notification.objects.create(
        kind=NotificationKind.RECEIVED if user is None else NotificationKind.TASK_OVERDUE,
        channel=channel,
        recipient=user,
        address="" if user is not None else f"09{n:08d}",
        recipient_key=f"user:{user.pk}" if user is not None else f"09{n:08d}",
        dossier=dossier,
        dedupe_key=f"test:{n}",
        status=status,
        created_at=sent,
        sent_at=sent if status == NotificationStatus.SENT else None,
        read_at=sent if read else None,
    )


@pytest.fixture
def rows():
    user = make_staff(role="specialist", agency=None)
    dossier = make_dossier(due_at=NOW)
    made = {
        "old_sms": _row(1, channel=NotificationChannel.SMS, status=NotificationStatus.SENT, age_days=400),
        "old_email": _row(2, channel=NotificationChannel.EMAIL, status=NotificationStatus.SENT, age_days=366),
        "old_read_in_app": _row(
            3,
            channel=NotificationChannel.IN_APP,
            status=NotificationStatus.SENT,
            age_days=500,
            read=True,
            user=user,
        ),
        "old_unread_in_app": _row(
            4, channel=NotificationChannel.IN_APP, status=NotificationStatus.SENT, age_days=500, user=user
        ),
        "old_failed": _row(
            5, channel=NotificationChannel.SMS, status=NotificationStatus.FAILED, age_days=400
        ),
        "old_pending": _row(
            6, channel=NotificationChannel.EMAIL, status=NotificationStatus.PENDING, age_days=400
        ),
        "recent_sms": _row(7, channel=NotificationChannel.SMS, status=NotificationStatus.SENT, age_days=364),
    }
    DossierEvent.objects.create(dossier=dossier, at=NOW - dt.timedelta(days=900), action="registered")
    return made


def _left() -> set[str]:
    return set(Notification.objects.values_list("dedupe_key", flat=True))


def test_only_delivered_rows_past_the_window_are_deleted(rows):
    assert purge_delivered_notifications(now=NOW, days=365) == 3
    kept = {
        rows[name].dedupe_key for name in ("old_unread_in_app", "old_failed", "old_pending", "recent_sms")
    }
    assert _left() == kept
    assert DossierEvent.objects.count() == 1  # the audit trail is not the delivery queue


def test_zero_days_keeps_everything(rows):
    assert purge_delivered_notifications(now=NOW, days=0) == 0
    assert len(_left()) == len(rows)


def test_batches_are_one_select_and_one_delete_each(rows):
    with CaptureQueriesContext(connection) as queries:
        assert purge_delivered_notifications(now=NOW, days=365, batch_size=2) == 3
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    work = [s for s in statements if s in ("SELECT", "DELETE")]
    # two full batches (2 + 1 row: the second is short and ends the loop)
    assert work == ["SELECT", "DELETE", "SELECT", "DELETE"], statements


def test_the_daily_task_reads_the_setting(rows, settings, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    settings.ONESTOP_DELIVERED_RETENTION_DAYS = 450
    assert purge_delivered() == 1  # only the 500-day-old read in-app notification
    assert rows["old_sms"].dedupe_key in _left()
    assert "notifications.purge_delivered" in {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
