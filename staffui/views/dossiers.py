"""The dossier search (/dossiers/), the dossier page with its control sheet, and the desk's and
the head's actions on a dossier (supplement received, withdrawal, result handed back, extension)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

import printing
from api.pagination import COUNT_CAP
from core.exceptions import InvalidInput
from procedures.calendar_loader import get_calendar
from workflows import clock, selectors, services
from workflows.models import OPEN_STATUSES, DossierStatus
from workflows.permissions import Action, allowed_actions

from .. import queues
from ..deadlines import deadline_of
from ..sheet import control_sheet
from .common import done, page_of, query_without_page, staff_page, with_deadlines

DOSSIER_QUEUES = [q for q in queues.QUEUES if q.kind == "dossier"]


class SearchForm(forms.Form):
    search = forms.CharField(label=gettext_lazy("Code or applicant"), required=False, max_length=100)
    procedure = forms.CharField(label=gettext_lazy("Procedure code"), required=False, max_length=20)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), required=False, choices=[("", "—")] + list(DossierStatus.choices)
    )
    received_from = forms.DateField(
        label=gettext_lazy("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(
        label=gettext_lazy("to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


@staff_page
def dossier_list(request):
    slug = request.GET.get("queue") or ""
    form = SearchForm(request.GET or None)
    now = clock.now()
    known_count = None
    uncounted = False
    if slug:
        if slug not in {q.slug for q in DOSSIER_QUEUES}:
            raise Http404
        rows = queues.queryset(slug, user=request.user, now=now, calendar=get_calendar())
    else:
        chosen = form.cleaned_data if form.is_valid() else {}
        search = selectors.search_plan(chosen.get("search"))
        uncounted = search is not None and not search.narrow  # a broad term: "more than" its page
        filters = {
            "search": search,
            "procedure": (chosen.get("procedure") or "").strip() or None,
            "status": chosen.get("status") or None,
            "received_from": chosen.get("received_from"),
            "received_to": chosen.get("received_to"),
            "as_of": now,
        }
        rows = selectors.dossier_list(user=request.user, **filters)
        # Counted on the visibility rows alone where they answer (no join to each dossier).
        known_count = selectors.dossier_list_count(user=request.user, limit=COUNT_CAP + 1, **filters)
    page = page_of(request, rows, known_count=known_count, uncounted=uncounted)
    if slug:
        request.staffui_queue_count = (slug, page.paginator.count, page.paginator.capped)
    with_deadlines(
        page.object_list,
        due=lambda d: d.due_at if d.status in OPEN_STATUSES else None,
        paused=lambda d: d.status == DossierStatus.WAITING_SUPPLEMENT,
    )
    return render(
        request,
        "staffui/dossiers.html",
        {
            "form": form,
            "queue": queues.BY_SLUG.get(slug),
            "page": page,
            "query": query_without_page(request),
        },
    )


def dossier_context(request, dossier) -> dict:
    """What the dossier page and the task page both show: the dossier, its control sheet,
    pauses, extension, forms and the buttons the user may press."""
    user = request.user
    allowed = allowed_actions(
        user,
        dossier,
        [
            Action.RECEIVE_SUPPLEMENT,
            Action.WITHDRAW,
            Action.RETURN_RESULT,
            Action.EXTEND,
            Action.VIEW_PERSONAL_DATA,
        ],
    )
    status = dossier.status
    extension = getattr(dossier, "extension", None) if dossier.extended else None
    pauses = list(dossier.pauses.all())
    open_pause = next((p for p in pauses if p.ended_at is None), None)
    return {
        "dossier": dossier,
        "deadline": deadline_of(
            dossier.due_at if status in OPEN_STATUSES else None,
            now=clock.now(),
            calendar=get_calendar(),
            paused=status == DossierStatus.WAITING_SUPPLEMENT,
        ),
        "sheet": control_sheet(dossier),
        "events": list(dossier.events.all()),
        "pauses": pauses,
        "open_pause": open_pause,
        "extension": extension,
        "forms": printing.urls_for(dossier),
        "personal": Action.VIEW_PERSONAL_DATA in allowed,
        "can": {
            "supplement": status == DossierStatus.WAITING_SUPPLEMENT and Action.RECEIVE_SUPPLEMENT in allowed,
            "withdraw": status in OPEN_STATUSES and Action.WITHDRAW in allowed,
            "return": status == DossierStatus.RESULT_READY and Action.RETURN_RESULT in allowed,
            "extend": status == DossierStatus.PROCESSING
            and not dossier.extended
            and Action.EXTEND in allowed,
        },
    }


@staff_page
def dossier_detail(request, code: str):
    dossier = selectors.dossier_detail(user=request.user, code=code)
    return render(request, "staffui/dossier.html", dossier_context(request, dossier))


def _dossier_url(code: str) -> str:
    return reverse("staffui:dossier", args=[code])


@require_POST
@staff_page
def dossier_supplement(request, code: str):
    dossier = selectors.dossier_detail(user=request.user, code=code)
    pause = next((p for p in dossier.pauses.all() if p.ended_at is None), None)
    missing = list(pause.missing_documents) if pause else []
    picked = []
    for value in request.POST.getlist("documents"):
        if not value.isdigit() or int(value) >= len(missing):
            raise InvalidInput(_("Unknown document."), fields={"documents": [value]})
        picked.append(missing[int(value)])
    picked += [{"name": line.strip()} for line in request.POST.get("other", "").splitlines() if line.strip()]
    services.dossier_supplement_received(dossier=dossier, by=request.user, documents=picked)
    return done(request, _("Supplement recorded; processing resumes."), _dossier_url(code))


@require_POST
@staff_page
def dossier_withdraw(request, code: str):
    dossier = selectors.dossier_detail(user=request.user, code=code)
    services.dossier_withdraw(dossier=dossier, by=request.user, reason=request.POST.get("reason", ""))
    return done(request, _("Withdrawal recorded."), _dossier_url(code))


@require_POST
@staff_page
def dossier_return(request, code: str):
    dossier = selectors.dossier_detail(user=request.user, code=code)
    services.dossier_return_result(dossier=dossier, by=request.user)
    return done(request, _("Result handed back."), _dossier_url(code))


def parse_local(value: str, field: str) -> dt.datetime | None:
    """A ``datetime-local`` input (``YYYY-MM-DDTHH:MM``) on the office clock, or None if empty."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        naive = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(_("Invalid date and time."), fields={field: [value]}) from None
    if naive.tzinfo is not None:
        return naive
    return timezone.make_aware(naive, timezone.get_current_timezone())


@require_POST
@staff_page
def dossier_extend(request, code: str):
    dossier = selectors.dossier_detail(user=request.user, code=code)
    new_due = parse_local(request.POST.get("new_due_at", ""), "new_due_at")
    if new_due is None:
        raise InvalidInput(_("Enter the new appointment."), fields={"new_due_at": [_("Required.")]})
    services.dossier_extend(
        dossier=dossier, by=request.user, new_due_at=new_due, reason=request.POST.get("reason", "")
    )
    return done(request, _("Apology letter and new appointment recorded."), _dossier_url(code))
