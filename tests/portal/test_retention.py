"""Sent portal sync rows leave after ONESTOP_DELIVERED_RETENTION_DAYS, except each dossier's last
(its sequence goes on from it); pending and failed rows never do (portal/retention.py)."""

import datetime as dt

import pytest
from django.utils import timezone

from portal.models import SyncRow, SyncStatus
from portal.outbox import next_sequence
from portal.retention import purge_delivered_sync_rows
from portal.tasks import purge_delivered
from tests.notifications.factories import make_dossier

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2027, 6, 1, 3, 0, tzinfo=dt.UTC)


def _row(dossier, sequence: int, *, status=SyncStatus.SENT, age_days: float = 400):
    at = NOW - dt.timedelta(days=age_days)
    return SyncRow.objects.create(
        dossier=dossier,
        sequence=sequence,
        kind="progress",
        portal_status=2,
        payload={},
        status=status,
        created_at=at,
        sent_at=at if status == SyncStatus.SENT else None,
    )


@pytest.fixture
def dossiers():
    done, stuck, recent = (make_dossier(due_at=NOW) for _ in range(3))
    for sequence in (1, 2, 3):
        _row(done, sequence)  # three old sent rows: the first two may go
    _row(stuck, 1)
    _row(stuck, 2, status=SyncStatus.FAILED)  # a failed row holds the dossier's queue: kept
    _row(stuck, 3, status=SyncStatus.PENDING)
    _row(recent, 1, age_days=10)
    _row(recent, 2, age_days=5)
    return {"done": done, "stuck": stuck, "recent": recent}


def _sequences(dossier) -> list[int]:
    return sorted(SyncRow.objects.filter(dossier=dossier).values_list("sequence", flat=True))


def test_sent_rows_past_the_window_go_except_each_dossiers_last(dossiers):
    assert purge_delivered_sync_rows(now=NOW, days=365) == 3
    assert _sequences(dossiers["done"]) == [3]
    assert _sequences(dossiers["stuck"]) == [2, 3]  # its old sent row 1 went; failed and pending stay
    assert _sequences(dossiers["recent"]) == [1, 2]


def test_the_sequence_goes_on_after_a_purge(dossiers):
    purge_delivered_sync_rows(now=NOW, days=365)
    done = dossiers["done"]
    row = SyncRow.objects.create(
        dossier=done,
        sequence=next_sequence(done.pk),
        kind="progress",
        portal_status=3,
        payload={},
        created_at=NOW,
    )
    row.refresh_from_db()
    assert row.sequence == 4


def test_zero_days_keeps_everything_and_the_task_reads_the_setting(dossiers, settings, monkeypatch):
    assert purge_delivered_sync_rows(now=NOW, days=0) == 0
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    settings.ONESTOP_DELIVERED_RETENTION_DAYS = 7
    assert purge_delivered() == 4  # recent's row 1 too (10 days old), never a dossier's last
    assert _sequences(dossiers["recent"]) == [2]
    assert "portal.purge_delivered" in {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
