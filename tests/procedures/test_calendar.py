"""The working-time clock against real Vietnamese dates (holidays package 0.109, no overrides).

2026: Tết Mon 16 – Fri 20 Feb; Hùng Kings Sun 26 Apr, observed Mon 27 Apr; 30/4 Thu, 1/5 Fri;
Sat 22 Aug is a working day swapped for Mon 31 Aug; National Day Tue 1 + Wed 2 Sep; Culture Day
Tue 24 Nov. 2027: Tết Thu 4 – Wed 10 Feb; National Day Thu 2 + Fri 3 Sep.
"""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ImproperlyConfigured

from procedures.calendar import (
    Duration,
    WorkingCalendar,
    add_working_time,
    due_at,
    next_working_instant,
    working_hours_between,
)
from procedures.calendar_loader import build_calendar, parse_periods, parse_weekdays, parse_years

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def at(text: str) -> dt.datetime:
    """'2026-02-13 10:00' on the office clock."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=VN)


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    return build_calendar(overrides={})


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-02-13", True),  # Friday before Tết
        ("2026-02-16", False),  # Tết 2026
        ("2026-02-20", False),
        ("2026-02-23", True),
        ("2026-04-27", False),  # Hùng Kings, observed on Monday
        ("2026-04-30", False),
        ("2026-05-01", False),
        ("2026-08-22", True),  # swapped working Saturday
        ("2026-08-29", False),  # an ordinary Saturday
        ("2026-08-31", False),  # compensatory day for 22/8
        ("2026-09-01", False),
        ("2026-09-02", False),
        ("2026-09-03", True),
        ("2026-11-24", False),  # Vietnam Culture Day
        ("2027-02-03", True),
        ("2027-02-04", False),  # Tết 2027
        ("2027-02-10", False),
        ("2027-02-11", True),
        ("2027-09-03", False),
    ],
)
def test_working_days_follow_the_holidays_package(cal, day, working):
    assert cal.is_working_day(dt.date.fromisoformat(day)) is working


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        # Tết 2026
        ("2026-02-13 10:00", 8, "2026-02-23 10:00"),
        ("2026-02-13 08:00", 8, "2026-02-23 08:00"),
        ("2026-02-14 09:00", 1, "2026-02-23 08:00"),
        # Tết 2027
        ("2027-02-03 16:00", 2, "2027-02-11 08:00"),
        ("2027-02-03 07:00", 24, "2027-02-12 17:00"),
        # Hùng Kings observed Monday, then 30/4–1/5
        ("2026-04-24 16:00", 2, "2026-04-28 08:00"),
        ("2026-04-29 15:00", 4, "2026-05-04 09:00"),
        # Swapped Saturday 22/8/2026 works; 29/8 – 2/9 is off (weekend, 31/8 compensatory, 1–2/9)
        ("2026-08-21 16:00", 2, "2026-08-22 08:00"),
        ("2026-08-28 16:00", 2, "2026-09-03 08:00"),
        ("2027-09-01 16:00", 2, "2027-09-06 08:00"),
        # Culture Day
        ("2026-11-23 16:00", 2, "2026-11-25 08:00"),
        # Out-of-hours starts count from the next working period
        ("2026-03-02 06:15", 1, "2026-03-02 08:00"),
        ("2026-03-02 12:10", 1, "2026-03-02 14:30"),
        ("2026-03-02 11:30", 0.5, "2026-03-02 14:00"),
        ("2026-03-02 17:30", 1, "2026-03-03 08:00"),
        ("2026-03-02 17:00", 1, "2026-03-03 08:00"),
        ("2026-03-01 10:00", 1, "2026-03-02 08:00"),
        # Ending exactly at a period's end stays there
        ("2026-03-02 07:00", 4.5, "2026-03-02 11:30"),
        ("2026-03-02 13:30", 3.5, "2026-03-02 17:00"),
        ("2026-03-02 07:00", 8, "2026-03-02 17:00"),
        ("2026-03-02 12:00", 3.5, "2026-03-02 17:00"),
        # Counting backwards lands on the earliest instant too
        ("2026-02-23 08:00", -2, "2026-02-13 16:00"),
        ("2026-03-02 14:30", -1, "2026-03-02 11:30"),
        # Zero hours: the next working instant
        ("2026-03-02 12:00", 0, "2026-03-02 13:30"),
        ("2026-03-02 09:00", 0, "2026-03-02 09:00"),
    ],
)
def test_add_working_time(cal, start, hours, expected):
    result = add_working_time(at(start), hours, calendar=cal)
    assert result == at(expected)
    assert result.tzinfo == VN
    if hours:
        assert working_hours_between(at(start), result, calendar=cal) == hours


@pytest.mark.parametrize(
    ("start", "value", "unit", "expected"),
    [
        ("2026-04-29 10:00", 3, "working_days", "2026-05-06 10:00"),
        ("2026-02-13 07:00", 1, "working_days", "2026-02-13 17:00"),
        ("2026-02-12 13:30", 2, "working_days", "2026-02-23 11:30"),  # ends at a period end
        ("2026-08-28 09:00", 16, "working_hours", "2026-09-04 09:00"),
        # Calendar days landing on a holiday move to the next working day, same time of day
        ("2026-02-10 09:00", 7, "calendar_days", "2026-02-23 09:00"),
        ("2026-08-21 10:00", 10, "calendar_days", "2026-09-03 10:00"),
        ("2026-11-16 08:00", 8, "calendar_days", "2026-11-25 08:00"),
        ("2027-01-29 14:00", 7, "calendar_days", "2027-02-11 14:00"),
        ("2026-03-02 10:00", 5, "calendar_days", "2026-03-09 10:00"),
        # ...and landing on the swapped Saturday stays there
        ("2026-08-14 10:00", 8, "calendar_days", "2026-08-22 10:00"),
        # A start outside working time counts from the next working period
        ("2026-03-07 10:00", 3, "calendar_days", "2026-03-12 07:00"),
        ("2026-03-02 12:00", 1, "calendar_days", "2026-03-03 13:30"),
    ],
)
def test_due_at(cal, start, value, unit, expected):
    assert due_at(at(start), Duration(value, unit), calendar=cal) == at(expected)


@pytest.mark.parametrize(
    ("a", "b", "hours"),
    [
        ("2026-02-12 07:00", "2026-02-24 07:00", 24),  # Thu, Fri, then Tết, then Mon 23
        ("2026-02-13 17:00", "2026-02-23 07:00", 0),
        ("2026-08-21 07:00", "2026-08-24 07:00", 16),  # Fri + the swapped Saturday
        ("2026-08-28 07:00", "2026-09-04 07:00", 16),  # Fri + Thu 3/9
        ("2026-03-02 10:00", "2026-03-02 15:00", 3),  # lunch is not counted
        ("2026-03-02 12:00", "2026-03-02 13:00", 0),
        ("2026-03-02 15:00", "2026-03-02 10:00", -3),
        ("2026-01-01 00:00", "2027-01-01 00:00", 8 * 249),  # 261 weekdays - 13 holidays + 22/8
    ],
)
def test_working_hours_between(cal, a, b, hours):
    assert working_hours_between(at(a), at(b), calendar=cal) == hours


def test_working_days_in_2026_match_a_day_by_day_count(cal):
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=i) for i in range(365)]
    assert sum(cal.is_working_day(day) for day in days) == 249


def test_inputs_in_other_time_zones_are_converted_and_results_are_on_the_office_clock(cal):
    start_utc = dt.datetime(2026, 2, 13, 3, 0, tzinfo=dt.UTC)  # 10:00 in Hà Nội
    result = add_working_time(start_utc, 8, calendar=cal)
    assert result == at("2026-02-23 10:00")
    assert result.utcoffset() == dt.timedelta(hours=7)
    assert next_working_instant(start_utc, calendar=cal).isoformat() == "2026-02-13T10:00:00+07:00"


def test_naive_datetimes_are_refused(cal):
    with pytest.raises(ValueError, match="timezone-aware"):
        add_working_time(dt.datetime(2026, 3, 2, 9), 1, calendar=cal)
    with pytest.raises(ValueError, match="timezone-aware"):
        working_hours_between(at("2026-03-02 09:00"), dt.datetime(2026, 3, 2, 10), calendar=cal)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("2026-03-02 07:00", "2026-03-02 07:00"),
        ("2026-03-02 11:30", "2026-03-02 13:30"),
        ("2026-03-02 17:00", "2026-03-03 07:00"),
        ("2026-02-13 18:00", "2026-02-23 07:00"),
        ("2026-08-22 06:00", "2026-08-22 07:00"),
    ],
)
def test_next_working_instant(cal, start, expected):
    assert next_working_instant(at(start), calendar=cal) == at(expected)


def test_hours_per_day_and_a_custom_calendar():
    saturday_mornings = WorkingCalendar(
        tz=VN,
        periods=((dt.time(8), dt.time(12)),),
        weekdays=frozenset({0, 1, 2, 3, 4, 5}),
        days_off=frozenset({dt.date(2026, 3, 7)}),
    )
    assert saturday_mornings.hours_per_day == 4
    # Fri 11:00 + 2h: 1h on Friday, Saturday 7/3 is off, 1h on Monday.
    assert add_working_time(at("2026-03-06 11:00"), 2, calendar=saturday_mornings) == at("2026-03-09 09:00")
    assert due_at(at("2026-03-09 08:00"), Duration(6, "working_days"), calendar=saturday_mornings) == at(
        "2026-03-14 12:00"
    )


@pytest.mark.parametrize(
    "periods",
    [(), ((dt.time(9), dt.time(8)),), ((dt.time(7), dt.time(12)), (dt.time(11), dt.time(17)))],
)
def test_invalid_periods_are_refused(periods):
    with pytest.raises(ValueError):
        WorkingCalendar(tz=VN, periods=periods, weekdays=frozenset({0}))


def test_unknown_duration_unit_is_refused():
    with pytest.raises(ValueError, match="unit"):
        Duration(3, "fortnights")


def test_settings_are_parsed_with_clear_errors():
    assert parse_periods("07:00-11:30, 13:30-17:00") == (
        (dt.time(7), dt.time(11, 30)),
        (dt.time(13, 30), dt.time(17)),
    )
    assert parse_weekdays("0,1,2,3,4") == frozenset(range(5))
    assert parse_years("2020-2022") == range(2020, 2023)
    with pytest.raises(ImproperlyConfigured, match="ONESTOP_WORKING_PERIODS"):
        parse_periods("7h-11h30")
    with pytest.raises(ImproperlyConfigured, match="ONESTOP_WORKING_WEEKDAYS"):
        parse_weekdays("mon,tue")
    with pytest.raises(ImproperlyConfigured, match="ONESTOP_HOLIDAY_YEARS"):
        parse_years("2060-2000")


def test_calendar_follows_the_settings(settings):
    settings.ONESTOP_WORKING_PERIODS = "08:00-12:00,13:00-17:00"
    settings.ONESTOP_WORKING_WEEKDAYS = "0,1,2,3,4,5"
    custom = build_calendar(overrides={})
    assert custom.hours_per_day == 8
    assert custom.is_working_day(dt.date(2026, 3, 7))  # a Saturday
    assert custom.is_working_day(dt.date(2026, 2, 21))  # the Saturday after Tết
    assert not custom.is_working_day(dt.date(2026, 2, 16))
    assert add_working_time(at("2026-03-06 16:00"), 2, calendar=custom) == at("2026-03-07 09:00")
