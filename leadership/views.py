"""The leadership dashboard: on-time rates, volumes, cutting progress and bottlenecks for a period.

Who may see it is ``workflows.permissions``' decision (``VIEW_AGENCY_REPORTS``): heads see their
own agency, supervisors and admins the province (``report_agency_ids``). Anonymous visitors go to
the login page; other staff get 403. The figures come from the report functions
(``leadership.figures.build``); the Excel files from the report endpoints, which take the session.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.dbrouter import reads_from_replica
from core.exceptions import InvalidInput
from periodic.selectors import visible_packages
from procedures.models import Agency
from reports.conformance_card import card_counts
from workflows.permissions import Action, can, report_agency_ids

from . import figures, periods

LOGIN_URL = "/login/"
PACKAGES_SHOWN = 12  # the newest periodic packages linked from the dashboard


def _form_context(selection: dict | None, today) -> dict:
    selection = selection or {"period": "quarter", "year": today.year, "number": 1, "from": None, "to": None}
    return {
        "selection": selection,
        "kinds": periods.KINDS,
        "years": list(range(today.year, today.year - 6, -1)),
        "months": list(range(1, 13)),
    }


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path(), LOGIN_URL)
    if not can(user, Action.VIEW_AGENCY_REPORTS):
        return render(request, "leadership/forbidden.html", status=403)
    agency_ids = report_agency_ids(user)
    today = timezone.localdate()
    tz = timezone.get_default_timezone()
    try:
        period, selection = periods.parse(request.GET, today=today, tz=tz)
    except InvalidInput as exc:
        context = {"error": exc.message, **_form_context(None, today)}
        return render(request, "leadership/dashboard.html", context, status=400)
    unit = (
        ", ".join(Agency.objects.filter(id__in=agency_ids).order_by("code").values_list("name", flat=True))
        if agency_ids
        else ""
    )
    with reads_from_replica():
        data = figures.build(period=period, agency_ids=agency_ids, unit=unit)
    context = {
        "period": period,
        "unit": unit,
        **data,
        **_form_context(selection, today),
        "packages": list(visible_packages(agency_ids)[:PACKAGES_SHOWN]),
    }
    context["conformance"] = _conformance(user, period)
    return render(request, "leadership/dashboard.html", context)


def _conformance(user, period) -> dict | None:
    """Supervisors: dossiers received in the period whose events deviate from their steps, counted
    off the request path (``reports.conformance_card``): None counts while they are being made."""
    if not can(user, Action.VIEW_PROVINCE_REPORTS):
        return None
    counts = card_counts(period)
    query = f"from={period.date_from.isoformat()}&to={period.date_to.isoformat()}"
    return {**(counts or {}), "counting": counts is None, "url": f"/api/v1/reports/conformance/?{query}"}
