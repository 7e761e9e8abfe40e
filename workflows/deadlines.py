"""Deadline arithmetic for dossiers and tasks, on the working-time calendar only.

Every due time and working-hour figure the workflow stores goes through these helpers, which use
``procedures.calendar`` (pure functions) with the office calendar from ``get_calendar()``.
"""

import datetime as dt
import zoneinfo

from django.conf import settings

from procedures.calendar import Duration, WorkingCalendar, add_working_time, due_at, working_hours_between
from procedures.calendar_loader import get_calendar
from procedures.models import ProcedureVersion

OFFICE_TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)


def calendar() -> WorkingCalendar:
    return get_calendar()


def committed_due(start: dt.datetime, version: ProcedureVersion, *, calendar: WorkingCalendar) -> dt.datetime:
    """The appointment date: the committed (cut) duration counted from ``start``."""
    duration = Duration(version.committed_duration_value, version.committed_duration_unit)
    return due_at(start, duration, calendar=calendar)


def legal_due(start: dt.datetime, version: ProcedureVersion, *, calendar: WorkingCalendar) -> dt.datetime:
    """The legal duration counted from ``start``: the latest new appointment an apology may set."""
    duration = Duration(version.legal_duration_value, version.legal_duration_unit)
    return due_at(start, duration, calendar=calendar)


def add_hours(start: dt.datetime, hours: float, *, calendar: WorkingCalendar) -> dt.datetime:
    return add_working_time(start, hours, calendar=calendar)


def hours_between(a: dt.datetime, b: dt.datetime, *, calendar: WorkingCalendar) -> float:
    """Working hours from ``a`` to ``b``, never negative."""
    return max(0.0, working_hours_between(a, b, calendar=calendar))


def office_date(when: dt.datetime) -> dt.date:
    return when.astimezone(OFFICE_TZ).date()
