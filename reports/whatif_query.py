"""The rows the what-if replays, and the report around it: three streamed ``values()`` queries.

Dossiers of one procedure received in the period and finished with a result (the index
``dossier_procedure_received``), their ended waits for a supplement, and their decided tasks; the
replay itself is ``reports.whatif`` (pure).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from procedures.calendar import WorkingCalendar
from procedures.models import Agency, Procedure, Step
from workflows.models import Dossier, DossierPause, DossierTask, Result, TaskStatus

from . import whatif as W
from ._query import without_jit
from .periods import Period

CHUNK = 5000


def _scope(procedure: Procedure, period: Period, agency_ids: Sequence[int] | None, prefix: str = "") -> dict:
    scope = {
        f"{prefix}procedure_id": procedure.pk,
        f"{prefix}received_at__gte": period.start,
        f"{prefix}received_at__lt": period.end,
        f"{prefix}finished_at__isnull": False,
        f"{prefix}result__in": [Result.APPROVED, Result.REFUSED],
    }
    if agency_ids is not None:
        scope[f"{prefix}receiving_agency_id__in"] = list(agency_ids)
    return scope


def dossier_rows(procedure, period, agency_ids) -> Iterator[W.DossierRow]:
    rows = (
        Dossier.objects.filter(**_scope(procedure, period, agency_ids))
        .order_by()
        .values_list(
            "id",
            "receiving_agency_id",
            "received_at",
            "finished_at",
            "verdict",
            "processing_hours",
            "version__committed_duration_value",
            "version__committed_duration_unit",
            "extension__created_at",
            "extension__previous_due_at",
            "extension__new_due_at",
        )
    )
    durations: dict[tuple, W.Proposal] = {}
    for (
        pk,
        agency,
        received,
        finished,
        verdict,
        hours,
        value,
        unit,
        ext_at,
        ext_prev,
        ext_new,
    ) in rows.iterator(chunk_size=CHUNK):
        current = durations.get((value, unit)) or durations.setdefault((value, unit), W.Proposal(value, unit))
        extension = W.ExtensionRow(ext_at, ext_prev, ext_new) if ext_at is not None else None
        yield W.DossierRow(pk, agency, received, finished, verdict, hours, current, extension)


def pause_rows(procedure, period, agency_ids) -> dict[int, list[W.PauseRow]]:
    rows = (
        DossierPause.objects.filter(
            **_scope(procedure, period, agency_ids, "dossier__"), ended_at__isnull=False
        )
        .order_by()
        .values_list("dossier_id", "started_at", "ended_at", "mode")
    )
    out: dict[int, list[W.PauseRow]] = defaultdict(list)
    for dossier_id, started, ended, mode in rows.iterator(chunk_size=CHUNK):
        out[dossier_id].append(W.PauseRow(started, ended, mode))
    return out


def task_rows(procedure, period, agency_ids) -> Iterator[W.TaskRow]:
    rows = (
        DossierTask.objects.filter(
            **_scope(procedure, period, agency_ids, "dossier__"),
            status=TaskStatus.DONE,
            finished_at__isnull=False,
        )
        .order_by()
        .values_list("step_id", "created_at", "finished_at", "verdict")
    )
    orders = dict(Step.objects.filter(version__procedure=procedure).values_list("id", "order"))
    for step_id, created, finished, verdict in rows.iterator(chunk_size=CHUNK):
        yield W.TaskRow(orders[step_id], created, finished, verdict)


def _steps(procedure: Procedure) -> dict[int, W.StepInfo]:
    version = procedure.current_version
    if version is None:
        return {}
    return {
        s.order: W.StepInfo(s.order, s.name, s.agency_id, float(s.budget_hours))
        for s in version.steps.order_by("order").only("order", "name", "agency_id", "budget_hours")
    }


@without_jit
def what_if_report(
    *,
    procedure: Procedure,
    period: Period,
    proposal: W.Proposal,
    agency_ids: Sequence[int] | None,
    calendar: WorkingCalendar,
    step: int | None = None,
    budget_hours: float | None = None,
) -> dict:
    """The what-if of ``proposal`` for ``procedure`` over the dossiers received in ``period``."""
    version = procedure.current_version
    current = W.Proposal(version.committed_duration_value, version.committed_duration_unit)
    legal = W.Proposal(version.legal_duration_value, version.legal_duration_unit)
    steps = _steps(procedure)
    budgets = W.proposed_step_budgets(
        steps, current=current, proposal=proposal, step=step, budget_hours=budget_hours
    )
    result = W.replay(
        dossier_rows(procedure, period, agency_ids),
        pause_rows(procedure, period, agency_ids),
        task_rows(procedure, period, agency_ids),
        proposal=proposal,
        steps=steps,
        step_budgets=budgets,
        calendar=calendar,
    )
    labels = {
        a.id: (a.code, a.name)
        for a in Agency.objects.filter(id__in=set(result["agencies"]) | {s.agency_id for s in steps.values()})
    }
    agencies = [
        {"agency_id": pk, "code": labels.get(pk, ("", ""))[0], "name": labels.get(pk, ("", ""))[1], **figures}
        for pk, figures in result["agencies"].items()
    ]
    agencies.sort(key=lambda r: r["code"])
    for row in result["steps"]:
        row["agency_code"], row["agency_name"] = labels.get(row["agency_id"], ("", ""))
    return {
        "procedure": {"code": procedure.code, "name": procedure.name},
        "period": period.as_dict(),
        "proposal": {"value": proposal.committed_duration_value, "unit": proposal.committed_duration_unit},
        "current": {"value": current.committed_duration_value, "unit": current.committed_duration_unit},
        "legal": {"value": legal.committed_duration_value, "unit": legal.committed_duration_unit},
        "step": {"order": step, "budget_hours": budget_hours} if step is not None else None,
        "cut": W.cut_figures(legal=legal, current=current, proposal=proposal),
        "totals": result["totals"],
        "agencies": agencies,
        "steps": result["steps"],
    }
