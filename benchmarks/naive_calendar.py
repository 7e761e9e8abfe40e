"""The straightforward working-time clock: walk the days one by one.

The benchmark's baseline and the property tests' reference for ``procedures.calendar``; it needs
no precomputation and is obviously right, so the fast version is checked against it.
"""

import datetime as dt

from procedures.calendar import Duration, WorkingCalendar

US_PER_HOUR = 3_600_000_000


def _segments(day: dt.date, calendar: WorkingCalendar):
    if calendar.is_working_day(day):
        for start, end in calendar.periods:
            yield (
                dt.datetime.combine(day, start, tzinfo=calendar.tz),
                dt.datetime.combine(day, end, tzinfo=calendar.tz),
            )


def naive_add(start: dt.datetime, hours: float, calendar: WorkingCalendar) -> dt.datetime:
    remaining = dt.timedelta(microseconds=round(hours * US_PER_HOUR))
    local = start.astimezone(calendar.tz)
    day = local.date()
    while True:
        for begin, end in _segments(day, calendar):
            begin = max(begin, local)
            if begin < end:
                if remaining <= end - begin:
                    return begin + remaining
                remaining -= end - begin
        day += dt.timedelta(days=1)


def naive_between(a: dt.datetime, b: dt.datetime, calendar: WorkingCalendar) -> float:
    a, b = a.astimezone(calendar.tz), b.astimezone(calendar.tz)
    total = dt.timedelta()
    day = a.date()
    while day <= b.date():
        for begin, end in _segments(day, calendar):
            overlap = min(end, b) - max(begin, a)
            if overlap > dt.timedelta():
                total += overlap
        day += dt.timedelta(days=1)
    return total / dt.timedelta(hours=1)


def naive_due(start: dt.datetime, duration: Duration, calendar: WorkingCalendar) -> dt.datetime:
    if duration.unit == "calendar_days":
        begin = _naive_next(start, calendar)
        day = begin.date() + dt.timedelta(days=duration.value)
        while not calendar.is_working_day(day):
            day += dt.timedelta(days=1)
        return dt.datetime.combine(day, begin.time(), tzinfo=calendar.tz)
    hours = duration.value * (calendar.hours_per_day if duration.unit == "working_days" else 1)
    return naive_add(start, hours, calendar)


def _naive_next(start: dt.datetime, calendar: WorkingCalendar) -> dt.datetime:
    local = start.astimezone(calendar.tz)
    day = local.date()
    while True:
        for begin, end in _segments(day, calendar):
            if local < end:
                return max(begin, local)
        day += dt.timedelta(days=1)
