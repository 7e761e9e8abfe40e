"""The time left / overdue as people read it, and the row colours, on the working-time calendar."""

import pytest
from django.utils import translation

from procedures.calendar_loader import get_calendar
from staffui.deadlines import NORMAL, OVERDUE, PAUSED, SOON, deadline_of, format_time_left, state_of
from tests.workflows.conftest import local


@pytest.mark.parametrize(
    ("hours", "vi", "en"),
    [
        (11, "còn 1 ngày 3 giờ", "1 day 3 hours left"),
        (8, "còn 1 ngày", "1 day left"),
        (16.5, "còn 2 ngày", "2 days left"),  # 30 minutes are below the hour shown
        (3.99, "còn 3 giờ", "3 hours left"),
        (0.75, "còn 45 phút", "45 minutes left"),
        (1, "còn 1 giờ", "1 hour left"),
        (-2, "quá hạn 2 giờ", "2 hours overdue"),
        (-26, "quá hạn 3 ngày 2 giờ", "3 days 2 hours overdue"),
        (-0.5, "quá hạn 30 phút", "30 minutes overdue"),
        (0, "quá hạn 0 phút", "0 minutes overdue"),
    ],
)
def test_format_time_left(hours, vi, en):
    with translation.override("vi"):
        assert format_time_left(hours) == vi
    with translation.override("en"):
        assert format_time_left(hours) == en


def test_a_working_day_is_the_calendars_length():
    with translation.override("vi"):
        assert format_time_left(11, hours_per_day=10) == "còn 1 ngày 1 giờ"


@pytest.mark.parametrize(
    ("hours", "state"), [(-1, OVERDUE), (0, OVERDUE), (0.1, SOON), (8, SOON), (8.01, NORMAL), (40, NORMAL)]
)
def test_state_of(hours, state):
    assert state_of(hours, soon_hours=8) == state


def test_deadline_counts_working_hours_only(settings, db):
    """Friday 16:00 to Monday 10:00 is 4 working hours (1 on Friday, 3 on Monday), not 66."""
    settings.ONESTOP_DUE_SOON_HOURS = 8
    calendar = get_calendar()
    with translation.override("vi"):
        deadline = deadline_of(local(2026, 3, 9, 10, 0), now=local(2026, 3, 6, 16, 0), calendar=calendar)
        assert (deadline.state, deadline.text, deadline.css) == (SOON, "còn 4 giờ", "due-soon")
        late = deadline_of(local(2026, 3, 6, 8, 0), now=local(2026, 3, 9, 8, 0), calendar=calendar)
        assert (late.state, late.text) == (OVERDUE, "quá hạn 1 ngày")
        far = deadline_of(local(2026, 3, 20, 9, 0), now=local(2026, 3, 9, 8, 0), calendar=calendar)
        assert far.state == NORMAL
        paused = deadline_of(
            local(2026, 3, 6, 9, 0), now=local(2026, 3, 9, 8, 0), calendar=calendar, paused=True
        )
        assert paused.state == PAUSED


def test_due_at_the_next_opening_is_not_overdue(db):
    """Seen at 18:00, a step due at 07:00 the next morning has no working time left but is not late."""
    deadline = deadline_of(local(2026, 3, 3, 7, 0), now=local(2026, 3, 2, 18, 0), calendar=get_calendar())
    assert deadline.state == SOON
