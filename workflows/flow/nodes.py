"""The viewflow node subclasses ``DossierFlow`` is drawn with.

They override viewflow 2.4.0's activations (its private API: ``create`` classmethods, the status
transitions, ``_branches``, split tokens, ``Task.previous``) to insert each task once, already in
its final state, with links written in one statement and no savepoint per node: registration and
a completion each cost a fixed, small number of queries (``tests/workflows/test_query_counts.py``).
``tests/workflows/test_flow_nodes.py`` pins the viewflow version and the private API relied on;
docs/viewflow.md says why each override exists.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any

from django.db import DatabaseError, connection
from django.utils.timezone import now
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.activation import Activation
from viewflow.workflow.exceptions import FlowLockFailed, FlowRuntimeError
from viewflow.workflow.models import Task
from viewflow.workflow.nodes.end import EndActivation
from viewflow.workflow.nodes.handle import HandleActivation
from viewflow.workflow.nodes.join import JoinActivation
from viewflow.workflow.nodes.split import SplitActivation
from viewflow.workflow.nodes.start import StartHandleActivation
from viewflow.workflow.signals import flow_finished, flow_started, task_finished, task_started
from viewflow.workflow.status import STATUS
from viewflow.workflow.token import Token

from core import inserts

from .transition import current, link


def _insert(tasks: list[Task]) -> None:
    """Insert new viewflow tasks in one statement (``core/inserts.py``)."""
    for task in tasks:
        task.flow_task_type = task.flow_task.task_type  # what Task.save() would set
    inserts.insert(tasks)


class StageSplitActivation(SplitActivation):
    """Adds one ``(node, item)`` per item of a branch's data source (docs/viewflow.md, note 5).

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
        _insert([prev_activation.task, task] if prev_activation.task.pk is None else [task])
        link(task, prev_activation.task)
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
    condition is evaluated twice per arrival, docs/viewflow.md, note 6). A stage cut short cancels the other
    open step tasks of the process: only the current stage has open step tasks. When the step was
    its stage's only one, no join task can be waiting: the join is inserted once, already done,
    without looking for one.
    """

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        transition = current(prev_activation)
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
            _insert([task])
        link(task, prev_activation.task)
        activation = cls(task)
        if task.status == STATUS.DONE:
            task_finished.send(sender=activation.flow_class, process=activation.process, task=task)
        return activation

    def is_done(self):
        return current(self).stage_done

    @Activation.status.transition(source=STATUS.NEW, target=STATUS.STARTED)
    @Activation.status.transition(source=STATUS.STARTED)
    def activate(self):
        if self.task.started is None:
            self.task.started = now()
            if not current(self).stage_done:
                self.task.save()  # waits for other branches; otherwise complete() saves it

    @Activation.status.transition(source=STATUS.STARTED, target=STATUS.DONE, conditions=[this.is_done])
    def complete(self):
        transition = current(self)
        if transition.cut_short:
            Task.objects.filter(
                process=self.process, flow_task=self.flow_class.process_step, status=STATUS.NEW
            ).update(status=STATUS.CANCELED, finished=transition.at)
        super(JoinActivation, self).complete.original()


class StageJoin(flow.Join):
    activation_class = StageJoinActivation


class DossierStartActivation(StartHandleActivation):
    """The stock start wraps itself in a savepoint and locks the process it has just inserted;
    the service's transaction already covers it (docs/viewflow.md, note 7) and no other transaction can see a
    row inserted in it, so neither is needed."""

    @Activation.status.transition(source=STATUS.NEW)
    def execute(self):
        if not connection.in_atomic_block:
            raise FlowRuntimeError("Start a dossier's process inside the service's transaction.")
        task_started.send(sender=self.flow_class, process=self.process, task=self.task)
        inserts.insert([self.process])
        self.complete()
        flow_started.send(sender=self.flow_class, process=self.process, task=self.task)
        self.activate_next()
        if self.task.pk is None:  # the next node is not the gateway that writes it
            _insert([self.task])

    @Activation.status.transition(source=STATUS.NEW, target=STATUS.DONE)
    def complete(self):
        """Done in memory: the routing gateway after it inserts this task with its own, in one
        statement (``StageSplitActivation.create``), instead of one INSERT each."""
        assert connection.in_atomic_block
        self.task.finished = now()
        task_finished.send(sender=self.flow_class, process=self.process, task=self.task)


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
            task.data = data if data is not None else {}
            task.seed = seed
            tasks.append(task)
        _insert(tasks)
        for task in tasks:
            link(task, prev_activation.task)
        return [cls(task) for task in tasks]

    @Activation.status.transition(source=STATUS.STARTED, target=STATUS.DONE)
    def complete(self):
        """As stock, but the UPDATE writes the four columns finishing a step changes (``run``
        set ``started``, the service the owner), not all twenty of viewflow's task."""
        assert connection.in_atomic_block
        self.task.finished = now()
        self.task.save(update_fields=["status", "started", "finished", "owner"])
        task_finished.send(sender=self.flow_class, process=self.process, task=self.task)


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
        _insert([task])
        link(task, prev_activation.task)
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
    """viewflow's ``select_for_update_lock`` (docs/viewflow.md, note 3) without a savepoint per transition.

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
            with connection.cursor() as cursor:
                cursor.execute(self._lock_sql(flow_class.process_class), [process_pk])
        except DatabaseError as exc:
            raise FlowLockFailed(f"Lock failed for {flow_class}") from exc
        yield

    def _lock_sql(self, process_class) -> str:
        """``SELECT … FOR UPDATE NOWAIT`` of the process row as a plain statement: the ORM would
        compile the same ``exists()`` query on every transition (about a millisecond of Python)."""
        quote, meta = connection.ops.quote_name, process_class._meta
        sql = f"SELECT 1 FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} = %s"
        if connection.features.has_select_for_update:
            sql += " " + connection.ops.for_update_sql(
                nowait=self.nowait and connection.features.has_select_for_update_nowait
            )
        return sql
