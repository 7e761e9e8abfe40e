"""The four ways the services drive ``DossierFlow``: start, finish a step, resume, cancel.

Each runs inside the service's transaction, which already holds the dossier row lock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from ..flow.transition import Transition, driving
from ..flows import DossierFlow

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def start(transition: Transition) -> Process:
    """Start the dossier's process; the caller's transaction covers it (docs/viewflow.md, note 7)."""
    with driving(transition):
        return DossierFlow.receive.run()


def complete_step(flow_task: Task, *, transition: Transition, owner: AbstractBaseUser) -> None:
    """Finish one ``process_step`` task and let the flow go on (join, gateway, next stage)."""
    process = flow_task.process
    with driving(transition), DossierFlow.lock(process.pk):
        activation = flow_task.flow_task.activation_class(flow_task)
        activation.run(None)
        flow_task.owner = owner
        activation.execute()


def resume_after_supplement(process: Process, *, transition: Transition) -> None:
    """Leave ``wait_for_supplement``: the gateway opens the same stage again."""
    with driving(transition), DossierFlow.lock(process.pk):
        task = Task.objects.select_related("process").get(
            process=process, flow_task=DossierFlow.wait_for_supplement, status=STATUS.NEW
        )
        task.process = process
        activation = task.flow_task.activation_class(task)
        activation.run(None)
        activation.execute()


def cancel(process: Process) -> None:
    """Cancel every open task and the process (withdrawal)."""
    DossierFlow.instance.cancel(process)
