"""The deadline sweep with a fixed ``as_of``: what is due soon, what is overdue, and who hears it."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from core.roles import Role
from notifications.models import Notification, NotificationChannel, NotificationKind, NotificationStatus
from notifications.sweep import sweep_deadlines
from tests.factories import AgencyFactory, make_procedure
from tests.notifications.factories import make_dossier, make_staff, make_task
from workflows.models import DossierStatus, DossierTask, TaskStatus

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=VN)


def sweep(as_of: dt.datetime):
    return sweep_deadlines(as_of=as_of, due_soon_hours=8)


def kinds_for(user) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", "channel"))


@pytest.fixture
def office():
    agency = AgencyFactory()
    return {
        "agency": agency,
        "procedure": make_procedure(agency=agency),
        "specialist": make_staff(role=Role.SPECIALIST, agency=agency, email="cv@example.vn"),
        "other_specialist": make_staff(role=Role.SPECIALIST, agency=agency),
        "head": make_staff(role=Role.HEAD, agency=agency, email="ld@example.vn"),
        "supervisor": make_staff(role=Role.SUPERVISOR, agency=agency),
        "province_supervisor": make_staff(role=Role.SUPERVISOR, agency=None),
        "elsewhere_head": make_staff(role=Role.HEAD, agency=AgencyFactory()),
    }


def far_dossier(office, **kwargs):
    """A processing dossier whose own due date is far away, to test its tasks alone."""
    return make_dossier(procedure=office["procedure"], due_at=at(2026, 6, 1, 17, 0), **kwargs)


def test_less_than_one_working_day_left_is_due_soon_and_goes_to_the_owner(office):
    dossier = far_dossier(office)
    # Monday 09:00: 6 working hours are left on Monday, so the threshold is Tuesday 09:00.
    soon = make_task(dossier=dossier, due_at=at(2026, 3, 3, 8, 30), owner=office["specialist"])
    later = make_task(dossier=dossier, due_at=at(2026, 3, 3, 10, 0), owner=office["specialist"])

    result = sweep(at(2026, 3, 2, 9, 0))

    assert result.tasks_due_soon == 1
    assert result.threshold == at(2026, 3, 3, 9, 0).isoformat()
    soon.refresh_from_db()
    later.refresh_from_db()
    assert soon.due_soon_notified_at == at(2026, 3, 2, 9, 0)
    assert later.due_soon_notified_at is None
    assert kinds_for(office["specialist"]) == [("task_due_soon", "email"), ("task_due_soon", "in_app")]
    assert Notification.objects.exclude(recipient=office["specialist"]).count() == 0
    in_app = Notification.objects.get(channel=NotificationChannel.IN_APP)
    assert in_app.task_id == soon.id and in_app.status == NotificationStatus.SENT
    assert in_app.payload["dossier_code"] == dossier.code


def test_an_unclaimed_due_soon_task_goes_to_every_specialist_of_the_agency(office):
    task = make_task(dossier=far_dossier(office), due_at=at(2026, 3, 2, 16, 0))

    sweep(at(2026, 3, 2, 9, 0))

    recipients = set(Notification.objects.filter(task=task).values_list("recipient_id", flat=True))
    assert recipients == {office["specialist"].id, office["other_specialist"].id}


def test_the_weekend_does_not_count_as_working_time(office):
    dossier = far_dossier(office)
    # Friday 15:00: 2 hours left on Friday, the weekend is off, Monday 10:00 is 5 working hours away.
    monday = make_task(dossier=dossier, due_at=at(2026, 3, 9, 10, 0), owner=office["specialist"])
    tuesday = make_task(dossier=dossier, due_at=at(2026, 3, 10, 9, 0), owner=office["specialist"])

    result = sweep(at(2026, 3, 6, 15, 0))

    assert result.threshold == at(2026, 3, 9, 15, 0).isoformat()
    assert list(Notification.objects.values_list("task_id", flat=True).distinct()) == [monday.id]
    tuesday.refresh_from_db()
    assert tuesday.due_soon_notified_at is None


def test_tet_does_not_count_as_working_time(office):
    dossier = far_dossier(office)
    # Friday 13 Feb 2026 is the last working day before Tết (14-22 Feb); 23 Feb is the next one.
    after_tet = make_task(dossier=dossier, due_at=at(2026, 2, 23, 9, 0), owner=office["specialist"])
    later = make_task(dossier=dossier, due_at=at(2026, 2, 24, 9, 0), owner=office["specialist"])

    result = sweep(at(2026, 2, 13, 10, 0))

    assert result.threshold == at(2026, 2, 23, 10, 0).isoformat()
    assert result.tasks_due_soon == 1
    assert set(Notification.objects.values_list("task_id", flat=True)) == {after_tet.id}
    later.refresh_from_db()
    assert later.due_soon_notified_at is None


def test_an_overdue_task_goes_to_the_heads_and_the_supervisors_only_as_overdue(office):
    task = make_task(dossier=far_dossier(office), due_at=at(2026, 3, 2, 8, 0), owner=office["specialist"])

    result = sweep(at(2026, 3, 2, 9, 0))

    assert (result.tasks_overdue, result.tasks_due_soon) == (1, 0)
    task.refresh_from_db()
    assert task.overdue_notified_at == at(2026, 3, 2, 9, 0)
    assert task.due_soon_notified_at == at(2026, 3, 2, 9, 0)
    notified = set(Notification.objects.values_list("recipient_id", "kind", "channel"))
    assert notified == {
        (office["head"].id, "task_overdue", "in_app"),
        (office["head"].id, "task_overdue", "email"),
        (office["supervisor"].id, "task_overdue", "in_app"),
        (office["province_supervisor"].id, "task_overdue", "in_app"),
    }


def test_done_tasks_and_finished_dossiers_are_left_alone(office):
    dossier = make_dossier(
        procedure=office["procedure"], due_at=at(2026, 3, 1, 8, 0), status=DossierStatus.RESULT_READY
    )
    make_task(dossier=far_dossier(office), due_at=at(2026, 3, 1, 8, 0), status=TaskStatus.DONE)
    make_task(dossier=dossier, due_at=at(2026, 3, 1, 8, 0))

    result = sweep(at(2026, 3, 2, 9, 0))

    assert (result.tasks_overdue, result.dossiers_overdue, result.notifications) == (0, 0, 0)


def test_a_paused_dossier_and_its_tasks_are_not_overdue_while_paused(office):
    paused = make_dossier(
        procedure=office["procedure"],
        due_at=at(2026, 3, 2, 8, 0),
        status=DossierStatus.WAITING_SUPPLEMENT,
        paused_at=at(2026, 2, 27, 9, 0),
    )
    task = make_task(dossier=paused, due_at=at(2026, 3, 2, 8, 0))

    result = sweep(at(2026, 3, 2, 9, 0))

    assert (result.dossiers_overdue, result.tasks_overdue, result.notifications) == (0, 0, 0)
    # Resumed with its old due time still passed: now it is overdue.
    paused.status = DossierStatus.PROCESSING
    paused.paused_at = None
    paused.save()
    result = sweep(at(2026, 3, 2, 9, 1))
    assert (result.dossiers_overdue, result.tasks_overdue) == (1, 1)
    assert DossierTask.objects.get(pk=task.pk).overdue_notified_at is not None


def test_a_dossier_one_working_day_before_its_due_date_prompts_the_head_to_apologise(office):
    dossier = make_dossier(procedure=office["procedure"], due_at=at(2026, 3, 3, 8, 0))

    result = sweep(at(2026, 3, 2, 9, 0))

    assert result.dossiers_due_soon == 1
    assert kinds_for(office["head"]) == [("apology_prompt", "email"), ("apology_prompt", "in_app")]
    assert Notification.objects.filter(dossier=dossier).exclude(recipient=office["head"]).count() == 0


def test_an_extended_dossier_uses_its_new_date_and_is_not_prompted_again(office):
    # The original date has passed, but the extension moved due_at to Wednesday 10:00.
    dossier = make_dossier(procedure=office["procedure"], due_at=at(2026, 3, 4, 10, 0), extended=True)
    dossier.original_due_at = at(2026, 3, 2, 8, 0)
    dossier.save()

    first = sweep(at(2026, 3, 2, 9, 0))
    assert (first.dossiers_overdue, first.dossiers_due_soon) == (0, 0)

    second = sweep(at(2026, 3, 3, 11, 0))
    assert second.dossiers_due_soon == 1
    assert kinds_for(office["head"]) == [("dossier_due_soon", "email"), ("dossier_due_soon", "in_app")]

    third = sweep(at(2026, 3, 4, 10, 0))
    assert third.dossiers_overdue == 1
    assert Notification.objects.filter(kind=NotificationKind.DOSSIER_OVERDUE).count() == 4


def test_a_late_dossier_goes_to_the_head_and_the_supervisors(office):
    make_dossier(procedure=office["procedure"], due_at=at(2026, 3, 2, 8, 0))

    sweep(at(2026, 3, 2, 9, 0))

    recipients = set(
        Notification.objects.filter(kind="dossier_overdue", channel="in_app").values_list(
            "recipient_id", flat=True
        )
    )
    assert recipients == {office["head"].id, office["supervisor"].id, office["province_supervisor"].id}
    assert not Notification.objects.filter(kind="apology_prompt").exists()


def test_sweeping_again_notifies_nothing_new(office, settings):
    settings.ONESTOP_SWEEP_BATCH_SIZE = 2  # several batches per kind
    dossier = far_dossier(office)
    for hour in range(8, 13):
        make_task(dossier=dossier, due_at=at(2026, 3, 2, hour, 0), owner=office["specialist"])

    first = sweep(at(2026, 3, 2, 14, 0))
    count = Notification.objects.count()
    second = sweep(at(2026, 3, 2, 14, 0))

    assert first.tasks_overdue == 5 and count == 5 * 4  # head in-app + e-mail, two supervisors
    assert (second.tasks_overdue, second.notifications) == (0, 0)
    assert Notification.objects.count() == count


def test_the_unique_constraint_drops_a_duplicate_when_a_flag_was_lost(office):
    task = make_task(dossier=far_dossier(office), due_at=at(2026, 3, 2, 8, 0), owner=office["specialist"])
    sweep(at(2026, 3, 2, 9, 0))
    count = Notification.objects.count()
    DossierTask.objects.filter(pk=task.pk).update(overdue_notified_at=None, due_soon_notified_at=None)

    again = sweep(at(2026, 3, 2, 9, 5))

    assert again.tasks_overdue == 1
    assert Notification.objects.count() == count


def test_a_new_due_time_is_a_new_event(office):
    """If the workflow moves a due time and clears the flag, the new deadline is warned about too."""
    task = make_task(dossier=far_dossier(office), due_at=at(2026, 3, 2, 16, 0), owner=office["specialist"])
    sweep(at(2026, 3, 2, 9, 0))
    DossierTask.objects.filter(pk=task.pk).update(due_at=at(2026, 3, 3, 16, 0), due_soon_notified_at=None)

    sweep(at(2026, 3, 3, 9, 0))

    assert Notification.objects.filter(task=task, channel="in_app").count() == 2


def test_a_sweep_that_crashes_halfway_loses_nothing(office, monkeypatch):
    task = make_task(dossier=far_dossier(office), due_at=at(2026, 3, 2, 8, 0))

    def crash(**kwargs):
        raise RuntimeError("worker died")

    monkeypatch.setattr("notifications.sweep._notify", crash)
    with pytest.raises(RuntimeError):
        sweep(at(2026, 3, 2, 9, 0))
    task.refresh_from_db()
    assert task.overdue_notified_at is None and not Notification.objects.exists()

    monkeypatch.undo()
    assert sweep(at(2026, 3, 2, 9, 1)).tasks_overdue == 1
    assert Notification.objects.filter(task=task).exists()
