"""Reads: inboxes, dossier lists, the dossier timeline and the citizen's lookup.

Each returns a queryset or object built with a constant number of queries, filtered on indexed
columns (``task_inbox``, ``dossier_status_due``, ``dossier_agency_received`` …) and scoped to what
the user may see: supervisors and admins see every dossier; other staff the dossiers received by
their agency or with a task at their agency.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import (
    DateTimeField,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.utils import timezone

from core.exceptions import NotFound
from procedures.models import Procedure

from . import clock, permissions, rules
from .codes import is_code_prefix
from .models import (
    PASSING_STATUSES,
    Dossier,
    DossierEvent,
    DossierTask,
)
from .name_search import name_ids
from .permissions import Action
from .public_status import NOT_FOUND as PUBLIC_NOT_FOUND
from .public_status import dossier_public_status as dossier_public_status  # the citizen's view
from .public_status import key_matches


def inbox_for(
    *,
    user: AbstractBaseUser,
    assigned: str | None = None,
    overdue: bool = False,
    code: str | None = None,
    as_of: dt.datetime | None = None,
) -> QuerySet[DossierTask]:
    """Open tasks the user may take (their agency, a role they hold) or that are assigned to them.

    ``assigned="me"`` keeps only the user's own tasks, ``assigned="none"`` only unclaimed ones.
    """
    tasks = DossierTask.objects.filter(permissions.workable_tasks_q(user))
    if assigned == "me":
        tasks = tasks.filter(owner=user)
    elif assigned == "none":
        tasks = tasks.filter(owner__isnull=True)
    if overdue:
        tasks = tasks.filter(due_at__lt=as_of or clock.now())
    if code:
        tasks = tasks.filter(dossier__code__istartswith=code.strip())
    return tasks.select_related("dossier", "step", "agency", "owner").order_by("due_at", "id")


def dossiers_visible_to(*, user: AbstractBaseUser) -> QuerySet[Dossier]:
    """The dossiers the user may see (``permissions.visible_dossiers``)."""
    return permissions.visible_dossiers(user)


def dossiers_visible_count(*, user: AbstractBaseUser, limit: int) -> int | None:
    """How many dossiers the user may see, up to ``limit``; None for the whole table
    (``permissions.visible_dossiers_count``: an index-only scan of the visibility rows)."""
    return permissions.visible_dossiers_count(user, limit=limit)


def dossier_list_count(
    *,
    user: AbstractBaseUser,
    limit: int,
    status: str | None = None,
    overdue: bool | None = None,
    received_from: dt.date | dt.datetime | None = None,
    received_to: dt.date | dt.datetime | None = None,
    procedure: int | str | None = None,
    agency: int | None = None,
    search: str | SearchPlan | None = None,
    as_of: dt.datetime | None = None,
) -> int | None:
    """How many dossiers ``dossier_list`` with the same filters lists, up to ``limit``, counted on
    the visibility rows alone, when they answer it: for staff of one agency, an open status or
    ``overdue=True``, and the received dates. None when they do not (users who see everything,
    ``overdue=False``, a status the rows do not hold, a procedure, an agency or a search term):
    the caller counts the list. Counting the list itself would join each of up to ``limit`` rows
    to its dossier."""
    if overdue is False or procedure or agency or search:
        return None
    passing, due_before = _passing_filter(status, overdue, as_of or clock.now())
    if status and status != passing:
        return None
    after, before = _listed_bounds(received_from, received_to)
    return permissions.visible_dossiers_count(
        user, limit=limit, passing=passing, due_before=due_before, listed_from=after, listed_to=before
    )


def dossier_list(
    *,
    user: AbstractBaseUser,
    status: str | None = None,
    procedure: int | str | None = None,
    agency: int | None = None,
    overdue: bool | None = None,
    received_from: dt.date | dt.datetime | None = None,
    received_to: dt.date | dt.datetime | None = None,
    search: str | SearchPlan | None = None,
    as_of: dt.datetime | None = None,
    due_window: tuple[dt.datetime, dt.datetime] | None = None,
) -> QuerySet[Dossier]:
    """Dossiers the user may see, newest first (by ``listed_at``, see ``visible_dossiers``).
    ``procedure`` is an id or a procedure code; ``received_to`` as a date includes that whole
    day; ``search`` matches a code prefix or a part of the applicant's name (a term, or the
    ``search_plan`` of one when the caller needs to know whether it is narrow); ``due_window``
    (after, until), with an open ``status``: due after the first instant and by the second."""
    plan = search_plan(search) if isinstance(search, str) else search
    now = as_of or clock.now()
    # An open status, overdue: the agency's visibility rows of that status (a partial index).
    # Else few candidates on the dossier's own indexes (a narrow search): each is tested against
    # the user's visibility rows, not the agency's history walked.
    passing, due_before = _passing_filter(status, overdue, now)
    few = plan is not None and plan.narrow
    if due_window is not None and passing is None:
        raise ValueError("due_window needs an open status")
    dossiers = permissions.visible_dossiers(
        user, probe=few, passing=passing, due_before=due_before, due_window=due_window
    )
    if status and status != passing:  # a status the visibility rows do not answer
        dossiers = dossiers.filter(status=status)
    if procedure:
        # A code as a scalar subquery, not a join: the planner then reads ``dossier_procedure_received``
        # for the one id, where a join on the code walked every dossier newest first.
        if not isinstance(procedure, int):
            procedure = Subquery(Procedure.objects.filter(code=procedure).values("pk")[:1])
        dossiers = dossiers.filter(procedure_id=procedure)
    if agency:
        dossiers = dossiers.filter(receiving_agency_id=agency)
    if overdue is False:
        # A dossier waiting for the applicant's supplement has its clock stopped: not overdue.
        dossiers = dossiers.exclude(rules.clock_running() & Q(due_at__lt=now))
    listed_from, listed_to = _listed_bounds(received_from, received_to)
    if listed_from is not None:
        dossiers = dossiers.filter(listed_at__gte=listed_from)
    if listed_to is not None:
        dossiers = dossiers.filter(listed_at__lt=listed_to)
    if plan is not None:
        dossiers = dossiers.filter(plan.condition)
    dossiers = dossiers.select_related("procedure", "receiving_agency")
    # Overdue for users who see everything: the late dossiers, read off ``dossier_status_due`` and
    # sorted (as many as are late, bounded by the open dossiers), not the running ones walked
    # newest first until a page of them is late (most of the newest are not).
    few = few or (overdue is True and permissions.sees_everything(user))
    return _newest_first(dossiers, index_order=not few)


def _listed_bounds(
    received_from: dt.date | dt.datetime | None, received_to: dt.date | dt.datetime | None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The receipt time's bounds ``[from, to)`` of a list's received dates: a date becomes the
    office day's start (``received_to``: the next day's), so the receipt time stays comparable with
    its indexes (``received_at__date`` would compute a date per row and scan the table)."""
    if received_from and not isinstance(received_from, dt.datetime):
        received_from = _day_start(received_from)
    if received_to and not isinstance(received_to, dt.datetime):
        received_to = _day_start(received_to + dt.timedelta(days=1))
    return received_from or None, received_to or None


def _passing_filter(
    status: str | None, overdue: bool | None, now: dt.datetime
) -> tuple[str | None, dt.datetime | None]:
    """What the visibility rows can answer of a list's filters: ``(passing status, due before)``;
    ``(None, None)`` when neither an open status nor ``overdue=True`` is asked. Overdue is a
    running clock (``rules.CLOCK_RUNNING_STATUS``) and a due time before ``now``."""
    if overdue is True:
        return rules.CLOCK_RUNNING_STATUS, now
    if status in PASSING_STATUSES:
        return status, None
    return None, None


# A term matching at most this many dossiers by code prefix (a b-tree range, cheap to read again)
# and at most NAME_PROBE_ROWS by name part (a word or trigram GIN scan, whose ids are kept) is narrow.
CODE_PROBE_ROWS = 20_000
NAME_PROBE_ROWS = 2_000


@dataclass(frozen=True)
class SearchPlan:
    """How a list finds a search term: ``condition`` to filter on; ``narrow`` when it matches few
    dossiers (the list sorts them), else the list walks its index newest first and stops at the
    page's end, and is not counted (``count_capped``: a count would read every match)."""

    term: str
    condition: Q
    narrow: bool


def search_plan(term: str | None) -> SearchPlan | None:
    """The plan for a search term (None for no term), probing each half of the condition once on
    its own index, with a LIMIT: the ``UPPER(code)`` b-tree range (at most ``CODE_PROBE_ROWS + 1``
    entries), then the name's word or trigram GIN (``name_search``; at most ``NAME_PROBE_ROWS + 1``
    ids, kept: the list reads them instead of scanning the index again). The name is not probed
    when the code prefix is already broad, nor for a term written as the start of a dossier code
    (``codes.is_code_prefix``), which is searched as a code only."""
    term = (term or "").strip()
    if not term:
        return None
    broad = SearchPlan(term, search_condition(term), narrow=False)
    code = Q(code__istartswith=term)
    if _more_than(Dossier.objects.filter(code), CODE_PROBE_ROWS):
        return broad
    if is_code_prefix(term):
        return SearchPlan(term, code, narrow=True)
    names = name_ids(term, NAME_PROBE_ROWS + 1)
    if len(names) > NAME_PROBE_ROWS:
        return broad
    return SearchPlan(term, code | Q(pk__in=names) if names else code, narrow=True)


def _more_than(rows: QuerySet, n: int) -> bool:
    """Whether ``rows`` has more than ``n`` rows, reading at most ``n + 1`` index entries."""
    return rows.order_by().values_list("pk", flat=True)[n : n + 1].exists()


def search_is_narrow(term: str) -> bool:
    """Whether a term matches few dossiers (see ``search_plan``)."""
    plan = search_plan(term)
    return plan is not None and plan.narrow


def search_condition(term: str) -> Q:
    """A code prefix or a part of the applicant's name; a code prefix only for a term written as
    the start of a dossier code (``codes.is_code_prefix``)."""
    code = Q(code__istartswith=term)
    return code if is_code_prefix(term) else code | Q(applicant_name__icontains=term)


def _newest_first(dossiers: QuerySet[Dossier], *, index_order: bool) -> QuerySet[Dossier]:
    """Newest first (``listed_at``, then id). With ``index_order=False`` the receipt time is
    ordered as an expression no index serves, so the planner reads the few matching ids (a
    narrow search) and sorts them, instead of walking the whole list backwards by date hoping to
    meet 50 of them soon."""
    if index_order:
        return dossiers.order_by("-listed_at", "-id")
    received = ExpressionWrapper(F("listed_at") + Value(dt.timedelta(0)), output_field=DateTimeField())
    return dossiers.order_by(received.desc(), "-id")


def _day_start(day: dt.date) -> dt.datetime:
    """Midnight of ``day`` in the current time zone (the office's), as ``__date`` lookups use."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_current_timezone())


def dossier_detail(*, user: AbstractBaseUser, code: str | None = None, pk: int | None = None) -> Dossier:
    """One dossier with its tasks, events, pauses, extension and rating: four queries in all."""
    if code is None and pk is None:
        raise NotFound("Không tìm thấy hồ sơ.")
    lookup = {"code": code} if code is not None else {"pk": pk}
    dossier = (
        Dossier.objects.filter(**lookup)
        .select_related("procedure", "version", "receiving_agency", "extension", "rating", "created_by")
        .prefetch_related(
            Prefetch(
                "tasks",
                queryset=DossierTask.objects.select_related("step", "agency", "owner").order_by(
                    "created_at", "id"
                ),
            ),
            Prefetch(
                "events",
                queryset=DossierEvent.objects.select_related("actor", "agency", "step").order_by("at", "id"),
            ),
            "pauses",
        )
        .first()
    )
    if dossier is None:
        raise NotFound("Không tìm thấy hồ sơ.")
    permissions.require(user, Action.VIEW_DOSSIER, dossier)  # reads the prefetched tasks: no query
    return dossier


def dossier_public_lookup(*, code: str, key: str) -> Dossier:
    """The dossier (a model instance, for the rating service) by code and the key printed on the
    receipt. A wrong key and an unknown code give the same ``NotFound``, after the same
    constant-time compare (``public_status.key_matches``)."""
    dossier = (
        Dossier.objects.filter(code=(code or "").strip())
        .select_related("procedure", "receiving_agency")
        .first()
    )
    if not key_matches(dossier.lookup_key_hash if dossier is not None else None, key):
        raise NotFound(PUBLIC_NOT_FOUND)
    return dossier
