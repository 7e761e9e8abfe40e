"""The supervisor's board (/board/): open tasks overdue or due soon across agencies, most urgent
first, each with its reassignment."""

from __future__ import annotations

from django.shortcuts import render

from procedures.calendar_loader import get_calendar
from workflows import clock
from workflows.models import DossierStatus, DossierTask, TaskStatus
from workflows.permissions import Action, require

from ..queues import due_soon_threshold
from .common import page_of, query_without_page, staff_page, with_deadlines


@staff_page
def board(request):
    require(request.user, Action.VIEW_MONITORING)
    now = clock.now()
    state = request.GET.get("state") or ""
    tasks = DossierTask.objects.filter(status=TaskStatus.OPEN, dossier__status=DossierStatus.PROCESSING)
    if state == "overdue":
        tasks = tasks.filter(due_at__lte=now)
    elif state == "soon":
        tasks = tasks.filter(due_at__gt=now, due_at__lte=due_soon_threshold(now, get_calendar()))
    else:
        tasks = tasks.filter(due_at__lte=due_soon_threshold(now, get_calendar()))
    # The catalog and the owners by id after the page is cut (prefetch), not joined into it: the
    # planner expects a few dozen tasks where thousands are overdue, and nested-loops every one of
    # them over the steps, agencies and users (150 ms at 10 M against 37 ms for the page itself).
    tasks = (
        tasks.select_related("dossier").prefetch_related("step", "agency", "owner").order_by("due_at", "id")
    )
    page = page_of(request, tasks)
    with_deadlines(page.object_list)
    return render(
        request, "staffui/board.html", {"page": page, "state": state, "query": query_without_page(request)}
    )
