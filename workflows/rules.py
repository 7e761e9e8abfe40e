"""The business rules of a dossier's life, as pure functions: no query, no clock, no settings.

The services apply them under the dossier's row lock; the selectors, the deadline sweep, the
staff notifications and the reports filter with the same conditions. The README's table of
business rules names the function here that holds each one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from procedures.calendar import WorkingCalendar, next_working_instant
from procedures.models import ProcedureVersion, SupplementMode

from . import deadlines
from .models import Decision, DossierStatus, EventAction, Result, Verdict

# --- the clock -----------------------------------------------------------------------------------

# The one status in which a dossier's clock runs: waiting for the applicant's supplement stops it
# (the appointment moves when the documents come back), a result or a withdrawal ends it.
CLOCK_RUNNING_STATUS = DossierStatus.PROCESSING


def clock_running(prefix: str = "") -> Q:
    """Dossiers whose clock is running, the only ones that can be overdue or due soon. ``prefix``
    reaches the dossier from another model (``"dossier__"`` from a task)."""
    return Q(**{f"{prefix}status": CLOCK_RUNNING_STATUS})


def pause_running_at(at: dt.datetime, prefix: str = "pauses__") -> Q:
    """A wait for a supplement that was under way at instant ``at`` (the clock stood still then):
    the historical form of :func:`clock_running`, for the reports."""
    return Q(**{f"{prefix}started_at__lt": at}) & (
        Q(**{f"{prefix}ended_at__isnull": True}) | Q(**{f"{prefix}ended_at__gte": at})
    )


def verdict(finished_at: dt.datetime, due: dt.datetime) -> str:
    """Early before the due date, on time on the due date (office clock), late after it."""
    finished_day = deadlines.office_date(finished_at)
    due_day = deadlines.office_date(due)
    if finished_day < due_day:
        return Verdict.EARLY
    if finished_day == due_day:
        return Verdict.ON_TIME
    return Verdict.LATE


def processing_hours(
    received_at: dt.datetime, finished_at: dt.datetime, paused_hours: float, *, calendar: WorkingCalendar
) -> float:
    """Working hours a dossier was processed, the waits for supplements left out."""
    return max(0.0, deadlines.hours_between(received_at, finished_at, calendar=calendar) - paused_hours)


# --- decisions -----------------------------------------------------------------------------------

DECISION_ACTIONS = {
    Decision.APPROVE: EventAction.APPROVED,
    Decision.SEND_BACK: EventAction.SENT_BACK,
    Decision.REQUEST_SUPPLEMENT: EventAction.SUPPLEMENT_REQUESTED,
    Decision.REFUSE: EventAction.REFUSED,
}


@dataclass(frozen=True)
class Outcome:
    """Where a decision on a step leaves the dossier."""

    status: str  # the dossier's status after the decision
    stage: int  # its stage pointer after the decision
    result: str = ""  # approved / refused when processing ends
    stage_done: bool = True  # False: other steps of the parallel stage are still open
    cut_short: bool = False  # the stage ends now: its other open steps are cancelled

    @property
    def finished(self) -> bool:
        return self.status == DossierStatus.RESULT_READY


def after_decision(decision: str, *, stage: int, stage_count: int, others_open: bool = False) -> Outcome:
    """The next stage after a decision on a step of ``stage`` (0-based, of ``stage_count``).

    ``approve`` waits for the stage's other open steps (``others_open``), then opens the next
    stage or ends processing approved; ``send_back`` goes to the previous stage; ``request_
    supplement`` stops the clock at the same stage; ``refuse`` ends processing refused. Every
    decision but ``approve`` cuts the stage short.
    """
    if decision == Decision.APPROVE:
        if others_open:
            return Outcome(DossierStatus.PROCESSING, stage, stage_done=False)
        if stage + 1 < stage_count:
            return Outcome(DossierStatus.PROCESSING, stage + 1)
        return Outcome(DossierStatus.RESULT_READY, stage, result=Result.APPROVED)
    if decision == Decision.SEND_BACK:
        if stage == 0:
            raise ValueError("The first stage has no previous stage to send back to.")
        return Outcome(DossierStatus.PROCESSING, stage - 1, cut_short=True)
    if decision == Decision.REQUEST_SUPPLEMENT:
        return Outcome(DossierStatus.WAITING_SUPPLEMENT, stage, cut_short=True)
    if decision == Decision.REFUSE:
        return Outcome(DossierStatus.RESULT_READY, stage, result=Result.REFUSED, cut_short=True)
    raise ValueError(f"Unknown decision {decision!r}")


# --- supplement and extension ----------------------------------------------------------------------


def due_after_supplement(
    *,
    mode: str,
    due_at: dt.datetime,
    paused_from: dt.datetime,
    returned_at: dt.datetime,
    version: ProcedureVersion,
    calendar: WorkingCalendar,
) -> tuple[dt.datetime, float]:
    """The new appointment when the supplement comes back, and the working hours waited.

    Mode ``pause``: the appointment moves by the working time spent waiting. Mode ``restart``: the
    committed duration counted again from the return.
    """
    waited = deadlines.hours_between(paused_from, returned_at, calendar=calendar)
    if mode == SupplementMode.RESTART:
        return deadlines.committed_due(returned_at, version, calendar=calendar), waited
    return deadlines.add_hours(due_at, waited, calendar=calendar), waited


def latest_extension(
    due_at: dt.datetime, version: ProcedureVersion, *, calendar: WorkingCalendar
) -> dt.datetime:
    """The furthest new appointment an apology may set: the legal duration from the current one."""
    return deadlines.legal_due(due_at, version, calendar=calendar)


def extension_last_day(due: dt.datetime, *, notice_days: int, calendar: WorkingCalendar) -> dt.date:
    """The last office day on which an apology letter may still move ``due``: ``notice_days``
    working days before the due day (the due day itself when the notice is 0)."""
    due_day = deadlines.office_date(due)
    if notice_days <= 0:
        return due_day
    day_start = next_working_instant(
        dt.datetime.combine(due_day, dt.time.min, tzinfo=deadlines.OFFICE_TZ), calendar=calendar
    )
    back = deadlines.add_hours(day_start, -notice_days * calendar.hours_per_day, calendar=calendar)
    return deadlines.office_date(next_working_instant(back, calendar=calendar))
