"""Builds the office's ``WorkingCalendar`` from settings, the `holidays` package and admin overrides.

Sources, weakest first:

1. ``ONESTOP_WORKING_PERIODS`` / ``ONESTOP_WORKING_WEEKDAYS`` / ``ONESTOP_WORKING_TIME_ZONE``:
   the weekly pattern.
2. The `holidays` package for Vietnam over ``ONESTOP_HOLIDAY_YEARS``: public holidays and
   compensatory days become days off; its ``weekend_workdays`` (swapped Saturdays) become working.
3. ``procedures.CalendarOverride`` rows: an admin's day off or working day wins over the package.

The calendar is cached per process. A process re-reads the overrides when the shared version
token in Django's cache changes (checked at most every ``ONESTOP_CALENDAR_CHECK_SECONDS``) and in
any case after ``ONESTOP_CALENDAR_MAX_AGE_SECONDS``, which also covers a process-local cache
backend and bulk writes that send no signals. While the cache is unreachable a process keeps its
copy (and rebuilds it from the database after the maximum age); see ``core.outage``. Saving or
deleting an override through the ORM calls ``invalidate_calendar()`` once the transaction
commits; call it yourself after a bulk update.
"""

from __future__ import annotations

import datetime
import functools
import logging
import threading
import time
import uuid
import zoneinfo
from dataclasses import dataclass

import holidays
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from core.outage import CACHE_ERRORS, cache_breaker
from procedures.calendar import WorkingCalendar

VERSION_KEY = "onestop:calendar:version"
UNREACHABLE = object()  # the version token while the cache is down

logger = logging.getLogger(__name__)


def parse_periods(text: str) -> tuple[tuple[datetime.time, datetime.time], ...]:
    """``"07:00-11:30,13:30-17:00"`` → ((07:00, 11:30), (13:30, 17:00))."""
    periods = []
    for chunk in text.split(","):
        try:
            start, end = (datetime.time.fromisoformat(part.strip()) for part in chunk.split("-"))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"ONESTOP_WORKING_PERIODS: {chunk!r} is not a period like 07:00-11:30."
            ) from exc
        periods.append((start, end))
    return tuple(periods)


def parse_weekdays(text: str) -> frozenset[int]:
    """``"0,1,2,3,4"`` (0 = Monday) → frozenset({0, 1, 2, 3, 4})."""
    try:
        days = frozenset(int(part) for part in text.split(",") if part.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"ONESTOP_WORKING_WEEKDAYS: {text!r} is not a list like 0,1,2,3,4."
        ) from exc
    return days


def parse_years(text: str) -> range:
    """``"2000-2060"`` → range(2000, 2061)."""
    try:
        first, last = (int(part) for part in text.split("-"))
    except ValueError as exc:
        raise ImproperlyConfigured(f"ONESTOP_HOLIDAY_YEARS: {text!r} is not a range like 2000-2060.") from exc
    if last < first:
        raise ImproperlyConfigured(f"ONESTOP_HOLIDAY_YEARS: {text!r} ends before it starts.")
    return range(first, last + 1)


@dataclass(frozen=True)
class _Base:
    tz: zoneinfo.ZoneInfo
    periods: tuple[tuple[datetime.time, datetime.time], ...]
    weekdays: frozenset[int]
    days_off: frozenset[datetime.date]
    extra_working_days: frozenset[datetime.date]


@functools.lru_cache(maxsize=4)
def _base(periods: str, weekdays: str, time_zone: str, years: str) -> _Base:
    """Everything but the overrides; depends on settings only, so it is computed once."""
    try:
        tz = zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ImproperlyConfigured(f"ONESTOP_WORKING_TIME_ZONE: unknown time zone {time_zone!r}.") from exc
    package = holidays.country_holidays("VN", years=parse_years(years))
    return _Base(
        tz=tz,
        periods=parse_periods(periods),
        weekdays=parse_weekdays(weekdays),
        days_off=frozenset(package),
        extra_working_days=frozenset(package.weekend_workdays),
    )


def build_calendar(*, overrides: dict[datetime.date, bool]) -> WorkingCalendar:
    """The calendar from settings and the package, with ``overrides`` (date → is working) on top."""
    base = _base(
        settings.ONESTOP_WORKING_PERIODS,
        settings.ONESTOP_WORKING_WEEKDAYS,
        settings.ONESTOP_WORKING_TIME_ZONE,
        settings.ONESTOP_HOLIDAY_YEARS,
    )
    working = {day for day, is_working in overrides.items() if is_working}
    off = {day for day, is_working in overrides.items() if not is_working}
    try:
        calendar = WorkingCalendar(
            tz=base.tz,
            periods=base.periods,
            weekdays=base.weekdays,
            days_off=(base.days_off - working) | off,
            extra_working_days=(base.extra_working_days - off) | working,
        )
    except ValueError as exc:
        raise ImproperlyConfigured(f"Working-time calendar settings: {exc}") from exc
    calendar.hours_per_day  # noqa: B018 - build the lookup tables now, not on the first request
    return calendar


@dataclass
class _Snapshot:
    calendar: WorkingCalendar
    version: object
    built_at: float
    checked_at: float


_snapshot: _Snapshot | None = None
_lock = threading.Lock()


def _load_overrides() -> dict[datetime.date, bool]:
    from procedures.models import CalendarOverride

    return dict(CalendarOverride.objects.values_list("date", "is_working_day"))


def get_calendar() -> WorkingCalendar:
    """The office calendar, rebuilt only when an override changed (see the module docstring)."""
    global _snapshot
    now = time.monotonic()
    snapshot = _snapshot
    if snapshot is not None and now - snapshot.checked_at < settings.ONESTOP_CALENDAR_CHECK_SECONDS:
        return snapshot.calendar
    version = _shared_version()
    fresh = snapshot is not None and now - snapshot.built_at < settings.ONESTOP_CALENDAR_MAX_AGE_SECONDS
    if fresh and (version == snapshot.version or version is UNREACHABLE):
        # Cache down: keep this process's copy (rebuilt from the database once it is too old).
        snapshot.checked_at = now
        return snapshot.calendar
    with _lock:
        calendar = build_calendar(overrides=_load_overrides())
        _snapshot = _Snapshot(calendar=calendar, version=version, built_at=now, checked_at=now)
    return calendar


def _shared_version() -> object:
    """The version token in the shared cache, or ``UNREACHABLE`` while the cache is down."""
    if not cache_breaker.available():
        return UNREACHABLE
    try:
        version = cache.get(VERSION_KEY)
    except CACHE_ERRORS as exc:
        cache_breaker.failed(exc)
        return UNREACHABLE
    cache_breaker.succeeded()
    return version


def forget_local_calendar() -> None:
    """Drop this process's copy only (tests use it so no calendar leaks from one test to another)."""
    global _snapshot
    _snapshot = None


def invalidate_calendar() -> None:
    """Forget this process's calendar and tell the other processes to rebuild theirs."""
    forget_local_calendar()
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except CACHE_ERRORS as exc:
        cache_breaker.failed(exc)
        logger.warning(
            "Calendar changed while the cache is unreachable: other processes rebuild theirs within "
            "ONESTOP_CALENDAR_MAX_AGE_SECONDS (%ss).",
            settings.ONESTOP_CALENDAR_MAX_AGE_SECONDS,
        )


def _override_changed(*, using: str | None = None, **kwargs) -> None:
    transaction.on_commit(invalidate_calendar, using=using)


def connect_signals() -> None:
    """Called from ``ProceduresConfig.ready``."""
    post_save.connect(_override_changed, sender="procedures.CalendarOverride", dispatch_uid="calendar-save")
    post_delete.connect(
        _override_changed, sender="procedures.CalendarOverride", dispatch_uid="calendar-delete"
    )
