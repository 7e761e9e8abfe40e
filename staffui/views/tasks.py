"""The processing queues (/tasks/) and the task page with one button per allowed decision."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exceptions import InvalidInput, NotFound
from procedures.calendar_loader import get_calendar
from workflows import clock, selectors, services
from workflows.models import Decision, DossierStatus, DossierTask, TaskStatus
from workflows.permissions import Action, allowed_actions, can, require

from .. import queues
from ..deadlines import deadline_of
from .common import done, page_of, query_without_page, staff_page, with_deadlines
from .dossiers import dossier_context

TASK_QUEUES = [q for q in queues.QUEUES if q.kind == "task"]


@staff_page
def task_queue(request):
    slug = request.GET.get("queue") or "mine"
    if slug not in {q.slug for q in TASK_QUEUES}:
        raise Http404
    rows = queues.queryset(slug, user=request.user, now=clock.now(), calendar=get_calendar())
    page = page_of(request, rows)
    request.staffui_queue_count = (slug, page.paginator.count, page.paginator.capped)
    with_deadlines(
        page.object_list,
        due=lambda task: task.due_at if task.status == TaskStatus.OPEN else None,
        paused=lambda task: task.dossier.status == DossierStatus.WAITING_SUPPLEMENT,
    )
    return render(
        request,
        "staffui/tasks.html",
        {
            "queue": queues.BY_SLUG[slug],
            "queues": TASK_QUEUES,
            "page": page,
            "query": query_without_page(request),
        },
    )


def _task(request, task_id: int) -> DossierTask:
    task = DossierTask.objects.select_related("dossier", "step", "agency", "owner").filter(pk=task_id).first()
    if task is None:
        raise NotFound(_("No such task."))
    require(request.user, Action.VIEW_DOSSIER, task.dossier)
    return task


def candidates_for(task: DossierTask) -> list:
    """Active officers of the task's agency with the step's role: whom a supervisor may hand it to."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, staff__agency_id=task.agency_id, groups__name=task.role)
        .order_by("username")
        .distinct()[:200]
    )


@staff_page
def task_detail(request, task_id: int):
    task = _task(request, task_id)
    dossier = selectors.dossier_detail(user=request.user, pk=task.dossier_id)
    user = request.user
    allowed = allowed_actions(user, task, [Action.CLAIM, Action.COMPLETE, Action.RELEASE, Action.REASSIGN])
    is_open = task.status == TaskStatus.OPEN and dossier.status == DossierStatus.PROCESSING
    is_current = is_open and task.stage == dossier.current_stage
    free_or_mine = task.owner_id in (None, user.pk)
    buttons = {
        "claim": is_open and task.owner_id is None and Action.CLAIM in allowed,
        "release": is_open and task.owner_id is not None and Action.RELEASE in allowed,
        "decide": is_current and free_or_mine and Action.COMPLETE in allowed,
        "send_back": task.stage > 0,
        "reassign": is_open and Action.REASSIGN in allowed,
    }
    deadline = deadline_of(
        task.due_at if task.status == TaskStatus.OPEN else None,
        now=clock.now(),
        calendar=get_calendar(),
        paused=dossier.status == DossierStatus.WAITING_SUPPLEMENT,
    )
    context = dossier_context(request, dossier)
    context.update(
        {
            "task": task,
            "task_deadline": deadline,
            "buttons": buttons,
            "decisions": Decision,
            "required_documents": list(dossier.version.documents.order_by("order")),
            "candidates": candidates_for(task) if buttons["reassign"] else [],
        }
    )
    return render(request, "staffui/task.html", context)


@require_POST
@staff_page
def task_claim(request, task_id: int):
    task = _task(request, task_id)
    services.task_claim(task=task, by=request.user)
    return done(request, _("You took the task."), reverse("staffui:task", args=[task.pk]))


@require_POST
@staff_page
def task_release(request, task_id: int):
    task = _task(request, task_id)
    services.task_release(task=task, by=request.user)
    return done(request, _("The task is back in the queue."), reverse("staffui:task", args=[task.pk]))


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@require_POST
@staff_page
def task_decide(request, task_id: int):
    task = _task(request, task_id)
    decision = request.POST.get("decision", "")
    required = {d.pk: d for d in task.dossier.version.documents.all()}
    missing = []
    for value in request.POST.getlist("missing"):
        if not value.isdigit() or int(value) not in required:
            raise InvalidInput(_("Unknown document."), fields={"missing": [value]})
        document = required[int(value)]
        missing.append({"name": document.name, "kind": document.kind, "count": document.count})
    missing += [{"name": name} for name in _lines(request.POST.get("missing_other", ""))]
    services.task_complete(
        task=task,
        by=request.user,
        decision=decision,
        note=request.POST.get("note", ""),
        missing_documents=missing,
        reasons=_lines(request.POST.get("reasons", "")),
    )
    return done(
        request,
        _("Decision recorded for %(code)s.") % {"code": task.dossier.code},
        reverse("staffui:tasks"),
    )


@require_POST
@staff_page
def task_reassign(request, task_id: int):
    task = _task(request, task_id)
    require(request.user, Action.REASSIGN, task)
    target = get_user_model().objects.filter(username=request.POST.get("to_user", "")).first()
    if target is None:
        raise InvalidInput(_("Choose an officer."), fields={"to_user": [_("Unknown user.")]})
    services.task_reassign(task=task, by=request.user, to_user=target)
    back = reverse("staffui:board") if can(request.user, Action.VIEW_MONITORING) else reverse("staffui:tasks")
    return done(
        request, _("Task handed to %(user)s.") % {"user": target.get_full_name() or target.username}, back
    )
