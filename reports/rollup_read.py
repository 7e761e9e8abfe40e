"""Reports from the rollup: the closed days from ``reports.models``, the rest live; the same figures.

With the watermark ``W`` (``RollupState.rolled_until``: every local day before it is rolled up) and
a period ``[S, E)`` of local days:

* flows of the days in ``[S, min(E, W))``: summed from ``RollupFlow`` (one row per day, agency,
  procedure, version and channel: a year is some 10⁴–10⁵ small rows, whatever the history);
* flows of the days in ``[max(S, W), E)`` and the stock figures of the dossiers NOT closed before
  ``W`` (open now, or finished or withdrawn since ``W``): one live query over those rows only,
  found through the status, finished_at, received_at and withdrawal-time indexes, with the very
  conditions of ``reports.processing_direct``;
* stock figures (carried over at ``S``; in progress, overdue, waiting at ``E``) of the dossiers
  closed before ``W``: the running sums of ``RollupStock`` at that day, one probe per (agency,
  procedure) in ``RollupGroup``.

A report reads the watermark first and again at the end; if a refresh committed in between, it
reads again (the two halves must agree on ``W``). ``None`` means "no rollup": read directly.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import OuterRef, Q, Subquery, Sum

from procedures.models import Procedure
from workflows.models import OPEN_STATUSES, Channel

from ._query import _dossiers, _group_field
from .assembly import COUNTED_KEYS
from .models import RollupFlow, RollupGroup, RollupState, RollupStock
from .periods import Period
from .processing_direct import count_columns, counted_conditions
from .rollup import closed_at, midnight, office_tz, published, withdrawal_time

_CHANNEL_KEYS = {
    Channel.ONLINE: "received_online",
    Channel.IN_PERSON: "received_in_person",
    Channel.POSTAL: "received_postal",
}
_FLOW_KEYS = {
    "resolved": "resolved_total",
    "early": "resolved_early",
    "on_time": "resolved_on_time",
    "late": "resolved_late",
    "refused": "resolved_refused",
    "late_apology": "late_with_apology",
    "withdrawn": "withdrawn",
    "rejected": "rejected",
}


def watermark(period: Period) -> tuple[dt.date, object] | None:
    """(W, refreshed_at) when a rollup exists and the period is on the office clock."""
    if getattr(period.start.tzinfo, "key", None) != getattr(office_tz(), "key", None):
        return None
    if not published():
        return None  # never refreshed (or the cache lost it: until the next refresh, read directly)
    state = RollupState.objects.order_by("pk").values("rolled_until", "refreshed_at").first()
    if not state or state["rolled_until"] is None:
        return None
    return state["rolled_until"], state["refreshed_at"]


def _scoped(queryset, agency_ids):
    return queryset if agency_ids is None else queryset.filter(agency_id__in=list(agency_ids))


class GroupKeys:
    """(agency, procedure) → the report's group key; field and level from one catalog query."""

    def __init__(self, group_by: str):
        self.group_by = group_by
        self._procedures: dict[int, dict] | None = None

    def __call__(self, agency_id: int, procedure_id: int):
        if self.group_by == "agency":
            return agency_id
        if self.group_by == "procedure":
            return procedure_id
        if self._procedures is None:
            self._procedures = {p["id"]: p for p in Procedure.objects.values("id", "field_id", "level")}
        procedure = self._procedures.get(procedure_id, {})
        return procedure.get("field_id" if self.group_by == "field" else "level")


def stock_at(day: dt.date, agency_ids) -> list[dict]:
    """Per (agency, procedure): open / overdue / waiting at ``day`` 00:00 of the dossiers closed
    before the watermark (the last stock row before ``day``); one index probe per group."""
    latest = RollupStock.objects.filter(
        agency_id=OuterRef("agency_id"), procedure_id=OuterRef("procedure_id"), day__lt=day
    ).order_by("-day")
    groups = _scoped(RollupGroup.objects.order_by(), agency_ids)
    return list(
        groups.annotate(
            open=Subquery(latest.values("open")[:1]),
            overdue=Subquery(latest.values("overdue")[:1]),
            waiting=Subquery(latest.values("waiting")[:1]),
        ).values("agency_id", "procedure_id", "open", "overdue", "waiting")
    )


def _live_rows(agency_ids, since: dt.datetime):
    """The dossiers a live part needs: not closed before ``since`` (open now, or finished or
    withdrawn since), or received since. Each branch is an index range."""
    candidates = (
        Q(status__in=OPEN_STATUSES)
        | Q(finished_at__gte=since)
        | Q(status="withdrawn", wtime__gte=since)
        | Q(received_at__gte=since)
    )
    return _dossiers(agency_ids).alias(wtime=withdrawal_time(), cls=closed_at()).filter(candidates)


def _counts_once(period: Period, group_by: str, agency_ids, rolled_until: dt.date) -> list[dict]:
    key = _group_field(group_by)
    keys = GroupKeys(group_by)
    first, end_day = period.date_from, period.date_to + dt.timedelta(days=1)
    since = midnight(rolled_until)
    totals: dict = defaultdict(lambda: dict.fromkeys(COUNTED_KEYS, 0))
    if first < rolled_until:
        flows = (
            _scoped(RollupFlow.objects.order_by(), agency_ids)
            .filter(day__gte=first, day__lt=min(end_day, rolled_until))
            .values("agency_id", "procedure_id", "channel")
            .annotate(**{name: Sum(name) for name in ("received", *_FLOW_KEYS)})
        )
        for row in flows:
            out = totals[keys(row["agency_id"], row["procedure_id"])]
            out[_CHANNEL_KEYS[row["channel"]]] += row["received"] or 0
            for name, column in _FLOW_KEYS.items():
                out[column] += row[name] or 0
    for day, columns in (
        (first, {"open": "carried_over"}),
        (
            end_day,
            {"open": "in_progress_total", "overdue": "in_progress_overdue", "waiting": "waiting_supplement"},
        ),
    ):
        if day <= rolled_until:
            for row in stock_at(day, agency_ids):
                out = totals[keys(row["agency_id"], row["procedure_id"])]
                for name, column in columns.items():
                    out[column] += row[name] or 0
    counted = counted_conditions(
        start=period.start,
        end=period.end,
        flow_start=min(max(period.start, since), period.end),
        stock_mask=Q(cls__gte=since),
    )
    live = count_columns(
        _live_rows(agency_ids, since).filter(received_at__lt=period.end),
        key=key,
        end=period.end,
        counted=counted,
    )
    for row in live:
        out = totals[row.pop(key)]
        for name, value in row.items():
            out[name] += value or 0
    return [{"key": group, **counts} for group, counts in totals.items() if any(counts.values())]


def rolled_processing_counts(
    *, period: Period, group_by: str, agency_ids: Sequence[int] | None = None
) -> list[dict] | None:
    """Form II.06a's counted columns per group, as ``direct_processing_counts`` gives them."""
    _group_field(group_by)
    for _attempt in range(3):
        mark = watermark(period)
        if mark is None:
            return None
        counts = _counts_once(period, group_by, agency_ids, mark[0])
        if watermark(period) == mark:
            return counts
    return None
