"""The one generic flow that runs every procedure's steps.

A province configures over a thousand procedures, so there is no flow class per procedure: the
process interprets the steps of the procedure version the dossier was received under. The dossier
(``Dossier.process`` is a OneToOne to viewflow's ``Process``) is the process data and keeps the
stage pointer (``Dossier.current_stage``)::

    receive ──► split_stage ══► process_step (one per step of the stage) ══► join_stage ──► route
                  ▲   ▲                                                                    │
                  │   └──────────── next stage / previous stage (send back) ◄──────────────┤
                  └── wait_supplement ◄── supplement requested ◄───────────────────────────┤
                                                            result ready (approved/refused) ┴─► end

Business rules (who may act, what a decision does to the stage pointer and the status, deadlines)
live in ``workflows.services``; the service sets the dossier's state first, then drives the flow,
and the gateways only read that state. Each transition hands the flow a :class:`Transition` on the
process object, so the nodes need no query to find the dossier. Deadlines are our own
``DossierTask.due_at`` columns, not viewflow timers (see docs: "What it costs").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.activation import Activation
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.models import Process, Task
from viewflow.workflow.nodes.split import SplitActivation
from viewflow.workflow.status import STATUS

from procedures.models import Step

from . import deadlines
from .models import Dossier, DossierStatus, DossierTask, TaskStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


@dataclass
class Transition:
    """What the service layer hands the flow for one transition."""

    dossier: Dossier
    at: dt.datetime
    cut_short: bool = False  # a decision that ends the stage now (cancels the other parallel steps)
    steps: list[Step] | None = None  # the version's steps when the caller has them already
    opened: list[DossierTask] = field(default_factory=list)
    stage_steps: dict[int, Step] = field(default_factory=dict)


# The transition being driven in this thread. Not an attribute of the process object: viewflow
# reloads the process for some tasks (a join found again), so identity cannot be relied on.
_current: ContextVar[Transition | None] = ContextVar("dossier_transition", default=None)


@contextmanager
def _driving(transition: Transition) -> Iterator[None]:
    token = _current.set(transition)
    try:
        yield
    finally:
        _current.reset(token)


def _transition(activation: Activation) -> Transition:
    transition = _current.get()
    if transition is None:
        raise FlowRuntimeError("Drive the dossier flow through workflows.services, not directly.")
    return transition


class StageSplitActivation(SplitActivation):
    """Adds one ``(node, item)`` per item of a branch's data source (pitfall 8 in VIEWFLOW.md)."""

    @Activation.status.super()
    def activate(self):
        for node, cond, data_source in self.flow_task._branches:
            if cond and not cond(self):
                continue
            if data_source is None:
                self.next_tasks.append((node, None))
            else:
                self.next_tasks.extend((node, item) for item in data_source(self))
        if not self.next_tasks:
            raise FlowRuntimeError(f"No next task available for {self.flow_task.name}")

    @Activation.status.super()
    def create_next(self):
        activations = list(super().create_next.original())
        if self.flow_task._on_fan_out is not None:
            self.flow_task._on_fan_out(self, activations)
        yield from activations


class StageSplit(flow.Split):
    """A parallel split whose branch may fan out over a data source, with a hook after fan-out."""

    activation_class = StageSplitActivation

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._on_fan_out = None

    def Next(self, node, case=None, data_source=None):  # noqa: N802 - viewflow's node API
        self._activate_next.append((node, case, data_source))
        return self

    def OnFanOut(self, callback):  # noqa: N802
        self._on_fan_out = callback
        return self

    def _resolve(self, instance):
        super()._resolve(instance)
        self._on_fan_out = this.resolve(instance, self._on_fan_out)


class DossierFlow(flow.Flow):
    """Every procedure's processing: stages of steps, possibly parallel, across agencies."""

    process_title = "Hồ sơ"
    process_description = "Giải quyết hồ sơ thủ tục hành chính theo các bước của thủ tục."
    # Without it a join can miss its last branch and stay stuck (pitfall 3).
    lock_impl = lock.select_for_update_lock

    receive = flow.StartHandle(this.begin).Next(this.split_stage)
    split_stage = (
        StageSplit().Next(this.process_step, data_source=this.stage_steps).OnFanOut(this.open_dossier_tasks)
    )
    # Completed from code by workflows.services.task_complete, which enforces agency and role.
    process_step = flow.Handle().Next(this.join_stage)
    join_stage = flow.Join(continue_on_condition=this.stage_cut_short).Next(this.route)
    route = (
        flow.Switch()
        .Case(this.end, this.result_ready)
        .Case(this.wait_supplement, this.waiting_supplement)
        .Default(this.split_stage)
    )
    wait_supplement = flow.Handle().Next(this.split_stage)
    end = flow.End()

    def begin(self, activation: Activation) -> Process:
        return activation.process

    def stage_steps(self, activation: Activation) -> list[dict[str, Any]]:
        """The steps of the dossier's current stage, from the version it was received under."""
        transition = _transition(activation)
        dossier = transition.dossier
        if transition.steps is not None:
            steps = [step for step in transition.steps if step.stage == dossier.current_stage]
        else:
            steps = list(
                Step.objects.filter(version_id=dossier.version_id, stage=dossier.current_stage).order_by(
                    "order"
                )
            )
        if not steps:
            raise FlowRuntimeError(f"Version {dossier.version_id} has no stage {dossier.current_stage}")
        transition.stage_steps = {step.pk: step for step in steps}
        return [{"step": step.pk, "stage": step.stage} for step in steps]

    def open_dossier_tasks(self, activation: Activation, activations: list[Activation]) -> None:
        """Mirror each new step task in a ``DossierTask`` with its agency, role and due time."""
        transition = _transition(activation)
        steps = transition.stage_steps
        calendar = deadlines.calendar()
        rows = []
        for step_activation in activations:
            task = step_activation.task
            if task.flow_task != self.process_step:
                continue
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
        transition.opened = DossierTask.objects.bulk_create(rows)

    def stage_cut_short(self, activation: Activation, active_tasks) -> bool:
        return _transition(activation).cut_short

    def result_ready(self, activation: Activation) -> bool:
        return _transition(activation).dossier.status == DossierStatus.RESULT_READY

    def waiting_supplement(self, activation: Activation) -> bool:
        return _transition(activation).dossier.status == DossierStatus.WAITING_SUPPLEMENT


def start(transition: Transition) -> Process:
    """Start the dossier's process; the caller's transaction covers it (pitfall 11)."""
    with _driving(transition):
        return DossierFlow.receive.run()


def complete_step(flow_task: Task, *, transition: Transition, owner: AbstractBaseUser) -> None:
    """Finish one ``process_step`` task and let the flow go on (join, route, next stage)."""
    process = flow_task.process
    with _driving(transition), DossierFlow.lock(process.pk):
        activation = flow_task.flow_task.activation_class(flow_task)
        activation.run(None)
        flow_task.owner = owner
        activation.execute()


def resume_after_supplement(process: Process, *, transition: Transition) -> None:
    """Leave ``wait_supplement``: the split opens the same stage again."""
    with _driving(transition), DossierFlow.lock(process.pk):
        task = Task.objects.select_related("process").get(
            process=process, flow_task=DossierFlow.wait_supplement, status=STATUS.NEW
        )
        task.process = process
        activation = task.flow_task.activation_class(task)
        activation.run(None)
        activation.execute()


def cancel(process: Process) -> None:
    """Cancel every open task and the process (withdrawal)."""
    DossierFlow.instance.cancel(process)
