"""The national portal's outbox on the board (/board/portal/): rows waiting or failed, and a retry."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.models import SyncStatus
from portal.selectors import outbox_counts, outbox_rows
from portal.services import sync_retry
from workflows.permissions import Action, require

from .common import done, page_of, query_without_page, staff_page

STATES = {"": None, SyncStatus.PENDING: SyncStatus.PENDING, SyncStatus.FAILED: SyncStatus.FAILED}


@staff_page
def portal_outbox(request):
    require(request.user, Action.MANAGE_PORTAL_SYNC)
    state = request.GET.get("state") or ""
    page = page_of(request, outbox_rows(status=STATES.get(state)))
    return render(
        request,
        "staffui/portal.html",
        {
            "page": page,
            "state": state if state in STATES else "",
            "counts": outbox_counts(),
            "enabled": bool(settings.ONESTOP_PORTAL_URL),
            "query": query_without_page(request),
        },
    )


@require_POST
@staff_page
def portal_retry(request, row_id: int):
    sync_retry(row_id=row_id, by=request.user)
    return done(request, _("The row will be sent to the portal again."), reverse("staffui:portal"))
