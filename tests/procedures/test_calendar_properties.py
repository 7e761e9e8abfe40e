"""Properties of the working-time clock, on the real calendar and on random calendars.

The random-calendar tests compare the O(log n) arithmetic with a plain day-by-day walk
(``benchmarks/naive_calendar.py``, also the benchmark's baseline), so any shortcut in the fast
path that miscounts a week, a swapped day or a period boundary shows up as a counterexample.
No deadlines: timings never decide a test (see benchmarks/).
"""

import datetime as dt
import functools
import zoneinfo

from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.naive_calendar import naive_add, naive_between
from procedures.calendar import (
    Duration,
    WorkingCalendar,
    add_working_time,
    due_at,
    next_working_instant,
    working_hours_between,
)
from procedures.calendar_loader import build_calendar

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


@functools.cache
def real_calendar() -> WorkingCalendar:
    return build_calendar(overrides={})


starts = st.datetimes(
    min_value=dt.datetime(2025, 1, 1),
    max_value=dt.datetime(2028, 12, 31),
    timezones=st.sampled_from([VN, dt.UTC, zoneinfo.ZoneInfo("Europe/Paris")]),
)
# Whole minutes up to two years of working time: exact in microseconds, so round trips are exact.
hours = st.integers(min_value=1, max_value=60 * 8 * 500).map(lambda minutes: minutes / 60)


def inside_working_time(when: dt.datetime, calendar: WorkingCalendar) -> bool:
    """On a working day, within a period; a period's end counts (that is where additions stop)."""
    local = when.astimezone(calendar.tz)
    clock = local.time()
    return calendar.is_working_day(local.date()) and any(
        start <= clock <= end for start, end in calendar.periods
    )


@settings(deadline=None)
@given(start=starts, h=hours)
def test_adding_then_counting_back_gives_the_same_hours(start, h):
    cal = real_calendar()
    assert working_hours_between(start, add_working_time(start, h, calendar=cal), calendar=cal) == h


@settings(deadline=None)
@given(start=starts, h=hours)
def test_subtracting_undoes_adding(start, h):
    cal = real_calendar()
    due = add_working_time(start, h, calendar=cal)
    back = add_working_time(due, -h, calendar=cal)
    assert working_hours_between(back, start, calendar=cal) == 0
    assert back <= next_working_instant(start, calendar=cal)


@settings(deadline=None)
@given(start=starts, h=hours)
def test_due_times_fall_inside_working_periods_on_the_office_clock(start, h):
    cal = real_calendar()
    due = add_working_time(start, h, calendar=cal)
    assert due.tzinfo == VN
    assert due > start
    assert inside_working_time(due, cal)


@settings(deadline=None)
@given(start=starts, value=st.integers(1, 400), unit=st.sampled_from(["working_days", "calendar_days"]))
def test_due_at_falls_inside_working_time(start, value, unit):
    cal = real_calendar()
    due = due_at(start, Duration(value, unit), calendar=cal)
    assert inside_working_time(due, cal)
    # Calendar days are counted on the office's wall clock, not on the caller's.
    assert due >= start.astimezone(VN) + dt.timedelta(days=value if unit == "calendar_days" else 0)


@settings(deadline=None)
@given(start=starts, h1=hours, h2=hours)
def test_more_hours_never_end_earlier(start, h1, h2):
    cal = real_calendar()
    low, high = sorted((h1, h2))
    assert add_working_time(start, low, calendar=cal) <= add_working_time(start, high, calendar=cal)


@settings(deadline=None)
@given(a=starts, b=starts, h=hours)
def test_a_later_start_never_ends_earlier(a, b, h):
    cal = real_calendar()
    early, late = sorted((a, b))
    assert add_working_time(early, h, calendar=cal) <= add_working_time(late, h, calendar=cal)


@settings(deadline=None)
@given(a=starts, b=starts, c=starts)
def test_counting_is_antisymmetric_and_additive(a, b, c):
    cal = real_calendar()
    ab = working_hours_between(a, b, calendar=cal)
    assert ab == -working_hours_between(b, a, calendar=cal)
    total = ab + working_hours_between(b, c, calendar=cal)
    assert abs(total - working_hours_between(a, c, calendar=cal)) < 1e-6


# --- random calendars against a day-by-day walk -------------------------------------------------


def _minutes_to_time(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)


@st.composite
def calendars(draw) -> WorkingCalendar:
    bounds = sorted(draw(st.sets(st.integers(0, 24 * 60 - 1), min_size=2, max_size=6)))
    pairs = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds) - 1, 2)]
    some_days = st.dates(min_value=dt.date(2025, 12, 1), max_value=dt.date(2027, 3, 1))
    days_off = draw(st.frozensets(some_days, max_size=40))
    extra = draw(st.frozensets(some_days, max_size=10)) - days_off
    return WorkingCalendar(
        tz=VN,
        periods=tuple((_minutes_to_time(s), _minutes_to_time(e)) for s, e in pairs),
        weekdays=frozenset(draw(st.sets(st.integers(0, 6), min_size=1))),
        days_off=days_off,
        extra_working_days=extra,
    )


narrow_starts = st.datetimes(
    min_value=dt.datetime(2025, 12, 1), max_value=dt.datetime(2027, 3, 1), timezones=st.just(VN)
)


@settings(max_examples=300, deadline=None)
@given(calendar=calendars(), start=narrow_starts, minutes=st.integers(1, 60 * 24 * 120))
def test_fast_addition_matches_a_day_by_day_walk(calendar, start, minutes):
    assert add_working_time(start, minutes / 60, calendar=calendar) == naive_add(
        start, minutes / 60, calendar
    )


@settings(max_examples=300, deadline=None)
@given(calendar=calendars(), a=narrow_starts, b=narrow_starts)
def test_fast_counting_matches_a_day_by_day_walk(calendar, a, b):
    a, b = sorted((a, b))
    fast = working_hours_between(a, b, calendar=calendar)
    assert abs(fast - naive_between(a, b, calendar)) < 1e-9
