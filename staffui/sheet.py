"""The process control sheet (phiếu kiểm soát quá trình): one row per hand-off of the dossier.

Built from the dossier's prefetched tasks and events (no query): the desk receives it, each step
receives it from the previous one and hands it over, and the desk hands the result back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from workflows.models import Decision, EventAction, TaskStatus, Verdict


@dataclass
class SheetRow:
    agency: str
    what: str
    received_at: dt.datetime | None
    handed_over_at: dt.datetime | None
    who: str
    outcome: str
    verdict: str
    verdict_code: str = ""


def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def control_sheet(dossier) -> list[SheetRow]:
    tasks = list(dossier.tasks.all())
    events = list(dossier.events.all())
    first_handoff = tasks[0].created_at if tasks else None
    rows = [
        SheetRow(
            agency=dossier.receiving_agency.name,
            what=_("Reception desk"),
            received_at=dossier.received_at,
            handed_over_at=first_handoff,
            who=_name(dossier.created_by),
            outcome=str(EventAction(events[0].action).label) if events else "",
            verdict="",
        )
    ]
    for task in tasks:
        outcome = str(Decision(task.decision).label) if task.decision in Decision.values else ""
        if task.status == TaskStatus.CANCELLED:
            outcome = str(TaskStatus.CANCELLED.label)
        elif task.status == TaskStatus.OPEN:
            outcome = str(TaskStatus.OPEN.label)
        rows.append(
            SheetRow(
                agency=task.agency.name,
                what=task.step.name,
                received_at=task.created_at,
                handed_over_at=task.finished_at,
                who=_name(task.owner),
                outcome=outcome,
                verdict=str(Verdict(task.verdict).label) if task.verdict in Verdict.values else "",
                verdict_code=task.verdict,
            )
        )
    returned = [event for event in events if event.action == EventAction.RESULT_RETURNED]
    if returned:
        rows.append(
            SheetRow(
                agency=dossier.receiving_agency.name,
                what=_("Result handed back"),
                received_at=dossier.finished_at,
                handed_over_at=returned[-1].at,
                who=_name(returned[-1].actor),
                outcome=str(EventAction.RESULT_RETURNED.label),
                verdict=str(Verdict(dossier.verdict).label) if dossier.verdict in Verdict.values else "",
                verdict_code=dossier.verdict,
            )
        )
    return rows
