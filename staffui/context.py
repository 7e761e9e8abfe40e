"""The navigation every staff page shows (also the leadership pages that extend the base layout)."""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from workflows import clock
from workflows.permissions import Action, can

from . import queues


class Nav:
    """Computed on first use only, so a page that shows no menu runs no query for it."""

    def __init__(self, request):
        # No ``user`` when a request failed before AuthenticationMiddleware (a refused Host header):
        # the 400 page must still render, for nobody.
        self.user = getattr(request, "user", None) or AnonymousUser()
        self.request = request

    @cached_property
    def menu(self) -> list[dict]:
        if not self.user.is_authenticated:
            return []
        from procedures.calendar_loader import get_calendar

        menu = queues.menu(self.user, now=clock.now(), calendar=get_calendar())
        # The queue on screen shows its exact count, never a cached one behind its own rows.
        exact = getattr(self.request, "staffui_queue_count", None)
        if exact is not None:
            for group in menu:
                for queue in group["queues"]:
                    if queue["slug"] == exact[0]:
                        queue["count"], queue["more"] = exact[1], exact[2]
        return menu

    @cached_property
    def can_dashboard(self) -> bool:
        return can(self.user, Action.VIEW_AGENCY_REPORTS)

    @cached_property
    def can_board(self) -> bool:
        return can(self.user, Action.VIEW_MONITORING)

    @cached_property
    def can_process(self) -> bool:
        return "processing" in queues.groups_for(self.user)

    @cached_property
    def can_register(self) -> bool:
        return "reception" in queues.groups_for(self.user)


def nav(request) -> dict:
    return {"nav": Nav(request), "LANGUAGES_AVAILABLE": settings.LANGUAGES}
