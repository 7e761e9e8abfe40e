"""Reads: a staff user's in-app notifications and the supervisors' deadline queue."""

import datetime as dt

from django.db.models import CharField, F, IntegerField, QuerySet, Value

from notifications.clock import working_threshold
from notifications.models import Notification, NotificationChannel
from workflows import rules
from workflows.models import Dossier, DossierTask, TaskStatus

QUEUE_ITEMS = ("task", "dossier")
QUEUE_STATES = ("overdue", "due_soon")


def notifications_for(*, user, unread: bool | None = None) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=user, channel=NotificationChannel.IN_APP).order_by(
        "-created_at", "-id"
    )
    if unread is True:
        qs = qs.filter(read_at__isnull=True)
    elif unread is False:
        qs = qs.filter(read_at__isnull=False)
    return qs


def _window(qs: QuerySet, *, as_of: dt.datetime, threshold: dt.datetime, state: str | None) -> QuerySet:
    if state == "overdue":
        return qs.filter(due_at__lte=as_of)
    if state == "due_soon":
        return qs.filter(due_at__gt=as_of, due_at__lte=threshold)
    return qs.filter(due_at__lte=threshold)


def deadline_queue(
    *,
    as_of: dt.datetime,
    due_soon_hours: float,
    item: str | None = None,
    state: str | None = None,
    agency_id: int | None = None,
) -> QuerySet:
    """Open tasks and processing dossiers that are overdue or due soon, most urgent first.

    Each half is a range scan on the (status, due_at) indexes; rows are dicts with the ``q_``
    columns (item, ids, code, agency, step, owner, due time, when the sweep flagged it due soon and overdue).
    """
    threshold = working_threshold(as_of=as_of, working_hours=due_soon_hours)
    tasks = _window(
        DossierTask.objects.filter(rules.clock_running("dossier__"), status=TaskStatus.OPEN),
        as_of=as_of,
        threshold=threshold,
        state=state,
    )
    dossiers = _window(
        Dossier.objects.filter(rules.clock_running()), as_of=as_of, threshold=threshold, state=state
    )
    if agency_id is not None:
        tasks = tasks.filter(agency_id=agency_id)
        dossiers = dossiers.filter(receiving_agency_id=agency_id)
    columns = ("q_item", "q_task", "q_dossier", "q_code", "q_agency", "q_agency_name", "q_step", "q_role")
    columns += ("q_owner", "q_due", "q_due_soon_flagged", "q_overdue_flagged")
    tasks = tasks.annotate(
        q_item=Value("task", CharField()),
        q_task=F("id"),
        q_dossier=F("dossier_id"),
        q_code=F("dossier__code"),
        q_agency=F("agency_id"),
        q_agency_name=F("agency__name"),
        q_step=F("step__name"),
        q_role=F("role"),
        q_owner=F("owner_id"),
        q_due=F("due_at"),
        q_due_soon_flagged=F("due_soon_notified_at"),
        q_overdue_flagged=F("overdue_notified_at"),
    ).values(*columns)
    dossiers = dossiers.annotate(
        q_item=Value("dossier", CharField()),
        q_task=Value(None, IntegerField()),
        q_dossier=F("id"),
        q_code=F("code"),
        q_agency=F("receiving_agency_id"),
        q_agency_name=F("receiving_agency__name"),
        q_step=Value(None, CharField()),
        q_role=Value(None, CharField()),
        q_owner=Value(None, IntegerField()),
        q_due=F("due_at"),
        q_due_soon_flagged=F("due_soon_notified_at"),
        q_overdue_flagged=F("overdue_notified_at"),
    ).values(*columns)
    if item == "task":
        return tasks.order_by("q_due", "q_task")
    if item == "dossier":
        return dossiers.order_by("q_due", "q_dossier")
    return tasks.union(dossiers, all=True).order_by("q_due", "q_item", "q_dossier")
