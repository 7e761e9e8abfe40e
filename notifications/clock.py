"""The one place the sweep asks the working-time calendar for an instant."""

import datetime as dt


def working_threshold(*, as_of: dt.datetime, working_hours: float) -> dt.datetime:
    """The instant ``working_hours`` of working time after ``as_of``.

    Anything due at or before it has less than that much working time left, so weekends and
    holidays (Tết) between now and the due time do not count against it.
    """
    from procedures.calendar import add_working_time
    from procedures.calendar_loader import get_calendar

    return add_working_time(as_of, working_hours, calendar=get_calendar())
