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

from django.db import DatabaseError, connection
from django.utils.timezone import now
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.activation import Activation
from viewflow.workflow.exceptions import FlowLockFailed, FlowRuntimeError
from viewflow.workflow.models import Process, Task
from viewflow.workflow.nodes.end import EndActivation
from viewflow.workflow.nodes.handle import HandleActivation
from viewflow.workflow.nodes.join import JoinActivation
from viewflow.workflow.nodes.split import SplitActivation
from viewflow.workflow.nodes.start import StartHandleActivation
from viewflow.workflow.signals import flow_finished, flow_started, task_finished, task_started
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
    solo_step: bool = False  # the finished step is its stage's only one: no join can be waiting
    opened: list[DossierTask] = field(default_factory=list)
    stage_steps: dict[int, Step] = field(default_factory=dict)
    # (task id, previous task id) rows of viewflow's Task.previous, inserted in one statement
    links: list[tuple[int, int]] = field(default_factory=list)


# The transition being driven in this thread. Not an attribute of the process object: viewflow
# reloads the process for some tasks (a join found again), so identity cannot be relied on.
_current: ContextVar[Transition | None] = ContextVar("dossier_transition", default=None)


@contextmanager
def _driving(transition: Transition) -> Iterator[None]:
    token = _current.set(transition)
    try:
        yield
        _flush_links(transition)
    finally:
        _current.reset(token)


_TaskLink = Task.previous.through


def _link(task: Task, previous: Task) -> None:
    """Record ``task.previous.add(previous)`` for :func:`_flush_links` (one INSERT per transition
    instead of one per task created)."""
    _current.get().links.append((task.pk, previous.pk))


def _flush_links(transition: Transition) -> None:
    if transition.links:
        _TaskLink.objects.bulk_create(
            [
                _TaskLink(from_task_id=task_id, to_task_id=previous_id)
                for task_id, previous_id in transition.links
            ]
        )
        transition.links = []


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
    """Adds one ``(node, item)`` per item of a branch's data source (pitfall 8 in VIEWFLOW.md).

    The gateway does its work (choosing branches, reading only the transition) before its task is
    written, so the task is inserted once, already done, instead of inserted new and updated done;
    the fanned-out step tasks are inserted in one statement.
    """

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        task = flow_task.flow_class.task_class(
            process=prev_activation.process, flow_task=flow_task, token=token
        )
        task.data = data if data is not None else {}
        task.seed = seed
        activation = cls(task)
        activation.choose_branches()
        task.status = STATUS.DONE
        task.finished = now()
        task.save()
        _link(task, prev_activation.task)
        task_finished.send(sender=activation.flow_class, process=activation.process, task=task)
        return activation

    def choose_branches(self):
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
        fanned: dict[Any, list[Any]] = {}
        for node, item in self.next_tasks:
            if item is not None:
                fanned.setdefault(node, []).append(item)
        activations = [
            node._create(prev_activation=self, token=self.task.token, data=None)
            for node, item in self.next_tasks
            if node not in fanned
        ]
        for node, items in fanned.items():
            activations += node.activation_class.create_many(
                node, self, [(next(token_source), item) for item in items]
            )
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
    open step tasks of the process: only the current stage has open step tasks. When the step was
    its stage's only one, no join task can be waiting: the join is inserted once, already done,
    without looking for one.
    """

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        transition = _transition(prev_activation)
        task_class = flow_task.flow_class.task_class
        task = None
        if not transition.solo_step:
            tasks = list(
                task_class._default_manager.filter(
                    flow_task=flow_task,
                    process=prev_activation.process,
                    status__in=[STATUS.NEW, STATUS.STARTED],
                )[:2]
            )
            if len(tasks) > 1:
                raise FlowRuntimeError("More than one join instance for process found")
            task = tasks[0] if tasks else None
        if task is None:
            if token.is_split_token():
                token = token.get_base_split_token()
            task = task_class(process=prev_activation.process, flow_task=flow_task, token=token)
            task.data = data if data is not None else {}
            task.seed = seed
            if transition.solo_step and transition.stage_done:
                task.status = STATUS.DONE
                task.started = task.finished = now()
            task.save()
        _link(task, prev_activation.task)
        activation = cls(task)
        if task.status == STATUS.DONE:
            task_finished.send(sender=activation.flow_class, process=activation.process, task=task)
        return activation

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


class DossierStartActivation(StartHandleActivation):
    """The stock start wraps itself in a savepoint and locks the process it has just inserted;
    the service's transaction already covers it (pitfall 11) and no other transaction can see a
    row inserted in it, so neither is needed."""

    @Activation.status.transition(source=STATUS.NEW)
    def execute(self):
        if not connection.in_atomic_block:
            raise FlowRuntimeError("Start a dossier's process inside the service's transaction.")
        task_started.send(sender=self.flow_class, process=self.process, task=self.task)
        self.process.save()
        self.complete()
        flow_started.send(sender=self.flow_class, process=self.process, task=self.task)
        self.activate_next()


class DossierStart(flow.StartHandle):
    activation_class = DossierStartActivation


class StepHandleActivation(HandleActivation):
    """A ``Handle`` whose link to its previous task is written with the transition's others, and
    whose fanned-out tasks are inserted in one statement."""

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        return cls.create_many(flow_task, prev_activation, [(token, data)], seed=seed)[0]

    @classmethod
    def create_many(cls, flow_task, prev_activation, items, seed=None):
        task_class = flow_task.flow_class.task_class
        tasks = []
        for token, data in items:
            task = task_class(process=prev_activation.process, flow_task=flow_task, token=token)
            task.flow_task_type = flow_task.task_type  # what Task.save() would set
            task.data = data if data is not None else {}
            task.seed = seed
            tasks.append(task)
        if len(tasks) == 1:
            tasks[0].save()
        else:
            task_class._default_manager.bulk_create(tasks)
        for task in tasks:
            _link(task, prev_activation.task)
        return [cls(task) for task in tasks]


class StepHandle(flow.Handle):
    activation_class = StepHandleActivation


class DossierEndActivation(EndActivation):
    """The stock end inserts its task new, links it, opens a savepoint, then updates task and
    process; here the task is inserted once, already done, its link goes with the transition's
    others, and the process is finished when no other task of it is still open (as stock)."""

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        task = flow_task.flow_class.task_class(
            process=prev_activation.process, flow_task=flow_task, token=token
        )
        task.data = data if data is not None else {}
        task.seed = seed
        activation = cls(task)
        process = activation.process
        task_started.send(sender=activation.flow_class, process=process, task=task)
        task.status = STATUS.DONE
        task.started = task.finished = now()
        task.save()
        _link(task, prev_activation.task)
        others_open = (
            task.__class__._default_manager.filter(process=process, finished__isnull=True)
            .exclude(pk=task.pk)
            .exists()
        )
        if not others_open:
            process.status = STATUS.DONE
            process.finished = now()
            process.save(update_fields=["status", "finished"])
        task_finished.send(sender=activation.flow_class, process=process, task=task)
        if not others_open:
            flow_finished.send(sender=activation.flow_class, process=process, task=task)
        return activation


class DossierEnd(flow.End):
    activation_class = DossierEndActivation


class DossierLock(lock.SelectForUpdateLock):
    """viewflow's ``select_for_update_lock`` (pitfall 3) without a savepoint per transition.

    The stock lock opens a savepoint around each attempt so that it can retry after NOWAIT fails.
    Inside a service's transaction, which has already locked the dossier row (so services never
    contend for the process row), one attempt is taken on the caller's transaction; a failure is
    ``FlowLockFailed``, a ``Conflict`` that rolls the whole transaction back. Outside a
    transaction it is the stock lock.
    """

    @contextmanager
    def __call__(self, flow_class, process_pk):
        if not connection.in_atomic_block:
            with super().__call__(flow_class, process_pk):
                yield
            return
        try:
            flow_class.process_class._default_manager.filter(pk=process_pk).select_for_update(
                nowait=self.nowait
            ).exists()
        except DatabaseError as exc:
            raise FlowLockFailed(f"Lock failed for {flow_class}") from exc
        yield


class DossierFlow(flow.Flow):
    """Every procedure's processing: stages of steps, possibly parallel, across agencies."""

    process_title = "Hồ sơ"
    process_description = "Giải quyết hồ sơ thủ tục hành chính theo các bước của thủ tục."
    # Without it a join can miss its last branch and stay stuck (pitfall 3).
    lock_impl = DossierLock()

    receive = DossierStart(this.begin).Next(this.route_stage)
    route_stage = (
        StageSplit()
        .Next(this.end, case=this.result_ready)
        .Next(this.wait_supplement, case=this.waiting_supplement)
        .Next(this.process_step, case=this.processing, data_source=this.stage_steps)
        .OnFanOut(this.open_dossier_tasks)
    )
    # Completed from code by workflows.services.task_complete, which enforces agency and role.
    process_step = StepHandle().Next(this.join_stage)
    join_stage = StageJoin().Next(this.route_stage)
    wait_supplement = StepHandle().Next(this.route_stage)
    end = DossierEnd()

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
