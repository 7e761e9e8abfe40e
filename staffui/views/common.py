"""What every staff page shares: login, error pages with the service's message and status, paging."""

from __future__ import annotations

import functools
import urllib.parse

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from api.pagination import MAX_OFFSET_ROWS, CappedPaginator
from core.exceptions import DomainError
from procedures.calendar_loader import get_calendar
from workflows import clock

from ..deadlines import deadline_of
from ..queues import forget_counts

PAGE_SIZE = 25


def staff_page(view):
    """Login required; a ``DomainError`` from a selector or service becomes a page with its
    message and status (400, 403, 404, 409), never a 500."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except DomainError as error:
            return error_page(request, error)

    return wrapper


def error_page(request, error: DomainError):
    messages.error(request, error.message)
    return render(
        request,
        "staffui/error.html",
        {"error": error, "fields": error.fields, "back": safe_back(request)},
        status=error.status,
    )


def safe_back(request) -> str:
    """The referring page of this site, for a 'back' link (never an external address)."""
    referer = request.META.get("HTTP_REFERER", "")
    parsed = urllib.parse.urlparse(referer)
    if parsed.netloc and parsed.netloc != request.get_host():
        return "/"
    return parsed.path or "/"


def done(request, message: str, to: str):
    forget_counts(request.user)
    messages.success(request, message)
    return redirect(to)


def page_of(
    request, queryset, *, size: int = PAGE_SIZE, known_count: int | None = None, uncounted: bool = False
):
    """One page of ``queryset``, counted like the API's lists: ``known_count`` when the caller has
    a cheaper count (up to ``COUNT_CAP + 1``), PostgreSQL's estimate for an unfiltered big table,
    else ``COUNT(*)`` up to ``COUNT_CAP`` rows (``paginator.capped``: "more than"); an
    ``uncounted`` list (a broad search) shows the rows seen so far, and "more than"."""
    paginator = CappedPaginator(queryset, size)
    paginator.uncounted = uncounted
    if known_count is not None:
        paginator.use_count(known_count)
    return paginator.get_page(bounded_page_number(request.GET.get("page"), size))


def bounded_page_number(raw, size: int):
    """Pages are read with OFFSET: past ``MAX_OFFSET_ROWS`` rows the deepest allowed page is shown
    (narrow the search instead); the API goes deeper with ``?cursor=``."""
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return raw  # get_page shows the first page
    return min(number, max(1, MAX_OFFSET_ROWS // size))


def with_deadlines(rows, *, due=lambda row: row.due_at, paused=lambda row: False):
    """Attach ``row.deadline`` (colour and time left) to each row, on the office calendar."""
    now = clock.now()
    calendar = get_calendar()
    for row in rows:
        row.deadline = deadline_of(due(row), now=now, calendar=calendar, paused=paused(row))
    return rows


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
