"""The what-if page of the leadership dashboard (/dashboard/what-if/): pick a procedure and slide
the proposed duration; the figures are the API's (``api.whatif.run_what_if``), same rules and same
permissions (``workflows.permissions``: supervisors any procedure, heads their agency's)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from api.whatif import run_what_if
from core.exceptions import DomainError, NotAllowed
from procedures.models import DurationUnit, Procedure
from workflows.permissions import Action, can, report_agency_ids

from .views import LOGIN_URL


def _procedures(agency_ids):
    qs = Procedure.objects.filter(active=True, current_version__isnull=False).select_related(
        "current_version"
    )
    if agency_ids is not None:
        qs = qs.filter(receiving_agency_id__in=agency_ids)
    return list(qs.order_by("code"))


def _slider(procedure: Procedure | None) -> dict:
    """The slider's range: 1 up to the legal duration (in the committed duration's unit when they
    share one), never below the committed value."""
    if procedure is None:
        return {"min": 1, "max": 30, "value": 1, "unit": DurationUnit.WORKING_DAYS}
    v = procedure.current_version
    top = (
        v.legal_duration_value
        if v.legal_duration_unit == v.committed_duration_unit
        else 2 * v.committed_duration_value
    )
    return {
        "min": 1,
        "max": max(top, v.committed_duration_value, 1),
        "value": v.committed_duration_value,
        "unit": v.committed_duration_unit,
    }


@require_GET
def what_if(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path(), LOGIN_URL)
    if not can(user, Action.VIEW_AGENCY_REPORTS):
        return render(request, "leadership/forbidden.html", status=403)
    procedures = _procedures(report_agency_ids(user))
    today = timezone.localdate()
    query = request.GET.copy()
    query.setdefault("from", dt.date(today.year, 1, 1).isoformat())
    query.setdefault("to", today.isoformat())
    chosen = next((p for p in procedures if p.code == query.get("procedure")), None)
    slider = _slider(chosen)
    if chosen is not None:
        query.setdefault("value", str(slider["value"]))
        query.setdefault("unit", slider["unit"])
    context = {
        "procedures": procedures,
        "chosen": chosen,
        "query": query,
        "slider": slider,
        "units": DurationUnit.choices,
        "result": None,
        "error": None,
    }
    status = 200
    if query.get("procedure"):
        try:
            context["result"] = run_what_if(query, user)
        except NotAllowed:
            return render(request, "leadership/forbidden.html", status=403)
        except DomainError as exc:
            context["error"], status = exc.message, 400
    return render(request, "leadership/what_if.html", context, status=status)
