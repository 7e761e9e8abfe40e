"""What-if of a proposed cut: replay finished dossiers on the working-time calendar. Pure.

No query, no clock: the rows come from ``reports.whatif_query`` (or a test). Each finished dossier is
replayed with the *proposed* duration from its real receipt: its appointment is the duration counted
from ``received_at``, moved by every ended wait for a supplement exactly as the workflow moves it
(``workflows.rules.due_after_supplement``: mode ``pause`` adds the working time waited, mode
``restart`` counts the duration again from the return), and by the apology letter's extension (the
same working hours as the real one), in the order they happened; the verdict is then
``workflows.rules.verdict(finished_at, appointment)``. Replayed with the dossier's own committed
duration this gives back the verdict the workflow stored (tested as a property).

Steps are replayed the same way: a task's due time is its budget counted from its creation
(``flow.transition``), so under a proposed budget a task is late when ``rules.verdict(finished_at,
created_at + budget)`` says so. A step "has to get faster by" the working hours its p90 exceeds
the proposed budget.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from procedures.calendar import WorkingCalendar
from procedures.durations import HOURS_PER_WORKING_DAY, duration_hours
from workflows import deadlines, rules
from workflows.models import Verdict

# Resolution 66/NQ-CP (2025): cut processing times by at least 30 % against the legal duration.
CUT_TARGET_PERCENT = 30.0


@dataclass(frozen=True, slots=True)
class Proposal:
    """A duration in the shape ``rules`` and ``deadlines`` read from a procedure version."""

    committed_duration_value: int
    committed_duration_unit: str

    @property
    def hours(self) -> float:
        return duration_hours(self.committed_duration_value, self.committed_duration_unit)


@dataclass(frozen=True, slots=True)
class PauseRow:
    started_at: dt.datetime
    ended_at: dt.datetime
    mode: str


@dataclass(frozen=True, slots=True)
class ExtensionRow:
    created_at: dt.datetime
    previous_due_at: dt.datetime
    new_due_at: dt.datetime


@dataclass(frozen=True, slots=True)
class DossierRow:
    id: int
    agency_id: int
    received_at: dt.datetime
    finished_at: dt.datetime
    verdict: str  # the verdict the workflow stored
    processing_hours: float | None
    current: Proposal  # the dossier's own version's committed duration
    extension: ExtensionRow | None = None


@dataclass(frozen=True, slots=True)
class TaskRow:
    step_order: int
    created_at: dt.datetime
    finished_at: dt.datetime
    verdict: str


@dataclass(frozen=True, slots=True)
class StepInfo:
    order: int
    name: str
    agency_id: int
    budget_hours: float


def replay_due(
    row: DossierRow, pauses: Sequence[PauseRow], duration: Proposal, *, calendar: WorkingCalendar
) -> dt.datetime:
    """The appointment the dossier would have had with ``duration`` as its committed duration."""
    due = deadlines.committed_due(row.received_at, duration, calendar=calendar)
    events: list[tuple[dt.datetime, int, object]] = [(p.ended_at, 0, p) for p in pauses]
    if row.extension is not None:
        events.append((row.extension.created_at, 1, row.extension))
    events.sort(key=lambda e: (e[0], e[1]))
    for _at, kind, event in events:
        if kind == 0:
            due, _waited = rules.due_after_supplement(
                mode=event.mode,
                due_at=due,
                paused_from=event.started_at,
                returned_at=event.ended_at,
                version=duration,
                calendar=calendar,
            )
        else:
            shift = deadlines.hours_between(event.previous_due_at, event.new_due_at, calendar=calendar)
            due = deadlines.add_hours(due, shift, calendar=calendar)
    return due


def replay_verdict(
    row: DossierRow, pauses: Sequence[PauseRow], duration: Proposal, *, calendar: WorkingCalendar
) -> str:
    return rules.verdict(row.finished_at, replay_due(row, pauses, duration, calendar=calendar))


def percentile(sorted_values: Sequence[float], p: float) -> float | None:
    """PostgreSQL's ``percentile_cont`` on already sorted values (None when empty)."""
    if not sorted_values:
        return None
    position = p * (len(sorted_values) - 1)
    lo = math.floor(position)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (position - lo) * (sorted_values[hi] - sorted_values[lo])


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _r(value: float | None, digits: int = 2) -> float | None:
    return round(value, digits) if value is not None else None


@dataclass
class _Tally:
    """Counts and processing hours of one group of replayed dossiers."""

    replayed: int = 0
    late_today: int = 0
    late_proposed: int = 0
    turn_late: int = 0
    turn_in_time: int = 0
    hours: list[float] = field(default_factory=list)

    def add(self, today_late: bool, proposed_late: bool, hours: float | None) -> None:
        self.replayed += 1
        self.late_today += today_late
        self.late_proposed += proposed_late
        self.turn_late += proposed_late and not today_late
        self.turn_in_time += today_late and not proposed_late
        if hours is not None:
            self.hours.append(hours)

    def figures(self, limit_hours: float, hours_per_day: float) -> dict:
        hours = sorted(self.hours)
        p50, p90 = percentile(hours, 0.5), percentile(hours, 0.9)
        over = len(hours) - _count_at_most(hours, limit_hours)
        return {
            "replayed": self.replayed,
            "late_today": self.late_today,
            "late_today_share": _share(self.late_today, self.replayed),
            "late_proposed": self.late_proposed,
            "late_proposed_share": _share(self.late_proposed, self.replayed),
            "turn_late": self.turn_late,
            "turn_in_time": self.turn_in_time,
            "processing_hours_p50": _r(p50),
            "processing_hours_p90": _r(p90),
            "processing_days_p50": _r(p50 / hours_per_day if p50 is not None else None),
            "processing_days_p90": _r(p90 / hours_per_day if p90 is not None else None),
            "limit_hours": _r(limit_hours),
            "over_limit": over,
            "over_limit_share": _share(over, len(hours)),
        }


def _count_at_most(sorted_values: Sequence[float], limit: float) -> int:
    return bisect.bisect_right(sorted_values, limit)


@dataclass
class _StepTally:
    tasks: int = 0
    late_today: int = 0
    late_proposed: int = 0
    hours: list[float] = field(default_factory=list)


def replay(
    dossiers: Iterable[DossierRow],
    pauses: Mapping[int, Sequence[PauseRow]],
    tasks: Iterable[TaskRow],
    *,
    proposal: Proposal,
    steps: Mapping[int, StepInfo],
    step_budgets: Mapping[int, float],
    calendar: WorkingCalendar,
) -> dict:
    """Replay ``dossiers`` (finished ones) under ``proposal`` and ``tasks`` under ``step_budgets``
    (step order → proposed budget hours). Returns the totals, per agency and per step."""
    limit = proposal.hours
    per_day = calendar.hours_per_day or HOURS_PER_WORKING_DAY
    total = _Tally()
    agencies: dict[int, _Tally] = {}
    for row in dossiers:
        today_late = row.verdict == Verdict.LATE
        proposed_late = (
            replay_verdict(row, pauses.get(row.id, ()), proposal, calendar=calendar) == Verdict.LATE
        )
        total.add(today_late, proposed_late, row.processing_hours)
        agencies.setdefault(row.agency_id, _Tally()).add(today_late, proposed_late, row.processing_hours)
    return {
        "totals": total.figures(limit, per_day),
        "agencies": {agency: tally.figures(limit, per_day) for agency, tally in agencies.items()},
        "steps": replay_steps(tasks, steps=steps, step_budgets=step_budgets, calendar=calendar),
    }


def replay_steps(
    tasks: Iterable[TaskRow],
    *,
    steps: Mapping[int, StepInfo],
    step_budgets: Mapping[int, float],
    calendar: WorkingCalendar,
) -> list[dict]:
    """Per step order: tasks, late today / under the proposed budget, p50/p90 of the working hours
    from the task's creation to its decision, and how many hours the p90 must drop to fit."""
    tallies: dict[int, _StepTally] = {}
    for task in tasks:
        tally = tallies.setdefault(task.step_order, _StepTally())
        budget = step_budgets.get(task.step_order)
        took = deadlines.hours_between(task.created_at, task.finished_at, calendar=calendar)
        tally.tasks += 1
        tally.late_today += task.verdict == Verdict.LATE
        # Less working time than the budget: decided before the due time, so not late (the due
        # time itself is only needed from the budget on).
        if budget is not None and took >= budget:
            due = deadlines.add_hours(task.created_at, budget, calendar=calendar)
            tally.late_proposed += rules.verdict(task.finished_at, due) == Verdict.LATE
        tally.hours.append(took)
    out = []
    for order in sorted(set(steps) | set(tallies)):
        info = steps.get(order)
        tally = tallies.get(order, _StepTally())
        hours = sorted(tally.hours)
        p50, p90 = percentile(hours, 0.5), percentile(hours, 0.9)
        budget = step_budgets.get(order)
        out.append(
            {
                "order": order,
                "name": info.name if info else "",
                "agency_id": info.agency_id if info else None,
                "budget_hours": _r(info.budget_hours) if info else None,
                "proposed_budget_hours": _r(budget),
                "tasks": tally.tasks,
                "late_today": tally.late_today,
                "late_proposed": tally.late_proposed,
                "hours_p50": _r(p50),
                "hours_p90": _r(p90),
                "faster_by_hours": _r(max(0.0, p90 - budget))
                if p90 is not None and budget is not None
                else None,
            }
        )
    return out


def proposed_step_budgets(
    steps: Mapping[int, StepInfo],
    *,
    current: Proposal,
    proposal: Proposal,
    step: int | None = None,
    budget_hours: float | None = None,
) -> dict[int, float]:
    """Every step's budget scaled by proposed / current duration, or, when ``step`` is given, that
    step's budget set to ``budget_hours`` and the others kept."""
    if step is not None:
        return {
            order: (budget_hours if order == step else info.budget_hours) for order, info in steps.items()
        }
    if not current.hours:
        return {order: info.budget_hours for order, info in steps.items()}
    return {order: info.budget_hours * proposal.hours / current.hours for order, info in steps.items()}


def cut_figures(*, legal: Proposal, current: Proposal, proposal: Proposal) -> dict:
    """The cut against the legal duration today and under the proposal, and the 30 % target."""

    def cut(d: Proposal) -> float | None:
        return round((legal.hours - d.hours) / legal.hours * 100, 1) if legal.hours else None

    proposed = cut(proposal)
    return {
        "legal_hours": _r(legal.hours),
        "current_hours": _r(current.hours),
        "proposed_hours": _r(proposal.hours),
        "current_cut_percent": cut(current),
        "proposed_cut_percent": proposed,
        "target_percent": CUT_TARGET_PERCENT,
        "meets_target": proposed is not None and proposed >= CUT_TARGET_PERCENT,
    }
