"""The set-based sweep: a constant number of statements, a day's gap, a worker dying between
batches, two sweeps overlapping, and the hand-over of new e-mails to the broker in batches."""

import datetime as dt
import threading
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from notifications import outbox
from notifications.clock import working_threshold
from notifications.models import Notification, NotificationChannel
from notifications.sweep import sweep_deadlines
from tests.factories import AgencyFactory, make_procedure
from tests.notifications.factories import make_dossier, make_staff, make_task
from tests.notifications.reference_sweep import reference_sweep
from tests.notifications.test_sweep_equivalence import SWEEPS, build_world, state
from workflows.models import DossierTask

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = dt.datetime(2026, 3, 2, 8, 0, tzinfo=VN)


@pytest.fixture
def office():
    agency = AgencyFactory()
    make_staff(role=Role.HEAD, agency=agency, email="ld@example.vn")
    make_staff(role=Role.SUPERVISOR, agency=agency)
    make_staff(role=Role.SPECIALIST, agency=agency, email="cv@example.vn")
    return make_procedure(agency=agency)


def crossing(procedure, as_of: dt.datetime, n: int) -> None:
    """``n`` tasks and ``n`` dossiers overdue at ``as_of``, and as many due soon."""
    for i in range(n):
        late = as_of - dt.timedelta(minutes=i + 1)
        soon = as_of + dt.timedelta(minutes=i + 1)
        for due in (late, soon):
            make_dossier(procedure=procedure, due_at=due)
            make_task(
                dossier=make_dossier(procedure=procedure, due_at=as_of + dt.timedelta(days=60)), due_at=due
            )


def statements(as_of: dt.datetime) -> int:
    working_threshold(as_of=as_of, working_hours=8)  # the calendar, read once and cached
    with CaptureQueriesContext(connection) as captured:
        result = sweep_deadlines(as_of=as_of, due_soon_hours=8)
    assert result.notifications > 0
    return sum(1 for q in captured.captured_queries if "SAVEPOINT" not in q["sql"])


@pytest.mark.django_db
def test_the_statements_per_sweep_do_not_depend_on_how_many_rows_cross(office):
    crossing(office, MONDAY, 1)
    one = statements(MONDAY)
    crossing(office, MONDAY + dt.timedelta(days=7), 40)
    many = statements(MONDAY + dt.timedelta(days=7))

    assert Notification.objects.count() > 40 * 4
    # Per kind: a claim and one INSERT … SELECT (and SET LOCAL jit = off on PostgreSQL).
    assert one == many == 4 * (3 if connection.vendor == "postgresql" else 2)


@pytest.mark.django_db
def test_after_a_days_gap_every_crossing_is_warned_once_and_the_next_sweep_finds_nothing(office, settings):
    settings.ONESTOP_SWEEP_BATCH_SIZE = 4  # several batches per kind
    dossier = make_dossier(procedure=office, due_at=MONDAY + dt.timedelta(days=60))
    # Due every 20 minutes from Monday 08:00 to Wednesday; nothing swept since Monday 08:00.
    tasks = [make_task(dossier=dossier, due_at=MONDAY + dt.timedelta(minutes=20 * i)) for i in range(150)]
    as_of = MONDAY + dt.timedelta(days=1)
    threshold = working_threshold(as_of=as_of, working_hours=8)

    result = sweep_deadlines(as_of=as_of, due_soon_hours=8)

    overdue = {t.id for t in tasks if t.due_at <= as_of}
    due_soon = {t.id for t in tasks if as_of < t.due_at <= threshold}
    assert (result.tasks_overdue, result.tasks_due_soon) == (len(overdue), len(due_soon))
    in_app = Notification.objects.filter(channel=NotificationChannel.IN_APP)
    assert set(in_app.filter(kind="task_overdue").values_list("task_id", flat=True)) == overdue
    assert set(in_app.filter(kind="task_due_soon").values_list("task_id", flat=True)) == due_soon
    # Head and supervisor for each late task, both specialists' pool for each due soon: once each.
    assert in_app.filter(kind="task_overdue").count() == 2 * len(overdue)
    assert in_app.filter(kind="task_due_soon").count() == len(due_soon)
    assert DossierTask.objects.filter(id__in=overdue, overdue_notified_at=as_of).count() == len(overdue)

    again = sweep_deadlines(as_of=as_of + dt.timedelta(minutes=1), due_soon_hours=8)
    assert (again.tasks_overdue, again.notifications) == (0, 0)


@pytest.mark.django_db
def test_a_worker_dying_between_batches_loses_and_doubles_nothing(settings):
    settings.ONESTOP_NOTIFY_STAFF_EMAIL = True
    settings.ONESTOP_SWEEP_BATCH_SIZE = 3
    for seed in range(3):
        build_world(seed)
    with transaction.atomic():
        reference_sweep(as_of=SWEEPS[0], due_soon_hours=8)
        expected = state()
        transaction.set_rollback(True)
    assert expected[0]

    from notifications import sweep as sweep_module

    real, calls = sweep_module._notify, []

    def dies_on_the_second_batch(**kwargs):
        calls.append(kwargs["ids"])
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        return real(**kwargs)

    with mock.patch.object(sweep_module, "_notify", dies_on_the_second_batch), pytest.raises(RuntimeError):
        sweep_deadlines(as_of=SWEEPS[0], due_soon_hours=8)
    # The first batch (task_overdue) was committed, the second rolled back with its flags.
    flagged = DossierTask.objects.filter(overdue_notified_at__isnull=False)
    assert set(flagged.values_list("id", flat=True)) == set(calls[0])
    assert Notification.objects.count() < len(expected[0])

    sweep_deadlines(as_of=SWEEPS[0], due_soon_hours=8)  # the next beat
    assert state() == expected


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_overlapping_sweeps_write_what_one_sweep_writes(settings):
    if connection.vendor != "postgresql":
        pytest.skip("Overlapping sweeps need PostgreSQL (row locks, SKIP LOCKED); SQLite serialises writers")
    settings.ONESTOP_NOTIFY_STAFF_EMAIL = True
    settings.ONESTOP_SWEEP_BATCH_SIZE = 2  # many small batches, so the two sweeps interleave
    for seed in range(3):
        build_world(seed)
    with transaction.atomic():
        reference_sweep(as_of=SWEEPS[2], due_soon_hours=8)
        expected = state()
        transaction.set_rollback(True)
    barrier, errors = threading.Barrier(2), []

    def run():
        try:
            barrier.wait()
            sweep_deadlines(as_of=SWEEPS[2], due_soon_hours=8)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    # The rows as written, not as delivered: no delivery after the commits.
    with mock.patch("notifications.sweep.queue_delivery_batches"):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

    assert errors == []
    assert state() == expected


@pytest.mark.django_db
def test_new_emails_are_handed_over_after_the_commit_in_batches(office, django_capture_on_commit_callbacks):
    crossing(office, MONDAY, 3)
    with (
        mock.patch.object(outbox, "DELIVERY_BATCH", 2),
        mock.patch.object(outbox.deliver_batch, "delay") as delay,
    ):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            sweep_deadlines(as_of=MONDAY, due_soon_hours=8)
        assert delay.call_count == 0  # nothing reaches the broker before the commit
        for callback in callbacks:
            callback()

    emails = set(Notification.objects.filter(channel=NotificationChannel.EMAIL).values_list("id", flat=True))
    sent = [call.args[0] for call in delay.call_args_list]
    assert emails and {pk for chunk in sent for pk in chunk} == emails
    assert all(len(chunk) <= 2 for chunk in sent) and sum(map(len, sent)) == len(emails)


def test_a_batch_fans_out_into_one_delivery_per_notification():
    with mock.patch.object(outbox.deliver_notification, "delay") as delay:
        assert outbox.deliver_batch.run([7, 8, 9]) == 3
    assert [call.args for call in delay.call_args_list] == [(7,), (8,), (9,)]


def test_a_broker_failure_stops_the_hand_over_and_leaves_the_rows_pending(caplog):
    from kombu.exceptions import OperationalError

    outbox.broker_breaker.succeeded()
    with mock.patch.object(outbox.deliver_batch, "delay", side_effect=OperationalError("refused")) as delay:
        outbox.queue_delivery_batches(range(1200))
    assert delay.call_count == 1
    assert "1200 notifications not queued; deliver_pending will retry them" in caplog.text
    outbox.broker_breaker.succeeded()


def test_an_sqlite_without_returning_is_refused_by_the_system_check():
    from notifications.checks import sqlite_returning

    sqlite = {"default": {"ENGINE": "django.db.backends.sqlite3"}}
    postgres = {"default": {"ENGINE": "django.db.backends.postgresql"}}
    assert [e.id for e in sqlite_returning((3, 34, 1), sqlite)] == ["notifications.E001"]
    assert sqlite_returning((3, 35, 0), sqlite) == []
    assert sqlite_returning((3, 34, 1), postgres) == []
