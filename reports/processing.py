"""Form II.06a: dossiers received, resolved, in progress, overdue, withdrawn, refused, per group.

Every figure is one SQL aggregation over indexed columns of ``workflows.Dossier`` /
``DossierTask`` (a constant number of queries per report, whatever the number of dossiers); the
pure assembly (derived columns, totals, labels, changes) lives in ``reports.assembly``.

Definitions, for a period ``[S, E)`` (see ``reports.periods``: local dates, ``E`` exclusive):

* **withdrawal time** of a withdrawn dossier: ``Dossier.withdrawn_at``, set by the withdraw
  service together with its audit event; ``updated_at`` when it is missing (data imported without
  it).
* **received** (cols 4, 5): ``S ≤ received_at < E`` and status is not ``rejected``; online =
  channel ``online``; direct (5) = ``in_person`` + ``postal`` (also given apart).
* **rejected** (refused at intake): status ``rejected`` and ``S ≤ received_at < E`` (the refusal
  happens at the desk, at the intake time). Never counted in any other column.
* **open at instant t**: ``received_at < t``, not ``rejected``, not finished before ``t``
  (``finished_at`` null or ``≥ t``) and not withdrawn before ``t``.
* **carried over** (6): open at ``S``. **received total** (3) = 4 + 5 + 6.
* **resolved** (7–10): ``S ≤ finished_at < E`` with a result (approved or refused), split by the
  verdict the workflow stored at finish against ``due_at`` after extensions and pauses (finished on
  the due date = on time).
* **in progress** (11): open at ``E``. **overdue** (13): ``due_at < E``; but a dossier waiting for a
  supplement at ``E`` (a ``DossierPause`` with ``started_at < E`` and ``ended_at`` null or ``≥ E``)
  has its clock stopped, so it is overdue only if ``due_at`` was already passed when the pause began
  (``due_at < pause.started_at``). **within due** (12) = 11 − 13 (a dossier without a due time is
  within due).
* **waiting for supplement**: in progress and paused at ``E`` (as above); also counted in 11.
* **withdrawn**: status ``withdrawn`` and withdrawal time in ``[S, E)``.
* **late with / without apology**: resolved late with ``extended`` true / false.
"""

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

from ._query import _dossiers, _group_field, _labels, without_jit
from .assembly import Report, assemble_processing
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
    received = Q(received_at__gte=start, received_at__lt=end) & ~Q(status=DossierStatus.REJECTED)
    resolved = Q(finished_at__gte=start, finished_at__lt=end, result__in=[Result.APPROVED, Result.REFUSED])
    in_progress = _open_at(end)
    paused = Q(paused_since__isnull=False)
    late = resolved & Q(verdict=Verdict.LATE)
    counted = {
        "received_online": received & Q(channel=Channel.ONLINE),
        "received_in_person": received & Q(channel=Channel.IN_PERSON),
        "received_postal": received & Q(channel=Channel.POSTAL),
        "carried_over": _open_at(start),
        "resolved_total": resolved,
        "resolved_early": resolved & Q(verdict=Verdict.EARLY),
        "resolved_on_time": resolved & Q(verdict=Verdict.ON_TIME),
        "resolved_late": late,
        "resolved_refused": resolved & Q(result=Result.REFUSED),
        "late_with_apology": late & Q(extended=True),
        "in_progress_total": in_progress,
        "in_progress_overdue": in_progress & Q(due_at__isnull=False) & Q(due_at__lt=F("clock_stop")),
        "waiting_supplement": in_progress & paused,
        "withdrawn": Q(status=DossierStatus.WITHDRAWN, withdrawal_time__gte=start, withdrawal_time__lt=end),
        "rejected": Q(status=DossierStatus.REJECTED, received_at__gte=start, received_at__lt=end),
    }
    rows = (
        _dossiers(agency_ids)
        .filter(received_at__lt=end)
        .filter(Q(received_at__gte=start) | Q(finished_at__isnull=True) | Q(finished_at__gte=start))
    )
    return (
        _with_lookups(rows, end=end)
        .values(key)
        .annotate(**{name: Count("pk", filter=condition) for name, condition in counted.items()})
    )


def processing_counts(
    *, period: Period, group_by: str, agency_ids: Sequence[int] | None = None
) -> list[dict]:
    key = _group_field(group_by)
    rows = processing_queryset(period=period, group_by=group_by, agency_ids=agency_ids)
    return [{"key": row.pop(key), **row} for row in rows]


@without_jit
def processing_report(
    *, period: Period, group_by: str = "agency", agency_ids: Sequence[int] | None = None, unit: str = ""
) -> Report:
    """Form II.06a for ``period``: one row per receiving agency / field / procedure / level."""
    counted = processing_counts(period=period, group_by=group_by, agency_ids=agency_ids)
    labels = _labels(group_by, [row["key"] for row in counted])
    return assemble_processing(counted=counted, labels=labels, period=period, group_by=group_by, unit=unit)
