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

from ._query import _labels, without_jit
from .assembly import Report, assemble_processing
from .periods import Period
from .processing_direct import direct_processing_counts, processing_queryset
from .rollup_read import rolled_processing_counts

__all__ = ["processing_counts", "processing_queryset", "processing_report"]


def processing_counts(
    *, period: Period, group_by: str, agency_ids: Sequence[int] | None = None
) -> list[dict]:
    """From the rollup when one is there (``reports.rollup_read``; the same figures), else direct."""
    rolled = rolled_processing_counts(period=period, group_by=group_by, agency_ids=agency_ids)
    if rolled is not None:
        return rolled
    return direct_processing_counts(period=period, group_by=group_by, agency_ids=agency_ids)


@without_jit
def processing_report(
    *, period: Period, group_by: str = "agency", agency_ids: Sequence[int] | None = None, unit: str = ""
) -> Report:
    """Form II.06a for ``period``: one row per receiving agency / field / procedure / level."""
    counted = processing_counts(period=period, group_by=group_by, agency_ids=agency_ids)
    labels = _labels(group_by, [row["key"] for row in counted])
    return assemble_processing(counted=counted, labels=labels, period=period, group_by=group_by, unit=unit)
