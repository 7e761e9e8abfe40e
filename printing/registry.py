"""The six dossier forms by slug: title, selector and layout, and the forms that apply now."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from workflows.models import Dossier

from . import selectors
from .forms import apology, control_sheet, receipt, refusal, supplement_request, withdrawal


@dataclass(frozen=True)
class FormSpec:
    slug: str
    title: str
    select: Callable
    layout: Callable[[object], bytes]


FORMS: dict[str, FormSpec] = {
    spec.slug: spec
    for spec in (
        FormSpec("receipt", receipt.TITLE, selectors.receipt, receipt.render_receipt),
        FormSpec(
            "supplement-request",
            supplement_request.TITLE,
            selectors.supplement_request,
            supplement_request.render_supplement_request,
        ),
        FormSpec("refusal", refusal.TITLE, selectors.refusal, refusal.render_refusal),
        FormSpec("apology", apology.TITLE, selectors.apology, apology.render_apology),
        FormSpec("withdrawal", withdrawal.TITLE, selectors.withdrawal, withdrawal.render_withdrawal),
        FormSpec(
            "control-sheet", control_sheet.TITLE, selectors.control_sheet, control_sheet.render_control_sheet
        ),
    )
}


def render_form(
    dossier: Dossier, slug: str, *, key: str | None = None, at: dt.datetime | None = None
) -> bytes:
    """The PDF of one form of ``dossier``; ``key`` only for the receipt."""
    spec = FORMS.get(slug)
    if spec is None:
        raise selectors.FormNotApplicable(f"Không có mẫu phiếu '{slug}'.")
    data = spec.select(dossier, key=key, at=at) if slug == "receipt" else spec.select(dossier, at=at)
    return spec.layout(data)


def form_url(code: str, slug: str) -> str:
    return reverse("api:dossier-form", kwargs={"code": code, "form": slug})


def urls_for(dossier: Dossier) -> list[tuple[str, str, str]]:
    """``(slug, title, url)`` of every form that applies to the dossier now, in the forms' order."""
    return [
        (spec.slug, spec.title, form_url(dossier.code, spec.slug))
        for spec in FORMS.values()
        if selectors.applies(dossier, spec.slug)
    ]
