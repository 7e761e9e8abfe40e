"""The public statistics page (/thong-ke/): the open data's figures as charts, no login.

The figures are the ``agency-monthly`` open dataset's counts (``reports.opendata``), summed per
month for the province and per agency over the period, then suppressed with the same rule as the
datasets (``ONESTOP_OPEN_DATA_MIN_CELL``). Cached like the datasets; throttled with the public rate.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.cached import cached
from core.charts import Series, horizontal, vertical
from core.dbrouter import replica_reads
from reports import opendata
from reports.periods import make_period

from .views import _throttled


def _today():
    return timezone.localdate()


def _count(value) -> str:
    return "–" if value is None else number_format(value, 0, force_grouping=True)


def _percent(value) -> str:
    return "–" if value is None else f"{number_format(value * 100, 1)} %"


@replica_reads
def figures(period) -> dict:
    """Per month (province) and per agency (the period), suppressed. Pure over the raw rows."""
    limit = opendata.min_cell()
    raw = opendata.monthly_raw(period=period, group_by="agency")
    per_month = {r["month"]: r for r in opendata.summed(raw, "month")}
    empty = {"code": "", "name": "", "mean_days": None, "p90_days": None, "rating_sum": 0}
    months = [
        opendata.monthly_public(
            per_month.get(m.label)
            or {**dict.fromkeys(opendata.MONTHLY_COUNTS, 0), **empty, "month": m.label},
            limit,
        )
        for m in opendata.split(period)
    ]
    agencies = [opendata.monthly_public(r, limit) for r in opendata.summed(raw, "code")]
    return {"months": months, "agencies": agencies, "min_cell": limit}


def _charts(data: dict) -> dict:
    months, agencies = data["months"], data["agencies"]
    return {
        "months": vertical(
            [m["month"] for m in months],
            [
                Series(_("Received"), "s1", [m["received"] for m in months]),
                Series(_("Resolved"), "s2", [m["resolved_total"] for m in months]),
            ],
            fmt=_count,
        ),
        "rates": horizontal(
            [a["name"] for a in agencies],
            [Series(_("On-time rate"), "s3", [a["on_time_rate"] for a in agencies])],
            fmt=_percent,
            max_value=1.0,
        ),
    }


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    blocked = _throttled(request)
    if blocked is not None:
        return blocked
    first, last = opendata.default_dates(_today())
    period = make_period(date_from=first, date_to=last, tz=timezone.get_default_timezone())
    key = f"citizen-statistics:v1:{first}:{opendata.min_cell()}"
    data = cached(key, settings.ONESTOP_OPEN_DATA_CACHE_SECONDS, lambda: figures(period))
    context = {"period": period, **data, "charts": _charts(data)}
    response = render(request, "citizen/statistics.html", context)
    response["Cache-Control"] = f"public, max-age={settings.ONESTOP_OPEN_DATA_CACHE_SECONDS}"
    return response
