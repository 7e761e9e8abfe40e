"""Admin overrides win over the holidays package, and every process notices when they change."""

import datetime as dt
import zoneinfo

import pytest
from django.core.cache import cache

from procedures import calendar_loader
from procedures.calendar import add_working_time
from procedures.calendar_loader import VERSION_KEY, get_calendar, invalidate_calendar
from procedures.models import CalendarOverride

pytestmark = pytest.mark.django_db

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = dt.date(2026, 3, 2)
CULTURE_DAY = dt.date(2026, 11, 24)
SWAPPED_SATURDAY = dt.date(2026, 8, 22)


@pytest.fixture
def slow_checks(settings):
    """A process that would not look at the shared cache again during the test."""
    settings.ONESTOP_CALENDAR_CHECK_SECONDS = 3600
    settings.ONESTOP_CALENDAR_MAX_AGE_SECONDS = 3600


def add_override(day: dt.date, *, working: bool, capture) -> CalendarOverride:
    with capture(execute=True):
        return CalendarOverride.objects.create(
            date=day, is_working_day=working, reason="Quyết định của UBND tỉnh"
        )


def test_an_override_day_off_wins_over_a_normal_working_day(django_capture_on_commit_callbacks):
    add_override(MONDAY, working=False, capture=django_capture_on_commit_callbacks)
    cal = get_calendar()
    assert not cal.is_working_day(MONDAY)
    friday_afternoon = dt.datetime(2026, 2, 27, 16, tzinfo=VN)
    assert add_working_time(friday_afternoon, 2, calendar=cal) == dt.datetime(2026, 3, 3, 8, tzinfo=VN)


def test_an_override_working_day_wins_over_a_package_holiday(django_capture_on_commit_callbacks):
    assert not get_calendar().is_working_day(CULTURE_DAY)
    add_override(CULTURE_DAY, working=True, capture=django_capture_on_commit_callbacks)
    assert get_calendar().is_working_day(CULTURE_DAY)


def test_an_override_day_off_wins_over_a_swapped_working_saturday(django_capture_on_commit_callbacks):
    assert get_calendar().is_working_day(SWAPPED_SATURDAY)
    add_override(SWAPPED_SATURDAY, working=False, capture=django_capture_on_commit_callbacks)
    assert not get_calendar().is_working_day(SWAPPED_SATURDAY)


def test_saving_and_deleting_an_override_refresh_the_cached_calendar(
    slow_checks, django_capture_on_commit_callbacks
):
    assert get_calendar().is_working_day(MONDAY)
    override = add_override(MONDAY, working=False, capture=django_capture_on_commit_callbacks)
    assert not get_calendar().is_working_day(MONDAY)
    with django_capture_on_commit_callbacks(execute=True):
        override.is_working_day = True
        override.save()
    assert get_calendar().is_working_day(MONDAY)
    with django_capture_on_commit_callbacks(execute=True):
        override.delete()
    assert get_calendar().is_working_day(MONDAY)
    assert not get_calendar().is_working_day(CULTURE_DAY)


def test_the_cached_calendar_costs_no_query_between_checks(slow_checks, django_assert_num_queries):
    get_calendar()
    with django_assert_num_queries(0):
        for _ in range(100):
            get_calendar()


def test_another_process_invalidation_is_seen_at_the_next_check(settings, django_assert_num_queries):
    settings.ONESTOP_CALENDAR_CHECK_SECONDS = 0
    settings.ONESTOP_CALENDAR_MAX_AGE_SECONDS = 3600
    assert get_calendar().is_working_day(MONDAY)
    # Another process writes without signals reaching us, then bumps the shared version.
    CalendarOverride.objects.bulk_create([CalendarOverride(date=MONDAY, is_working_day=False, reason="x")])
    with django_assert_num_queries(0):
        assert get_calendar().is_working_day(MONDAY)  # same shared version: no reload
    cache.set(VERSION_KEY, "bumped-by-another-process")
    assert not get_calendar().is_working_day(MONDAY)


def test_a_rolled_back_override_does_not_invalidate(slow_checks, django_capture_on_commit_callbacks):
    before = get_calendar()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        CalendarOverride.objects.create(date=MONDAY, is_working_day=False, reason="x")
    assert callbacks, "the invalidation waits for the commit"
    assert get_calendar() is before


def test_bulk_writes_are_picked_up_after_the_maximum_age(settings):
    settings.ONESTOP_CALENDAR_CHECK_SECONDS = 0
    settings.ONESTOP_CALENDAR_MAX_AGE_SECONDS = 0
    assert get_calendar().is_working_day(MONDAY)
    CalendarOverride.objects.bulk_create([CalendarOverride(date=MONDAY, is_working_day=False, reason="x")])
    assert not get_calendar().is_working_day(MONDAY)


def test_invalidate_calendar_rebuilds_in_this_process(slow_checks):
    first = get_calendar()
    assert get_calendar() is first
    invalidate_calendar()
    assert calendar_loader._snapshot is None
    assert get_calendar() is not first
