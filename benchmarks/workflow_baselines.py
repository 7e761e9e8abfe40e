"""The baselines of ``bench_workflow.py``: one transaction writing the same rows as a
registration, and as a completion, each table with one plain ORM statement and no business logic
(the floor any implementation writing these rows pays). Imported after ``django.setup()``."""

from __future__ import annotations

import time

from django.db import transaction
from django.utils import timezone

APPLICANT = {"name": "Nguyễn Văn An", "id_number": "001090012345", "phone": "0912345678"}

_baseline_contexts: dict[int, tuple] = {}


def _baseline_context(procedure_pk):
    """The baseline's procedure and steps, read once (the services cache a version's steps too)."""
    from procedures.models import Procedure, Step

    if procedure_pk not in _baseline_contexts:
        procedure = Procedure.objects.select_related("current_version", "receiving_agency").get(
            pk=procedure_pk
        )
        steps = list(Step.objects.filter(version=procedure.current_version).order_by("order"))
        _baseline_contexts[procedure_pk] = procedure, steps
    return _baseline_contexts[procedure_pk]


def op_baseline_register(procedure_pk, n):
    """The rows of a registration, written plainly (see the module's docstring)."""
    from viewflow.workflow.models import Process, Task

    from notifications.models import Notification
    from workflows.flows import DossierFlow
    from workflows.models import Dossier, DossierEvent, DossierTask
    from workflows.services.intake import _next_sequence

    procedure, steps = _baseline_context(procedure_pk)
    Link = Task.previous.through
    latencies = []
    for _ in range(n):
        started = time.perf_counter()
        now = timezone.now()
        with transaction.atomic():
            number = _next_sequence(procedure.receiving_agency_id, now.date())
            process = Process.objects.create(flow_class=DossierFlow, status="STARTED", created=now)
            start, split, step = Task.objects.bulk_create(
                [
                    Task(process=process, flow_task=node, flow_task_type=node.task_type, status=status)
                    for node, status in (
                        (DossierFlow.receive, "DONE"),
                        (DossierFlow.what_next, "DONE"),
                        (DossierFlow.process_step, "NEW"),
                    )
                ]
            )
            Link.objects.bulk_create(
                [
                    Link(from_task_id=split.pk, to_task_id=start.pk),
                    Link(from_task_id=step.pk, to_task_id=split.pk),
                ]
            )
            dossier = Dossier.objects.create(
                code=f"BASE-{procedure.receiving_agency.code}-{now:%y%m%d}-{number:04d}",
                procedure=procedure,
                version=procedure.current_version,
                receiving_agency=procedure.receiving_agency,
                process=process,
                applicant_name=APPLICANT["name"],
                applicant_id_number=APPLICANT["id_number"],
                applicant_phone=APPLICANT["phone"],
                channel="online",
                status="processing",
                stage_count=2,
                received_at=now,
                due_at=now,
                original_due_at=now,
                lookup_key_hash="0" * 64,
            )
            task = DossierTask.objects.create(
                dossier=dossier,
                flow_task=step,
                step=steps[0],
                stage=0,
                agency_id=steps[0].agency_id,
                role=steps[0].role,
                created_at=now,
                due_at=now,
            )
            DossierEvent.objects.create(
                dossier=dossier, at=now, action="registered", to_status="processing", task=task, data={}
            )
            Notification.objects.create(
                kind="received",
                channel="sms",
                address=APPLICANT["phone"],
                recipient_key=f"addr:{APPLICANT['phone']}",
                dossier=dossier,
                dedupe_key=f"dossier:{dossier.pk}:received",
                payload={"dossier_code": dossier.code},
                created_at=now,
                next_attempt_at=now,
            )
        latencies.append(time.perf_counter() - started)
    return latencies


def op_baseline_complete(procedure_pk, rows):
    """The rows of a completion that opens the next stage, written plainly."""
    from viewflow.workflow.models import Task

    from workflows.flows import DossierFlow
    from workflows.models import Dossier, DossierEvent, DossierTask

    procedure, steps = _baseline_context(procedure_pk)
    Link = Task.previous.through
    latencies = []
    for task_pk, dossier_pk, flow_task_pk, process_pk in rows:
        started = time.perf_counter()
        now = timezone.now()
        with transaction.atomic():
            DossierTask.objects.filter(pk=task_pk).update(status="done", finished_at=now, decision="approve")
            Task.objects.filter(pk=flow_task_pk).update(status="DONE", started=now, finished=now)
            join, split, step = Task.objects.bulk_create(
                [
                    Task(process_id=process_pk, flow_task=node, flow_task_type=node.task_type, status=status)
                    for node, status in (
                        (DossierFlow.all_steps_decided, "DONE"),
                        (DossierFlow.what_next, "DONE"),
                        (DossierFlow.process_step, "NEW"),
                    )
                ]
            )
            Link.objects.bulk_create(
                [
                    Link(from_task_id=join.pk, to_task_id=flow_task_pk),
                    Link(from_task_id=split.pk, to_task_id=join.pk),
                    Link(from_task_id=step.pk, to_task_id=split.pk),
                ]
            )
            DossierTask.objects.create(
                dossier_id=dossier_pk,
                flow_task=step,
                step=steps[1],
                stage=1,
                agency_id=steps[1].agency_id,
                role=steps[1].role,
                created_at=now,
                due_at=now,
            )
            Dossier.objects.filter(pk=dossier_pk).update(current_stage=1, updated_at=now)
            DossierEvent.objects.create(
                dossier_id=dossier_pk,
                at=now,
                action="approved",
                to_status="processing",
                task_id=task_pk,
                data={},
            )
        latencies.append(time.perf_counter() - started)
    return latencies


def open_baseline_rows(procedure_pk):
    from workflows.models import DossierTask

    return list(
        DossierTask.objects.filter(dossier__procedure_id=procedure_pk, status="open", stage=0)
        .order_by("id")
        .values_list("pk", "dossier_id", "flow_task_id", "flow_task__process_id")
    )
