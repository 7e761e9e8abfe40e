"""The business rules of workflows/rules.py, table-tested without the database.

Working time is the default office calendar (07:00–11:30, 13:30–17:00, Monday to Friday, Vietnamese
holidays): one working day is 8 hours. March 2026: Mon 2, Tue 3, Wed 4, Thu 5, Fri 6, Mon 9.
"""

import datetime as dt
import zoneinfo

import pytest
from django.db.models import Q

from procedures.calendar_loader import build_calendar
from procedures.models import DurationUnit, ProcedureVersion, SupplementMode
from workflows import rules
from workflows.models import Decision, DossierStatus, EventAction, Result, Verdict

PAUSE, RESTART = SupplementMode.PAUSE, SupplementMode.RESTART
VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
PROCESSING, WAITING, READY = (
    DossierStatus.PROCESSING,
    DossierStatus.WAITING_SUPPLEMENT,
    DossierStatus.RESULT_READY,
)


def at(text: str, tz=VN) -> dt.datetime:
    """'2026-03-04 17:00' (or '03-04 17:00', in 2026) on the office clock, or in ``tz``."""
    text = text if text.startswith("20") else f"2026-{text}"
    return dt.datetime.fromisoformat(text).replace(tzinfo=tz)


@pytest.fixture(scope="module")
def cal():
    return build_calendar(overrides={})


def version(value=2, unit=DurationUnit.WORKING_DAYS) -> ProcedureVersion:
    """An unsaved version: the rules read only its durations."""
    return ProcedureVersion(
        committed_duration_value=value,
        committed_duration_unit=unit,
        legal_duration_value=value * 2,
        legal_duration_unit=unit,
    )


@pytest.mark.parametrize(
    ("decision", "stage", "stage_count", "others_open", "expected"),
    [
        (Decision.APPROVE, 0, 3, False, rules.Outcome(PROCESSING, 1)),
        (Decision.APPROVE, 1, 3, True, rules.Outcome(PROCESSING, 1, stage_done=False)),
        (Decision.APPROVE, 2, 3, False, rules.Outcome(READY, 2, result=Result.APPROVED)),
        (Decision.APPROVE, 0, 1, False, rules.Outcome(READY, 0, result=Result.APPROVED)),
        (Decision.SEND_BACK, 2, 3, False, rules.Outcome(PROCESSING, 1, cut_short=True)),
        (Decision.SEND_BACK, 1, 3, True, rules.Outcome(PROCESSING, 0, cut_short=True)),
        (Decision.REQUEST_SUPPLEMENT, 1, 3, True, rules.Outcome(WAITING, 1, cut_short=True)),
        (Decision.REFUSE, 0, 3, True, rules.Outcome(READY, 0, result=Result.REFUSED, cut_short=True)),
    ],
)
def test_next_stage_after_a_decision(decision, stage, stage_count, others_open, expected):
    outcome = rules.after_decision(decision, stage=stage, stage_count=stage_count, others_open=others_open)
    assert outcome == expected
    assert outcome.finished == (expected.status == READY)


def test_no_send_back_from_the_first_stage_and_no_unknown_decision():
    with pytest.raises(ValueError):
        rules.after_decision(Decision.SEND_BACK, stage=0, stage_count=2)
    with pytest.raises(ValueError):
        rules.after_decision("maybe", stage=0, stage_count=2)


def test_every_decision_has_its_event():
    assert set(rules.DECISION_ACTIONS) == set(Decision)
    assert rules.DECISION_ACTIONS[Decision.SEND_BACK] == EventAction.SENT_BACK


@pytest.mark.parametrize(
    ("mode", "paused_from", "returned_at", "due", "expected_due", "waited"),
    [
        # pause: the appointment moves by the working time waited (one working day here)
        (PAUSE, "03-02 09:00", "03-03 09:00", "03-04 17:00", "03-05 17:00", 8),
        # pause over Tết 2026 (16–20 Feb): Fri 13 09:00 → Mon 23 09:00 is 6 + 2 working hours
        (PAUSE, "02-13 09:00", "02-23 09:00", "02-24 10:00", "02-25 10:00", 8),
        # restart: the committed two working days again, from the return
        (RESTART, "03-02 09:00", "03-03 09:00", "03-04 17:00", "03-05 09:00", 8),
        (RESTART, "03-02 09:00", "03-02 10:00", "03-02 11:00", "03-04 10:00", 1),
    ],
)  # fmt: skip
def test_due_after_a_supplement_in_each_mode(cal, mode, paused_from, returned_at, due, expected_due, waited):
    new_due, hours = rules.due_after_supplement(
        mode=mode,
        due_at=at(due),
        paused_from=at(paused_from),
        returned_at=at(returned_at),
        version=version(),
        calendar=cal,
    )
    assert (new_due, hours) == (at(expected_due), waited)


@pytest.mark.parametrize(
    ("due", "notice_days", "last_day"),
    [
        ("03-06 17:00", 0, "03-06"),  # no notice: the due day itself
        ("03-06 17:00", 1, "03-05"),
        ("03-09 10:00", 1, "03-06"),  # over the weekend
        ("03-09 10:00", 3, "03-04"),
        ("02-23 10:00", 1, "02-13"),  # over Tết
    ],
)
def test_last_day_to_extend(cal, due, notice_days, last_day):
    assert rules.extension_last_day(at(due), notice_days=notice_days, calendar=cal) == dt.date.fromisoformat(
        f"2026-{last_day}"
    )


def test_latest_extension_is_the_legal_duration_from_the_current_appointment(cal):
    assert rules.latest_extension(at("03-02 09:00"), version(), calendar=cal) == at("03-06 09:00")


@pytest.mark.parametrize(
    ("finished", "due", "expected"),
    [
        (at("03-03 16:00"), at("03-04 09:00"), Verdict.EARLY),
        (at("03-04 16:59"), at("03-04 09:00"), Verdict.ON_TIME),  # on the due day = on time
        (at("03-05 07:00"), at("03-04 17:00"), Verdict.LATE),
        # the office clock decides: 23:30 UTC on the 3rd is already the 4th in Hà Nội
        (at("03-03 23:30", dt.UTC), at("03-04 09:00"), Verdict.ON_TIME),
        (at("03-04 17:30", dt.UTC), at("03-04 17:00"), Verdict.LATE),  # 00:30 on the 5th
    ],
)
def test_verdict(finished, due, expected):
    assert rules.verdict(finished, due) == expected


def test_processing_hours_leave_the_waits_out(cal):
    received, finished = at("03-02 09:00"), at("03-03 09:00")
    assert rules.processing_hours(received, finished, 2.0, calendar=cal) == 6.0
    assert rules.processing_hours(received, finished, 20.0, calendar=cal) == 0.0


def test_the_clock_runs_only_while_processing():
    assert rules.clock_running() == Q(status=PROCESSING)
    assert rules.clock_running("dossier__") == Q(dossier__status=PROCESSING)
    assert rules.CLOCK_RUNNING_STATUS not in (WAITING, READY)


def test_a_pause_runs_at_an_instant_from_its_start_until_its_end():
    t = at("03-03 09:00")
    assert rules.pause_running_at(t) == Q(pauses__started_at__lt=t) & (
        Q(pauses__ended_at__isnull=True) | Q(pauses__ended_at__gte=t)
    )
