"""Received and resolved counts of the indicators and the dashboard from the rollup: the closed
days from ``RollupFlow``, the later days live (``reports.rollup.flow_querysets`` over their
index ranges). The same figures as the direct queries of ``reports.indicators``."""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Sum

from workflows.models import Channel

from ._query import _dossiers
from .models import RollupFlow
from .periods import Period
from .rollup import flow_querysets, midnight
from .rollup_read import _scoped, watermark

COUNTS = ("received", "received_online", "resolved", "resolved_in_time", "seen")


def _add(out: dict, row: dict, channel: str) -> None:
    received = row.get("received") or 0
    out["received"] += received
    out["received_online"] += received if channel == Channel.ONLINE else 0
    out["resolved"] += row.get("resolved") or 0
    out["resolved_in_time"] += (row.get("early") or 0) + (row.get("on_time") or 0)
    # The direct query lists an agency that received or resolved anything in the period.
    out["seen"] += received + (row.get("rejected") or 0) + (row.get("resolved") or 0)


def _once(period: Period, agency_ids, rolled_until: dt.date, by: str) -> dict:
    first, end_day = period.date_from, period.date_to + dt.timedelta(days=1)
    out: dict = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
    key = (lambda day, agency: agency) if by == "agency" else (lambda day, agency: f"{day:%Y-%m}")
    if first < rolled_until:
        rows = (
            _scoped(RollupFlow.objects.order_by(), agency_ids)
            .filter(day__gte=first, day__lt=min(end_day, rolled_until))
            .values("day" if by == "month" else "agency_id", "channel")
            .annotate(**{n: Sum(n) for n in ("received", "rejected", "resolved", "early", "on_time")})
        )
        for row in rows:
            _add(out[key(row.get("day"), row.get("agency_id"))], row, row["channel"])
    lo = min(max(period.start, midnight(rolled_until)), period.end)
    for queryset in flow_querysets(lo, period.end, _dossiers(agency_ids))[:2]:
        for row in queryset:
            _add(out[key(row["day"], row["receiving_agency_id"])], row, row["channel"])
    return {k: v for k, v in out.items() if v["seen"]}


def rolled_flow_counts(
    *, period: Period, agency_ids: Sequence[int] | None, by: str
) -> dict[object, dict] | None:
    """Per agency id (``by="agency"``) or per month "YYYY-MM" (``by="month"``): received, received
    online, resolved, resolved early or on time. None without a rollup."""
    for _attempt in range(3):
        mark = watermark(period)
        if mark is None:
            return None
        counts = _once(period, agency_ids, mark[0], by)
        if watermark(period) == mark:
            return counts
    return None
