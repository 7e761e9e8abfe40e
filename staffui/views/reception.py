"""The desk (/reception/): find the procedure, check the documents, see the appointment, register
(or refuse at intake) and print the receipt at once."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exceptions import InvalidInput, NotAllowed, NotFound
from core.roles import agency_id_of
from printing.registry import form_url
from procedures.due_dates import quote_due_at
from procedures.selectors import procedure_get, procedure_list
from workflows import clock, selectors, services
from workflows.models import ApplicantKind, Channel
from workflows.permissions import Action, require

from ..queues import forget_counts
from .common import staff_page
from .dossiers import parse_local

SESSION_KEYS = "staffui_lookup_keys"


def _procedure(request, code: str):
    procedure = procedure_get(code=code)
    require(request.user, Action.REGISTER, procedure)
    return procedure


@staff_page
def reception(request):
    require(request.user, Action.REGISTER, _own_agency(request.user))
    q = (request.GET.get("q") or "").strip()
    code = (request.GET.get("procedure") or "").strip()
    agency_id = agency_id_of(request.user)
    results = (
        list(procedure_list(search=q).filter(receiving_agency_id=agency_id)[:50]) if q or not code else []
    )
    context = {"q": q, "results": results, "channels": Channel.choices, "kinds": ApplicantKind.choices}
    if code:
        procedure = _procedure(request, code)
        version = procedure.current_version
        context.update(
            {
                "procedure": procedure,
                "version": version,
                "documents": sorted(version.documents.all(), key=lambda d: d.order),
                "steps": sorted(version.steps.all(), key=lambda s: s.order),
                "appointment": quote_due_at(start=clock.now(), procedure_code=procedure.code),
            }
        )
    return render(request, "staffui/reception.html", context)


class _Agency:
    def __init__(self, agency_id):
        self.agency_id = agency_id


def _own_agency(user):
    agency_id = agency_id_of(user)
    if agency_id is None:
        raise NotAllowed(_("Your account is not attached to an agency."))
    return _Agency(agency_id)


def _applicant(post) -> dict:
    return {
        key: (post.get(f"applicant_{key}") or "").strip()
        for key in ("kind", "name", "id_number", "phone", "email", "address")
    }


def _documents(post, procedure) -> list[dict]:
    by_id = {str(d.pk): d for d in procedure.current_version.documents.all()}
    documents = []
    for value in post.getlist("documents"):
        document = by_id.get(value)
        if document is None:
            raise InvalidInput(_("Unknown document."), fields={"documents": [value]})
        documents.append({"name": document.name, "kind": document.kind, "count": document.count})
    return documents


@require_POST
@staff_page
def register(request):
    procedure = _procedure(request, request.POST.get("procedure", ""))
    common = {
        "procedure": procedure,
        "applicant": _applicant(request.POST),
        "channel": request.POST.get("channel", ""),
        "documents": _documents(request.POST, procedure),
        "received_at": parse_local(request.POST.get("received_at", ""), "received_at"),
        "by": request.user,
    }
    if request.POST.get("action") == "refuse":
        reasons = [line.strip() for line in request.POST.get("reasons", "").splitlines() if line.strip()]
        dossier = services.dossier_refuse_at_intake(reasons=reasons, **common)
        forget_counts(request.user)
        return redirect(reverse("staffui:dossier", args=[dossier.code]))
    dossier, key = services.dossier_register(**common)
    # The key is shown once, on the next page; only its hash is stored.
    request.session.setdefault(SESSION_KEYS, {})[dossier.code] = key
    request.session.modified = True
    forget_counts(request.user)
    return redirect(reverse("staffui:registered", args=[dossier.code]))


@staff_page
def registered(request, code: str):
    dossier = selectors.dossier_detail(user=request.user, code=code)
    keys = request.session.get(SESSION_KEYS, {})
    key = keys.pop(code, None)
    request.session.modified = True
    if dossier.created_by_id != request.user.pk:
        raise NotFound(_("No such dossier."))
    # The receipt printed now carries the key (and its QR code the citizen's link with it); a later
    # copy cannot, since only the key's hash is kept.
    receipt = form_url(dossier.code, "receipt") + (f"?{urlencode({'key': key})}" if key else "")
    return render(
        request,
        "staffui/registered.html",
        {"dossier": dossier, "key": key, "receipt_url": receipt, "lookup_path": f"/tra-cuu/{dossier.code}/"},
    )
