"""The dossier detail as a plain dict: exactly what ``serializers.DossierDetailOut`` gives of
``selectors.dossier_detail``'s dossier (a test compares them; the serializer stays the schema's
source of truth), without a field object per value of every task, event and pause."""

from __future__ import annotations

from workflows.models import EventAction

from .rows import choice_label, dossier_summary_row, iso, task_work


def _task(task) -> dict:
    return {"id": task.id, **task_work(task)}


def _event(event) -> dict:
    actor, step, agency = event.actor, event.step, event.agency
    return {
        "at": iso(event.at),
        "action": str(event.action),
        "action_label": choice_label(EventAction, event.action),
        "actor": None if actor is None else str(actor.username),
        "from_status": str(event.from_status),
        "to_status": str(event.to_status),
        "step": None if step is None else str(step.name),
        "agency": None if agency is None else str(agency.code),
        "due_at": iso(event.due_at),
        "verdict": str(event.verdict),
        "reason": str(event.reason),
    }


def _pause(pause) -> dict:
    return {
        "stage": pause.stage,
        "mode": str(pause.mode),
        "missing_documents": pause.missing_documents,
        "started_at": iso(pause.started_at),
        "ended_at": iso(pause.ended_at),
    }


def dossier_detail_row(dossier) -> dict:
    """The dossier with the tasks, events and pauses ``selectors.dossier_detail`` prefetched."""
    processing = dossier.processing_hours
    return {
        **dossier_summary_row(dossier),
        "original_due_at": iso(dossier.original_due_at),
        "documents": dossier.documents,
        "reasons": dossier.reasons,
        "current_stage": dossier.current_stage,
        "stage_count": dossier.stage_count,
        "version": dossier.version.number,
        "processing_hours": None if processing is None else float(processing),
        "paused_hours": float(dossier.paused_hours),
        "tasks": [_task(task) for task in dossier.tasks.all()],
        "events": [_event(event) for event in dossier.events.all()],
        "pauses": [_pause(pause) for pause in dossier.pauses.all()],
    }
