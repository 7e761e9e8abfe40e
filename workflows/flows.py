"""The one generic flow that runs every procedure's steps.

A province configures over a thousand procedures, so there is no flow class per procedure: the
process interprets the steps of the procedure version the dossier was received under. The dossier
(``Dossier.process`` is a OneToOne to viewflow's ``Process``) is the process data and keeps the
stage pointer (``Dossier.current_stage``)::

    receive ──► route_stage ══► process_step × (steps of the current stage) ══► join_stage ─┐
                  ▲   │ ▲                                                                   │
                  │   │ └───────────── next stage / previous stage (send back) ◄────────────┘
                  │   ├──► wait_supplement ──┐   (status waiting_supplement)
                  │   └──► end               │   (status result_ready: approved or refused)
                  └──────────────────────────┘

``route_stage`` is both the routing gateway and the fan-out: it reads the dossier's status and
stage pointer and opens one ``process_step`` task per step of the stage (pitfall 8: a ``Split``
subclass adds one task per data item), or goes to the supplement wait or the end. Folding the
router into the split saves one automatic node (five queries) on every stage change.

Business rules (who may act, what a decision does to the stage pointer and the status, deadlines)
live in ``workflows.services``; the service sets the dossier's state first, then drives the flow,
and the gateways only read that state. The service hands the flow a :class:`Transition` in a
context variable, so nodes need no query to find the dossier, and the flow refuses to run without
one (nothing may drive a dossier around the services). Deadlines are our own ``DossierTask.due_at``
columns, not viewflow timers (docs/VIEWFLOW.md, "What it costs").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.timezone import now
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.activation import Activation
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.models import Process, Task
from viewflow.workflow.nodes.join import JoinActivation
from viewflow.workflow.nodes.split import SplitActivation
from viewflow.workflow.status import STATUS
from viewflow.workflow.token import Token

from procedures.models import ProcedureVersion, Step

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
    stage_done: bool = True  # False while other steps of a parallel stage are still open
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
        """Fanned-out items get split tokens (the join waits for them); a lone branch keeps the
        gateway's token, so tokens do not grow each time the flow loops through the gateway."""
        token_source = Token.split_token_source(self.task.token, self.task.pk)
        fanned = {node for node, item in self.next_tasks if item is not None}
        activations = []
        for node, item in self.next_tasks:
            token = next(token_source) if node in fanned else self.task.token
            activations.append(node._create(prev_activation=self, token=token, data=item))
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


class StageJoinActivation(JoinActivation):
    """A join that asks the service layer whether the stage is over instead of scanning tokens.

    The service holds the dossier row lock and has just counted the stage's open ``DossierTask``
    rows, so it knows; the stock join would run four token queries for the same answer (its
    condition is evaluated twice per arrival, pitfall 12). A stage cut short cancels the other
    open step tasks of the process: only the current stage has open step tasks.
    """

    def is_done(self):
        return _transition(self).stage_done

    @Activation.status.transition(source=STATUS.NEW, target=STATUS.STARTED)
    @Activation.status.transition(source=STATUS.STARTED)
    def activate(self):
        if self.task.started is None:
            self.task.started = now()
            if not _transition(self).stage_done:
                self.task.save()  # waits for other branches; otherwise complete() saves it

    @Activation.status.transition(source=STATUS.STARTED, target=STATUS.DONE, conditions=[this.is_done])
    def complete(self):
        transition = _transition(self)
        if transition.cut_short:
            Task.objects.filter(
                process=self.process, flow_task=self.flow_class.process_step, status=STATUS.NEW
            ).update(status=STATUS.CANCELED, finished=transition.at)
        super(JoinActivation, self).complete.original()


class StageJoin(flow.Join):
    activation_class = StageJoinActivation


class DossierFlow(flow.Flow):
    """Every procedure's processing: stages of steps, possibly parallel, across agencies."""

    process_title = "Hồ sơ"
    process_description = "Giải quyết hồ sơ thủ tục hành chính theo các bước của thủ tục."
    # Without it a join can miss its last branch and stay stuck (pitfall 3).
    lock_impl = lock.select_for_update_lock

    receive = flow.StartHandle(this.begin).Next(this.route_stage)
    route_stage = (
        StageSplit()
        .Next(this.end, case=this.result_ready)
        .Next(this.wait_supplement, case=this.waiting_supplement)
        .Next(this.process_step, case=this.processing, data_source=this.stage_steps)
        .OnFanOut(this.open_dossier_tasks)
    )
    # Completed from code by workflows.services.task_complete, which enforces agency and role.
    process_step = flow.Handle().Next(this.join_stage)
    join_stage = StageJoin().Next(this.route_stage)
    wait_supplement = flow.Handle().Next(this.route_stage)
    end = flow.End()

    def begin(self, activation: Activation) -> Process:
        return activation.process

    def stage_steps(self, activation: Activation) -> list[dict[str, Any]]:
        """The steps of the dossier's current stage, from the version it was received under."""
        transition = _transition(activation)
        dossier = transition.dossier
        all_steps = transition.steps if transition.steps is not None else version_steps(dossier.version)
        steps = [step for step in all_steps if step.stage == dossier.current_stage]
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
        if transition.dossier.pk is None:
            transition.opened = rows  # registration saves them with the dossier, after the process
        else:
            transition.opened = DossierTask.objects.bulk_create(rows)

    def result_ready(self, activation: Activation) -> bool:
        return _transition(activation).dossier.status == DossierStatus.RESULT_READY

    def waiting_supplement(self, activation: Activation) -> bool:
        return _transition(activation).dossier.status == DossierStatus.WAITING_SUPPLEMENT

    def processing(self, activation: Activation) -> bool:
        return _transition(activation).dossier.status == DossierStatus.PROCESSING


def start(transition: Transition) -> Process:
    """Start the dossier's process; the caller's transaction covers it (pitfall 11)."""
    with _driving(transition):
        return DossierFlow.receive.run()


def complete_step(flow_task: Task, *, transition: Transition, owner: AbstractBaseUser) -> None:
    """Finish one ``process_step`` task and let the flow go on (join, gateway, next stage)."""
    process = flow_task.process
    with _driving(transition), DossierFlow.lock(process.pk):
        activation = flow_task.flow_task.activation_class(flow_task)
        activation.run(None)
        flow_task.owner = owner
        activation.execute()


def resume_after_supplement(process: Process, *, transition: Transition) -> None:
    """Leave ``wait_supplement``: the gateway opens the same stage again."""
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
