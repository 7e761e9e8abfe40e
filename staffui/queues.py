"""The queues of a staff member's day, each an indexed queryset, and their counts for the menu.

Reception queues are dossiers of the user's agency (``dossier_status_due``,
``dossier_agency_received``), processing queues are tasks (``task_inbox``, ``task_owner``),
tracking queues the dossiers the user may see. Every queryset comes from the same selectors and
permission querysets the API uses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from api.pagination import bounded_count
from core.roles import Role, agency_id_of, has_role
from procedures.calendar import add_working_time
from workflows import selectors
from workflows.models import Decision, DossierStatus, DossierTask, TaskStatus
from workflows.permissions import Action, can, visible_dossiers

COUNT_SECONDS = 10  # the menu's other counts may lag this long behind; the lists themselves never do
# A badge stops at 99 ("99+", as a mail client's): it is a glance, and the list it opens counts up
# to ``COUNT_CAP``. Counting to 1,001 cost 27-48 ms for each of the desk's queues that hold all
# the years (refused at intake, withdrawn) at 1 M dossiers, every ``COUNT_SECONDS`` for everyone.
MENU_CAP = 99


@dataclass(frozen=True)
class Queue:
    slug: str
    title: str
    group: str  # reception / processing / tracking
    kind: str  # dossier / task


QUEUES = [
    Queue("supplement", _("Waiting for a supplement"), "reception", "dossier"),
    Queue("refused", _("Refused at intake"), "reception", "dossier"),
    Queue("results", _("Results to hand back"), "reception", "dossier"),
    Queue("withdrawn", _("Withdrawals"), "reception", "dossier"),
    Queue("mine", _("My tasks"), "processing", "task"),
    Queue("unclaimed", _("Unclaimed"), "processing", "task"),
    Queue("inter", _("From other agencies"), "processing", "task"),
    Queue("returned", _("Sent back / supplement asked"), "processing", "task"),
    Queue("finished", _("Finished"), "processing", "task"),
    Queue("overdue", _("Overdue"), "tracking", "dossier"),
    Queue("soon", _("Due soon"), "tracking", "dossier"),
    Queue("all", _("All dossiers"), "tracking", "dossier"),
]
BY_SLUG = {queue.slug: queue for queue in QUEUES}
GROUP_TITLES = {"reception": _("Reception desk"), "processing": _("Processing"), "tracking": _("Tracking")}


def groups_for(user) -> list[str]:
    groups = []
    if has_role(user, Role.RECEPTION) and agency_id_of(user) is not None:
        groups.append("reception")
    if has_role(user, Role.SPECIALIST, Role.HEAD) and agency_id_of(user) is not None:
        groups.append("processing")
    if has_role(user, Role.HEAD, Role.SUPERVISOR, Role.ADMIN, Role.RECEPTION):
        groups.append("tracking")
    return groups


def due_soon_threshold(now: dt.datetime, calendar) -> dt.datetime:
    return add_working_time(now, settings.ONESTOP_DUE_SOON_HOURS, calendar=calendar)


def queryset(slug: str, *, user, now: dt.datetime, calendar) -> QuerySet:
    """The rows of one queue, ordered most urgent (or newest) first."""
    agency_id = agency_id_of(user)
    if slug in ("supplement", "refused", "results", "withdrawn"):
        status = {
            "supplement": DossierStatus.WAITING_SUPPLEMENT,
            "refused": DossierStatus.REJECTED,
            "results": DossierStatus.RESULT_READY,
            "withdrawn": DossierStatus.WITHDRAWN,
        }[slug]
        return selectors.dossier_list(user=user, status=status, agency=agency_id)
    if slug == "mine":
        return selectors.inbox_for(user=user, assigned="me").select_related("dossier__procedure")
    if slug == "unclaimed":
        return (
            selectors.inbox_for(user=user, assigned="none")
            .filter(agency_id=agency_id)
            .select_related("dossier__procedure")
        )
    if slug == "inter":
        return (
            selectors.inbox_for(user=user)
            .select_related("dossier__procedure")
            .filter(agency_id=agency_id)
            .exclude(dossier__receiving_agency_id=agency_id)
        )
    if slug in ("returned", "finished"):
        tasks = DossierTask.objects.filter(owner=user, status=TaskStatus.DONE)
        if slug == "returned":
            tasks = tasks.filter(decision__in=[Decision.SEND_BACK, Decision.REQUEST_SUPPLEMENT])
        return tasks.select_related("dossier__procedure", "step", "agency", "owner").order_by(
            "-finished_at", "-id"
        )
    if slug == "overdue":
        return selectors.dossier_list(user=user, overdue=True, as_of=now).order_by("due_at", "id")
    if slug == "soon":  # on the visibility rows' due times (``dossier_agency_passing``)
        window = (now, due_soon_threshold(now, calendar))
        return selectors.dossier_list(user=user, status=DossierStatus.PROCESSING, due_window=window).order_by(
            "due_at", "id"
        )
    if slug == "all":
        return selectors.dossier_list(user=user)
    raise KeyError(slug)


def menu(user, *, now: dt.datetime, calendar) -> list[dict]:
    """The menu: per group its queues with a count; one COUNT per queue, cached briefly per user.
    Each count stops at ``MENU_CAP`` (``more``: "99+"), so a badge reads at most that many rows."""
    groups = groups_for(user)
    key = counts_key(user)
    cached = cache.get(key)
    counts = cached[1] if cached and cached[0] == groups else None
    if counts is None:
        counts = {}
        for queue in QUEUES:
            if queue.group in groups:
                if queue.slug == "all" and (total := visible_count(user)) is not None:
                    counts[queue.slug] = total
                else:
                    rows = queryset(queue.slug, user=user, now=now, calendar=calendar)
                    counts[queue.slug] = bounded_count(rows, MENU_CAP + 1)
        cache.set(key, (groups, counts), COUNT_SECONDS)
    return [
        {
            "slug": group,
            "title": GROUP_TITLES[group],
            "queues": [
                {
                    "slug": q.slug,
                    "title": q.title,
                    "count": min(counts.get(q.slug, 0), MENU_CAP),
                    "more": counts.get(q.slug, 0) > MENU_CAP,
                }
                for q in QUEUES
                if q.group == group
            ],
        }
        for group in groups
    ]


def counts_key(user) -> str:
    return f"staffui:counts:{user.pk}"


def forget_counts(user) -> None:
    """After the user's own change their menu is counted afresh (others' may lag COUNT_SECONDS)."""
    cache.delete(counts_key(user))


def visible_count(user) -> int | None:
    """Every visible dossier, up to ``MENU_CAP + 1``, on the visibility index (None: the whole
    table, counted like any other queue)."""
    return selectors.dossiers_visible_count(user=user, limit=MENU_CAP + 1)


def can_see_board(user) -> bool:
    return can(user, Action.VIEW_MONITORING)


__all__ = ["QUEUES", "BY_SLUG", "menu", "queryset", "groups_for", "visible_dossiers"]
