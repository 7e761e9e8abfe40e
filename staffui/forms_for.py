"""The printable forms of a dossier (PDF, from the ``printing`` app's API).

``forms_for`` is the one place the pages get them from. Until the ``printing`` app is merged it
lists the API URLs of the forms that apply; at merge it becomes ``printing.urls_for``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from workflows.models import Dossier, DossierStatus

API = "/api/v1/dossiers/{code}/forms/{form}.pdf"


def forms_for(dossier: Dossier) -> list[tuple[str, str, str]]:
    """``[(slug, title, url)]`` of the forms that apply to ``dossier`` (TODO at merge:
    ``return printing.urls_for(dossier)``)."""
    events = {event.action for event in dossier.events.all()}
    wanted = [("receipt", _("Receipt and appointment"))]
    if "supplement_requested" in events or dossier.pauses.all():
        wanted.append(("supplement-request", _("Request for a supplement")))
    if dossier.status == DossierStatus.REJECTED or dossier.result == "refused":
        wanted.append(("refusal", _("Refusal notice")))
    if dossier.extended:
        wanted.append(("apology", _("Apology letter and new appointment")))
    if dossier.status == DossierStatus.WITHDRAWN:
        wanted.append(("withdrawal", _("Withdrawal")))
    wanted.append(("control-sheet", _("Process control sheet")))
    return [(slug, title, API.format(code=dossier.code, form=slug)) for slug, title in wanted]
