"""The one flow that runs every procedure's steps, drawn as the process diagram.

A province configures over a thousand procedures, so there is no flow class per procedure: the
process interprets the steps of the procedure version the dossier was received under. The dossier
(``Dossier.process``) is the process data and keeps the stage pointer (``Dossier.current_stage``)::

    receive ──► what_next ══► process_step × (steps of the stage) ══► all_steps_decided ─┐
                  ▲   │ ▲                                                                │
                  │   │ └─────────── next stage / previous stage (send back) ◄───────────┘
                  │   ├──► wait_for_supplement ──┐   (status waiting_supplement)
                  │   └──► result_ready          │   (approved or refused: the process ends)
                  └──────────────────────────────┘

``what_next`` is both the routing gateway and the fan-out: it reads the dossier's status and
stage pointer and opens one ``process_step`` task per step of the stage, or goes to the wait for a
supplement or the end. ``all_steps_decided`` waits for the stage's parallel steps.

Business rules (who may act, what a decision does to the stage pointer and the status, deadlines)
live in ``workflows.rules`` and ``workflows.services``: the service sets the dossier's state, then
drives the flow (``workflows.services._driving``) with a ``Transition`` (``workflows.flow.transition``),
and the gateways only read that state. The node classes are in ``workflows.flow.nodes``; deadlines
are our own ``DossierTask.due_at`` columns, not viewflow timers (docs/viewflow.md).
"""

from __future__ import annotations

from typing import Any

from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.models import Process

from .flow import transition
from .flow.nodes import DossierEnd, DossierLock, DossierStart, StageJoin, StageSplit, StepHandle
from .models import DossierStatus


class DossierFlow(flow.Flow):
    """Every procedure's processing: stages of steps, possibly parallel, across agencies."""

    process_title = "Hồ sơ"
    process_description = "Giải quyết hồ sơ thủ tục hành chính theo các bước của thủ tục."
    # Without it a join can miss its last branch and stay stuck (docs/viewflow.md, note 3).
    lock_impl = DossierLock()

    receive = DossierStart(this.begin).Next(this.what_next)
    what_next = (
        StageSplit()
        .Next(this.result_ready, case=this.is_result_ready)
        .Next(this.wait_for_supplement, case=this.is_waiting_for_supplement)
        .Next(this.process_step, case=this.is_processing, data_source=this.steps_of_stage)
        .OnFanOut(this.open_dossier_tasks)
    )
    # Completed from code by workflows.services.task_complete, which enforces agency and role.
    process_step = StepHandle().Next(this.all_steps_decided)
    all_steps_decided = StageJoin().Next(this.what_next)
    wait_for_supplement = StepHandle().Next(this.what_next)
    result_ready = DossierEnd()

    def begin(self, activation: Activation) -> Process:
        return activation.process

    def steps_of_stage(self, activation: Activation) -> list[dict[str, Any]]:
        return transition.steps_of_stage(transition.current(activation))

    def open_dossier_tasks(self, activation: Activation, activations: list[Activation]) -> None:
        step_tasks = [a.task for a in activations if a.task.flow_task == self.process_step]
        transition.open_dossier_tasks(transition.current(activation), step_tasks)

    def is_result_ready(self, activation: Activation) -> bool:
        return transition.current(activation).dossier.status == DossierStatus.RESULT_READY

    def is_waiting_for_supplement(self, activation: Activation) -> bool:
        return transition.current(activation).dossier.status == DossierStatus.WAITING_SUPPLEMENT

    def is_processing(self, activation: Activation) -> bool:
        return transition.current(activation).dossier.status == DossierStatus.PROCESSING
