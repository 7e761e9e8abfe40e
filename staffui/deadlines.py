"""Deadline colours and the time left, as people read them: "còn 1 ngày 3 giờ", "quá hạn 2 giờ".

Pure functions: the caller passes the working hours left (from ``working_hours_between`` on the
office calendar) and the threshold; nothing here reads a clock or the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext, ngettext

from procedures.calendar import working_hours_between

OVERDUE = "overdue"
SOON = "soon"
NORMAL = "normal"
PAUSED = "paused"


def state_of(hours_left: float, *, soon_hours: float) -> str:
    """``overdue`` at or past the due time, ``soon`` within ``soon_hours`` working hours."""
    if hours_left <= 0:
        return OVERDUE
    if hours_left <= soon_hours:
        return SOON
    return NORMAL


def _parts(minutes: int, *, hours_per_day: float) -> str:
    day_minutes = round(hours_per_day * 60)
    days, rest = divmod(minutes, day_minutes)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if not days and not hours:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", mins) % {"n": mins})
    return " ".join(parts)


def format_time_left(hours_left: float, *, hours_per_day: float = 8.0) -> str:
    """The working time left (positive) or overdue (zero or negative), in working days of
    ``hours_per_day`` hours, hours, and minutes only under an hour; rounded down to the minute."""
    minutes = int(abs(hours_left) * 60 + 1e-6)
    text = _parts(minutes, hours_per_day=hours_per_day)
    if hours_left > 0:
        return gettext("%(time)s left") % {"time": text}
    return gettext("%(time)s overdue") % {"time": text}


@dataclass(frozen=True)
class Deadline:
    due_at: dt.datetime | None
    state: str
    text: str

    @property
    def css(self) -> str:
        return f"due-{self.state}"


def deadline_of(due: dt.datetime | None, *, now: dt.datetime, calendar, paused: bool = False) -> Deadline:
    """The colour and text of a row due at ``due``, as of ``now`` on ``calendar``."""
    if due is None:
        return Deadline(None, NORMAL, "")
    if paused:
        return Deadline(due, PAUSED, gettext("paused"))
    hours = working_hours_between(now, due, calendar=calendar)
    if due > now:
        # Due at the next opening (e.g. 07:00 seen at 18:00): no working time left, not yet late.
        hours = max(hours, 1e-9)
    else:
        hours = min(hours, 0.0)
    state = state_of(hours, soon_hours=settings.ONESTOP_DUE_SOON_HOURS)
    return Deadline(due, state, format_time_left(hours, hours_per_day=calendar.hours_per_day))
