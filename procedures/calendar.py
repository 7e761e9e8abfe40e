"""The legal working-time clock: pure deadline arithmetic, no database and no clock inside.

A ``WorkingCalendar`` says which wall-clock periods of a day are working time (default 07:00–11:30
and 13:30–17:00, 8 hours), which weekdays work (Mon–Fri), and which dates deviate: ``days_off``
(public holidays, compensatory days, admin overrides) and ``extra_working_days`` (swapped working
Saturdays, admin overrides). ``procedures.calendar_loader.get_calendar()`` builds the real one.

Semantics, the same everywhere:

- Working time is measured on the office's wall clock in the calendar's time zone. Inputs may be
  in any time zone (they are converted); naive datetimes are refused. Results are aware, in the
  calendar's time zone.
- A start outside working periods (before opening, at lunch, after closing, on a day off) counts
  from the start of the next working period.
- ``add_working_time`` returns the *earliest* instant at which the requested working time has
  elapsed, so an addition ending exactly at a period's end stays there (11:30, not 13:30; 17:00,
  not 07:00 next day). Negative hours count backwards with the same rule. Zero hours gives
  ``next_working_instant(start)``.
- ``working_hours_between(a, b)`` is the working time in ``[a, b)``, negative when ``b < a``;
  ``working_hours_between(s, add_working_time(s, h)) == h`` (to the microsecond).
- ``due_at``: ``working_days`` = value × ``hours_per_day`` working hours; ``working_hours`` = value
  working hours; ``calendar_days`` = (start moved to the next working instant) + value days on the
  wall clock; if that date is not a working day the due time moves to the same time of day on the
  next working day, so a due time is always inside a working period.

Speed: no day-by-day walking. Working days before a date are counted with whole-week arithmetic
plus a bisect over the sorted dates that deviate from the weekly pattern; the inverse (the n-th
working day) is the same arithmetic run backwards. Every call is O(log number-of-special-dates).
All internal arithmetic is in integer microseconds, so round trips are exact.
"""

from __future__ import annotations

import bisect
import datetime
import zoneinfo
from dataclasses import dataclass, field
from functools import cached_property

__all__ = [
    "Duration",
    "WorkingCalendar",
    "add_working_time",
    "due_at",
    "next_working_instant",
    "working_hours_between",
]

US_PER_SECOND = 1_000_000
US_PER_HOUR = 3600 * US_PER_SECOND
US_PER_DAY = 24 * US_PER_HOUR

WORKING_DAYS = "working_days"
WORKING_HOURS = "working_hours"
CALENDAR_DAYS = "calendar_days"
UNITS = (WORKING_DAYS, WORKING_HOURS, CALENDAR_DAYS)


@dataclass(frozen=True)
class Duration:
    """A legal or committed duration; ``unit`` is one of ``procedures.models.DurationUnit``."""

    value: int
    unit: str

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"Unknown duration unit {self.unit!r}; expected one of {', '.join(UNITS)}.")


def _time_us(t: datetime.time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * US_PER_SECOND + t.microsecond


def _time_from_us(us: int) -> datetime.time:
    seconds, micro = divmod(us, US_PER_SECOND)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return datetime.time(hour, minute, second, micro)


@dataclass(frozen=True)
class _Tables:
    """Precomputed lookup tables; built once per calendar (see ``WorkingCalendar._t``)."""

    # (start_us, end_us, working_us_before_this_period) per period, in order.
    periods: tuple[tuple[int, int, int], ...]
    day_us: int
    per_week: int
    # prefix[r]: regular working days among ordinals 7q .. 7q+r-1 (ordinal 0 is a Sunday).
    prefix: tuple[int, ...]
    # residues[j]: residue (ordinal % 7) of the j-th regular working day of a week.
    residues: tuple[int, ...]
    regular: tuple[bool, ...]  # regular[ordinal % 7]
    # Dates that deviate from the weekly pattern, sorted ordinals, +1 (extra) or -1 (off).
    exc_ordinals: tuple[int, ...]
    exc_plus: tuple[bool, ...]
    # cum[j]: sum of the deviations of exceptions 0..j-1.
    cum: tuple[int, ...]
    # before[j]: working days before exception j, i.e. g(exc_ordinals[j]).
    before: tuple[int, ...]


@dataclass(frozen=True)
class WorkingCalendar:
    """Office hours and the dates that deviate from the weekly pattern.

    ``days_off`` and ``extra_working_days`` are expected to be disjoint (the loader folds admin
    overrides in); if a date is in both, ``extra_working_days`` wins.
    """

    tz: zoneinfo.ZoneInfo
    periods: tuple[tuple[datetime.time, datetime.time], ...]
    weekdays: frozenset[int]
    days_off: frozenset[datetime.date] = field(default_factory=frozenset)
    extra_working_days: frozenset[datetime.date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not self.periods:
            raise ValueError("A working calendar needs at least one working period.")
        previous_end = None
        for start, end in self.periods:
            if start.tzinfo is not None or end.tzinfo is not None:
                raise ValueError("Working periods are wall-clock times without a time zone.")
            if not start < end:
                raise ValueError(f"Working period {start}-{end} must end after it starts.")
            if previous_end is not None and start < previous_end:
                raise ValueError("Working periods must be in order and must not overlap.")
            previous_end = end
        if not self.weekdays or not set(self.weekdays) <= set(range(7)):
            raise ValueError("Working weekdays must be a non-empty subset of 0 (Monday) .. 6 (Sunday).")

    @property
    def hours_per_day(self) -> float:
        return self._t.day_us / US_PER_HOUR

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.extra_working_days:
            return True
        if day in self.days_off:
            return False
        return day.weekday() in self.weekdays

    @cached_property
    def _t(self) -> _Tables:
        periods = []
        total = 0
        for start, end in self.periods:
            s, e = _time_us(start), _time_us(end)
            periods.append((s, e, total))
            total += e - s
        # Ordinal 1 (0001-01-01) is a Monday, so ordinal n falls on weekday (n + 6) % 7.
        regular = tuple(((r + 6) % 7) in self.weekdays for r in range(7))
        prefix = [0]
        for r in range(7):
            prefix.append(prefix[-1] + regular[r])
        residues = tuple(r for r in range(7) if regular[r])
        deviations: dict[int, bool] = {}
        for day in self.days_off:
            if day.weekday() in self.weekdays and day not in self.extra_working_days:
                deviations[day.toordinal()] = False
        for day in self.extra_working_days:
            if day.weekday() not in self.weekdays:
                deviations[day.toordinal()] = True
        exc_ordinals = tuple(sorted(deviations))
        exc_plus = tuple(deviations[o] for o in exc_ordinals)
        cum = [0]
        for plus in exc_plus:
            cum.append(cum[-1] + (1 if plus else -1))
        per_week = len(residues)
        before = tuple((o // 7) * per_week + prefix[o % 7] + cum[j] for j, o in enumerate(exc_ordinals))
        return _Tables(
            periods=tuple(periods),
            day_us=total,
            per_week=per_week,
            prefix=tuple(prefix),
            residues=residues,
            regular=regular,
            exc_ordinals=exc_ordinals,
            exc_plus=exc_plus,
            cum=tuple(cum),
            before=before,
        )

    # --- day arithmetic on proleptic Gregorian ordinals -------------------------------------

    def _working_days_before(self, ordinal: int) -> int:
        """Working days among ordinals [0, ordinal)."""
        t = self._t
        j = bisect.bisect_left(t.exc_ordinals, ordinal)
        return (ordinal // 7) * t.per_week + t.prefix[ordinal % 7] + t.cum[j]

    def _is_working_ordinal(self, ordinal: int) -> bool:
        t = self._t
        j = bisect.bisect_left(t.exc_ordinals, ordinal)
        if j < len(t.exc_ordinals) and t.exc_ordinals[j] == ordinal:
            return t.exc_plus[j]
        return t.regular[ordinal % 7]

    def _nth_working_ordinal(self, n: int) -> int:
        """The ordinal of the working day with exactly ``n`` working days before it."""
        t = self._t
        j = bisect.bisect_right(t.before, n)
        if j and t.exc_plus[j - 1] and t.before[j - 1] == n:
            return t.exc_ordinals[j - 1]
        m = n - t.cum[j]
        return (m // t.per_week) * 7 + t.residues[m % t.per_week]

    # --- instants <-> (working days before the date, working microseconds into the day) ------

    def _position(self, when: datetime.datetime) -> tuple[int, int]:
        if when.tzinfo is None or when.utcoffset() is None:
            raise ValueError("Working-time arithmetic needs a timezone-aware datetime.")
        local = when.astimezone(self.tz)
        ordinal = local.toordinal()
        t = self._t
        # _working_days_before and _is_working_ordinal inlined: this is the hot path.
        j = bisect.bisect_left(t.exc_ordinals, ordinal)
        days = (ordinal // 7) * t.per_week + t.prefix[ordinal % 7] + t.cum[j]
        if j < len(t.exc_ordinals) and t.exc_ordinals[j] == ordinal:
            working = t.exc_plus[j]
        else:
            working = t.regular[ordinal % 7]
        if not working:
            return days, 0
        of_day = ((local.hour * 60 + local.minute) * 60 + local.second) * US_PER_SECOND + local.microsecond
        worked = 0
        for start, end, before in t.periods:
            if of_day < start:
                break
            worked = before + (min(of_day, end) - start)
        return days, worked

    def _instant(self, days: int, worked: int) -> datetime.datetime:
        """The earliest instant with ``days * day_us + worked`` working microseconds before it."""
        t = self._t
        q, rem = divmod(worked, t.day_us)
        days += q
        if rem == 0:
            days -= 1
            rem = t.day_us
        ordinal = self._nth_working_ordinal(days)
        for start, end, before in t.periods:
            if before + (end - start) >= rem:
                of_day = start + (rem - before)
                break
        day = datetime.date.fromordinal(ordinal)
        return datetime.datetime.combine(day, _time_from_us(of_day), tzinfo=self.tz)


def next_working_instant(t: datetime.datetime, *, calendar: WorkingCalendar) -> datetime.datetime:
    """``t`` itself if it is inside a working period (start included, end excluded), else the
    start of the next working period."""
    if t.tzinfo is None or t.utcoffset() is None:
        raise ValueError("Working-time arithmetic needs a timezone-aware datetime.")
    local = t.astimezone(calendar.tz)
    ordinal = local.toordinal()
    if calendar._is_working_ordinal(ordinal):
        of_day = ((local.hour * 60 + local.minute) * 60 + local.second) * US_PER_SECOND + local.microsecond
        for start, end, _before in calendar._t.periods:
            if of_day < end:
                if of_day >= start:
                    return local
                return datetime.datetime.combine(local.date(), _time_from_us(start), tzinfo=calendar.tz)
    nxt = calendar._nth_working_ordinal(calendar._working_days_before(ordinal + 1))
    first = calendar._t.periods[0][0]
    return datetime.datetime.combine(datetime.date.fromordinal(nxt), _time_from_us(first), tzinfo=calendar.tz)


def add_working_time(
    start: datetime.datetime, hours: float, *, calendar: WorkingCalendar
) -> datetime.datetime:
    """The earliest instant at which ``hours`` working hours have elapsed since ``start``."""
    delta = round(hours * US_PER_HOUR)
    if delta == 0:
        return next_working_instant(start, calendar=calendar)
    days, worked = calendar._position(start)
    return calendar._instant(days, worked + delta)


def working_hours_between(a: datetime.datetime, b: datetime.datetime, *, calendar: WorkingCalendar) -> float:
    """Working hours in ``[a, b)``; negative when ``b`` is before ``a``."""
    days_a, worked_a = calendar._position(a)
    days_b, worked_b = calendar._position(b)
    return ((days_b - days_a) * calendar._t.day_us + (worked_b - worked_a)) / US_PER_HOUR


def due_at(start: datetime.datetime, duration: Duration, *, calendar: WorkingCalendar) -> datetime.datetime:
    """The due time of ``duration`` counted from ``start`` (see the module docstring)."""
    if duration.unit == WORKING_DAYS:
        return add_working_time(start, duration.value * calendar.hours_per_day, calendar=calendar)
    if duration.unit == WORKING_HOURS:
        return add_working_time(start, duration.value, calendar=calendar)
    if duration.unit == CALENDAR_DAYS:
        begin = next_working_instant(start, calendar=calendar)
        target = begin.date() + datetime.timedelta(days=duration.value)
        ordinal = target.toordinal()
        if not calendar._is_working_ordinal(ordinal):
            ordinal = calendar._nth_working_ordinal(calendar._working_days_before(ordinal))
        return datetime.datetime.combine(
            datetime.date.fromordinal(ordinal), begin.timetz().replace(tzinfo=None), tzinfo=calendar.tz
        )
    raise ValueError(f"Unknown duration unit {duration.unit!r}.")
