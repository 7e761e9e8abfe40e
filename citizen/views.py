"""The citizen's pages: look a dossier up by its code and key, see its status, rate it once.

No login. Everything shown comes from ``workflows.selectors.dossier_public_status``, the selector
behind the public API, so the page shows what the API shows and nothing more. A wrong key and an
unknown code render the same 404 page (the code typed is not echoed, so the two are identical).
The lookup form posts the key in the body and the answer is rendered in place: the key never goes
into a redirect URL; only the receipt's QR link carries it in the query string. Lookups and ratings
are rate limited per client address with the API's public throttle (``ONESTOP_PUBLIC_RATE``; the
page and the API share one counter).
"""

from __future__ import annotations

import math
import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from api.converters import CodeConverter
from api.throttling import PublicThrottle
from core.exceptions import Conflict, InvalidInput, NotFound
from workflows import selectors, services
from workflows.models import DossierStatus

from .forms import LookupForm, RatingForm

# A code that cannot exist (a NUL byte, a space…) never reaches the database (PostgreSQL refuses
# NUL bytes with an error) and gets the same not-found page as any unknown code.
_CODE = re.compile(CodeConverter.regex)


def _plausible(code: str) -> bool:
    return _CODE.fullmatch(code.strip()) is not None


def _private(response: HttpResponse) -> HttpResponse:
    """A dossier's page is the citizen's own: never cached, never sent to another host as a
    referrer (``same-origin``, not ``no-referrer``: a form post must still carry its Origin, which
    the CSRF check reads)."""
    response["Cache-Control"] = "no-store, private"
    response["Referrer-Policy"] = "same-origin"
    return response


def _throttled(request: HttpRequest) -> HttpResponse | None:
    throttle = PublicThrottle()
    if throttle.allow_request(request, None):
        return None
    wait = max(1, math.ceil(throttle.wait() or 1))
    response = render(request, "citizen/throttled.html", {"wait": wait}, status=429)
    response["Retry-After"] = str(wait)
    return _private(response)


def _not_found(request: HttpRequest) -> HttpResponse:
    return _private(
        render(request, "citizen/lookup.html", {"form": LookupForm(), "not_found": True}, status=404)
    )


def _status_page(
    request: HttpRequest, dossier: dict, *, key: str, rating_form=None, message: str = "", status: int = 200
) -> HttpResponse:
    can_rate = dossier["status"] == DossierStatus.RETURNED and not dossier["rated"]
    context = {
        "dossier": dossier,
        "can_rate": can_rate,
        "rating_form": rating_form or (RatingForm(initial={"key": key}) if can_rate else None),
        "message": message,
    }
    return _private(render(request, "citizen/status.html", context, status=status))


def _show(request: HttpRequest, code: str, key: str) -> HttpResponse:
    if not _plausible(code):
        return _not_found(request)
    try:
        dossier = selectors.dossier_public_status(code=code, key=key)
    except NotFound:
        return _not_found(request)
    return _status_page(request, dossier, key=key)


@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """``GET``: the form. ``POST``: code and key in the body; the status is rendered in place."""
    if request.method == "GET":
        return _private(render(request, "citizen/lookup.html", {"form": LookupForm()}))
    form = LookupForm(request.POST)
    if not form.is_valid():
        return _private(render(request, "citizen/lookup.html", {"form": form}, status=400))
    return _throttled(request) or _show(request, form.cleaned_data["code"], form.cleaned_data["key"])


@require_GET
def direct(request: HttpRequest, code: str) -> HttpResponse:
    """The receipt's QR link, ``/tra-cuu/<code>/?key=<key>``; without a key, the empty form."""
    key = (request.GET.get("key") or "").strip()
    if not key:
        return _private(render(request, "citizen/lookup.html", {"form": LookupForm()}))
    return _throttled(request) or _show(request, code, key)


@require_POST
def rate(request: HttpRequest, code: str) -> HttpResponse:
    """The rating, once, after the result was handed over (``services.dossier_rate``)."""
    throttled = _throttled(request)
    if throttled:
        return throttled
    key = (request.POST.get("key") or "").strip()
    if not _plausible(code):
        return _not_found(request)
    try:
        dossier = selectors.dossier_public_status(code=code, key=key)
    except NotFound:
        return _not_found(request)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _status_page(request, dossier, key=key, rating_form=form, status=400)
    try:
        services.dossier_rate(
            code=code, key=key, score=form.cleaned_data["score"], comment=form.cleaned_data["comment"]
        )
    except (Conflict, InvalidInput) as exc:
        status = 409 if isinstance(exc, Conflict) else 400
        return _status_page(request, dossier, key=key, message=exc.message, status=status)
    dossier = selectors.dossier_public_status(code=code, key=key)
    return _status_page(request, dossier, key=key)
