"""What the services hand the flow for one transition, and how the flow's nodes find it.

The service sets the dossier's state first, then drives the flow inside a :func:`driving` block;
the nodes read the :class:`Transition` from a context variable, so they need no query to find the
dossier, and the flow refuses to run without one (nothing may drive a dossier around the services).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.models import Task

from core import inserts
from procedures.models import ProcedureVersion, Step

from .. import deadlines, visibility
from ..models import Dossier, DossierTask, TaskStatus


@dataclass
class Transition:
    """What the service layer hands the flow for one transition."""

    dossier: Dossier
    at: dt.datetime
    cut_short: bool = False  # a decision that ends the stage now (cancels the other parallel steps)
    stage_done: bool = True  # False while other steps of a parallel stage are still open
    steps: list[Step] | None = None  # the version's steps when the caller has them already
    solo_step: bool = False  # the finished step is its stage's only one: no join can be waiting
    opened: list[DossierTask] = field(default_factory=list)
    stage_steps: dict[int, Step] = field(default_factory=dict)
    # (task id, previous task id) rows of viewflow's Task.previous, inserted in one statement
    links: list[tuple[int, int]] = field(default_factory=list)


# The transition being driven in this thread. Not an attribute of the process object: viewflow
# reloads the process for some tasks (a join found again), so identity cannot be relied on.
_current: ContextVar[Transition | None] = ContextVar("dossier_transition", default=None)

_TaskLink = Task.previous.through


@contextmanager
def driving(transition: Transition) -> Iterator[None]:
    """Make ``transition`` the one the nodes see; write the collected task links at the end."""
    token = _current.set(transition)
    try:
        yield
        _flush_links(transition)
    finally:
        _current.reset(token)


def current(activation: Any = None) -> Transition:
    """The transition being driven; a flow run outside :func:`driving` is refused."""
    transition = _current.get()
    if transition is None:
        raise FlowRuntimeError("Drive the dossier flow through workflows.services, not directly.")
    return transition


def link(task: Task, previous: Task) -> None:
    """Record ``task.previous.add(previous)`` for the end of the transition (one INSERT per
    transition instead of one per task created)."""
    current().links.append((task.pk, previous.pk))


def _flush_links(transition: Transition) -> None:
    if transition.links:
        inserts.insert(
            [
                _TaskLink(from_task_id=task_id, to_task_id=previous_id)
                for task_id, previous_id in transition.links
            ]
        )
        transition.links = []


_steps_cache: dict[tuple[int, dt.datetime], list[Step]] = {}
_STEPS_CACHE_SIZE = 4096


def version_steps(version: ProcedureVersion) -> list[Step]:
    """A version's steps in order, cached in the process.

    A version is immutable once a dossier uses it (procedures/models.py), so its steps never
    change under the cache; the key includes ``created_at`` so that a reused id is a new entry.
    """
    key = (version.pk, version.created_at)
    steps = _steps_cache.get(key)
    if steps is None:
        steps = list(Step.objects.filter(version_id=version.pk).order_by("order"))
        if len(_steps_cache) >= _STEPS_CACHE_SIZE:
            _steps_cache.clear()
        _steps_cache[key] = steps
    return steps


def steps_of_stage(transition: Transition) -> list[dict[str, Any]]:
    """The steps of the dossier's current stage, from the version it was received under, as the
    data items the gateway fans out over (one ``process_step`` task each)."""
    dossier = transition.dossier
    all_steps = transition.steps if transition.steps is not None else version_steps(dossier.version)
    steps = [step for step in all_steps if step.stage == dossier.current_stage]
    if not steps:
        raise FlowRuntimeError(f"Version {dossier.version_id} has no stage {dossier.current_stage}")
    transition.stage_steps = {step.pk: step for step in steps}
    return [{"step": step.pk, "stage": step.stage} for step in steps]


def open_dossier_tasks(transition: Transition, step_tasks: list[Task]) -> None:
    """Mirror each new step task in a ``DossierTask`` with its agency, role and due time."""
    steps = transition.stage_steps
    calendar = deadlines.calendar()
    rows = []
    for task in step_tasks:
        step = steps[task.data["step"]]
        rows.append(
            DossierTask(
                dossier=transition.dossier,
                flow_task=task,
                step=step,
                stage=step.stage,
                agency_id=step.agency_id,
                role=step.role,
                status=TaskStatus.OPEN,
                created_at=transition.at,
                due_at=deadlines.add_hours(transition.at, step.budget_hours, calendar=calendar),
            )
        )
    if transition.dossier.pk is None:
        transition.opened = rows  # registration saves them with the dossier, after the process
    else:
        inserts.insert(rows)
        transition.opened = rows
        visibility.grant_tasks(transition.dossier, rows)
