"""Form II.06a's columns read straight from the dossiers: the definitions of ``reports.processing``
as conditional counts (one aggregate query). The rollup's live part reuses them."""

from collections.abc import Sequence

from django.db.models import (
    Case,
    Count,
    F,
    FilteredRelation,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from workflows import rules
from workflows.models import (
    Channel,
    DossierStatus,
    Result,
    Verdict,
)

from ._query import _dossiers, _group_field
from .periods import Period


def _with_lookups(queryset: QuerySet, *, end) -> QuerySet:
    """Join, once per dossier, the pause running at ``end``, and name the withdrawal time.

    The pause join is a LEFT JOIN on a condition that matches at most one row per dossier (pauses
    do not overlap, so at most one runs at a given instant): rows are not multiplied, and
    PostgreSQL hashes the small filtered set instead of a correlated lookup per row. The
    withdrawal time is ``Dossier.withdrawn_at`` (set by the withdraw service), falling back to
    ``updated_at`` for a withdrawn dossier imported without it.
    """
    return queryset.alias(
        running_pause=FilteredRelation(
            "pauses",
            condition=rules.pause_running_at(end),
        ),
    ).alias(
        withdrawal_time=Case(
            When(status=DossierStatus.WITHDRAWN, then=Coalesce(F("withdrawn_at"), F("updated_at")))
        ),
        paused_since=F("running_pause__started_at"),
        clock_stop=Coalesce(F("running_pause__started_at"), Value(end)),
    )


def _open_at(at) -> Q:
    """Received before ``at``, not refused at intake, not finished nor withdrawn before ``at``.
    Cheap column tests come first: PostgreSQL evaluates a FILTER's AND left to right."""
    return (
        Q(received_at__lt=at)
        & ~Q(status=DossierStatus.REJECTED)
        & (Q(finished_at__isnull=True) | Q(finished_at__gte=at))
        & (Q(withdrawal_time__isnull=True) | Q(withdrawal_time__gte=at))
    )


def counted_conditions(*, start, end, flow_start=None, stock_mask: Q | None = None) -> dict[str, Q]:
    """The condition of each counted column. The flows (received, resolved, withdrawn, rejected)
    are counted from ``flow_start`` (default ``start``) to ``end``; the stock columns (carried over,
    in progress, overdue, waiting) only on the rows matching ``stock_mask`` (default all): the live
    part of a rollup-backed report (``reports.rollup_read``) uses both."""
    flow_start = start if flow_start is None else flow_start
    mask = Q() if stock_mask is None else stock_mask
    received = Q(received_at__gte=flow_start, received_at__lt=end) & ~Q(status=DossierStatus.REJECTED)
    resolved = Q(
        finished_at__gte=flow_start, finished_at__lt=end, result__in=[Result.APPROVED, Result.REFUSED]
    )
    in_progress = _open_at(end) & mask
    paused = Q(paused_since__isnull=False)
    late = resolved & Q(verdict=Verdict.LATE)
    return {
        "received_online": received & Q(channel=Channel.ONLINE),
        "received_in_person": received & Q(channel=Channel.IN_PERSON),
        "received_postal": received & Q(channel=Channel.POSTAL),
        "carried_over": _open_at(start) & mask,
        "resolved_total": resolved,
        "resolved_early": resolved & Q(verdict=Verdict.EARLY),
        "resolved_on_time": resolved & Q(verdict=Verdict.ON_TIME),
        "resolved_late": late,
        "resolved_refused": resolved & Q(result=Result.REFUSED),
        "late_with_apology": late & Q(extended=True),
        "in_progress_total": in_progress,
        "in_progress_overdue": in_progress & Q(due_at__isnull=False) & Q(due_at__lt=F("clock_stop")),
        "waiting_supplement": in_progress & paused,
        "withdrawn": Q(
            status=DossierStatus.WITHDRAWN, withdrawal_time__gte=flow_start, withdrawal_time__lt=end
        ),
        "rejected": Q(status=DossierStatus.REJECTED, received_at__gte=flow_start, received_at__lt=end),
    }


def count_columns(rows: QuerySet, *, key: str, end, counted: dict[str, Q]) -> QuerySet:
    return (
        _with_lookups(rows, end=end)
        .values(key)
        .annotate(**{name: Count("pk", filter=condition) for name, condition in counted.items()})
    )


def processing_queryset(
    *, period: Period, group_by: str, agency_ids: Sequence[int] | None = None
) -> QuerySet:
    """The counted columns of form II.06a per group: ONE aggregate query (conditional counts).

    The rows scanned are those received before ``E`` that were received in the period or not
    finished before ``S`` (finished_at is null for open, withdrawn and rejected dossiers), which
    PostgreSQL reads through the ``received_at`` and ``finished_at`` indexes.
    """
    key = _group_field(group_by)
    start, end = period.start, period.end
    rows = (
        _dossiers(agency_ids)
        .filter(received_at__lt=end)
        .filter(Q(received_at__gte=start) | Q(finished_at__isnull=True) | Q(finished_at__gte=start))
    )
    return count_columns(rows, key=key, end=end, counted=counted_conditions(start=start, end=end))


def direct_processing_counts(
    *, period: Period, group_by: str, agency_ids: Sequence[int] | None = None
) -> list[dict]:
    """The definitions, read straight from the dossiers (no rollup). A group with nothing in any
    column (only dossiers refused or withdrawn before the period, say) is not listed."""
    key = _group_field(group_by)
    rows = processing_queryset(period=period, group_by=group_by, agency_ids=agency_ids)
    rows = [{"key": row.pop(key), **row} for row in rows]
    return [row for row in rows if any(value for name, value in row.items() if name != "key")]
