"""The what-if replay on a hand-counted week, without the database.

Calendar: Mon–Fri 07:00–11:30 and 13:30–17:00 (8 h), no holiday in July 2026. Every dossier is
received on Monday 6 July 2026 08:00. Committed today 5 working days (due Monday 13 July 08:00),
proposed 3 working days (due Thursday 9 July 08:00); legal 10 working days.
"""

import datetime as dt
import zoneinfo

from procedures.calendar import WorkingCalendar
from reports.whatif import (
    DossierRow,
    ExtensionRow,
    PauseRow,
    Proposal,
    StepInfo,
    TaskRow,
    cut_figures,
    percentile,
    proposed_step_budgets,
    replay,
    replay_due,
    replay_verdict,
)

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
CAL = WorkingCalendar(
    tz=HCM,
    periods=((dt.time(7), dt.time(11, 30)), (dt.time(13, 30), dt.time(17))),
    weekdays=frozenset(range(5)),
)
CURRENT = Proposal(5, "working_days")
PROPOSED = Proposal(3, "working_days")
LEGAL = Proposal(10, "working_days")


def at(day, hour, minute=0):
    return dt.datetime(2026, 7, day, hour, minute, tzinfo=HCM)


def row(pk, finished, verdict, hours, agency=1, extension=None):
    return DossierRow(pk, agency, at(6, 8), finished, verdict, hours, CURRENT, extension)


# A: done Tue 10:00, early under both.  B: done Fri 10:00, early today, late under 3 days.
# C: done Tue 14 July, late under both.
# D: waits Tue 7 08:00 → Thu 9 08:00 (16 h, mode pause), done Mon 13 10:00: today due Wed 15 08:00
#    (early); proposed due Thu 9 + 16 h = Mon 13 08:00, done the same day: on time, not late.
# E (agency 2): waits Wed 8 08:00 → Fri 10 08:00 in mode restart, done Thu 16 10:00: today due
#    Fri 10 + 5 days = Fri 17 08:00 (early; mode pause would have made it late: Wed 15 08:00);
#    proposed Fri 10 + 3 days = Wed 15 08:00: late.
DOSSIERS = [
    row(1, at(7, 10), "early", 10),
    row(2, at(10, 10), "early", 34),
    row(3, at(14, 10), "late", 50),
    row(4, at(13, 10), "early", 26),
    row(5, at(16, 10), "early", 50, agency=2),
]
PAUSES = {
    4: [PauseRow(at(7, 8), at(9, 8), "pause")],
    5: [PauseRow(at(8, 8), at(10, 8), "restart")],
}
STEPS = {1: StepInfo(1, "Thẩm định", 1, 16.0), 2: StepInfo(2, "Phê duyệt", 1, 24.0)}
# Step 1: 10 h (real due Wed 08:00, early) and 18 h (done Wed 10:00, on time); step 2: created
# Tue 10:00, done Fri 10:00 = 24 h, on time.
TASKS = [
    TaskRow(1, at(6, 8), at(7, 10), "early"),
    TaskRow(1, at(6, 8), at(8, 10), "on_time"),
    TaskRow(2, at(7, 10), at(10, 10), "on_time"),
]


def test_replay_due_applies_both_supplement_modes():
    assert replay_due(DOSSIERS[0], [], PROPOSED, calendar=CAL) == at(9, 8)
    assert replay_due(DOSSIERS[3], PAUSES[4], CURRENT, calendar=CAL) == at(15, 8)
    assert replay_due(DOSSIERS[3], PAUSES[4], PROPOSED, calendar=CAL) == at(13, 8)
    assert replay_due(DOSSIERS[4], PAUSES[5], CURRENT, calendar=CAL) == at(17, 8)
    assert replay_due(DOSSIERS[4], PAUSES[5], PROPOSED, calendar=CAL) == at(15, 8)
    as_pause = [PauseRow(at(8, 8), at(10, 8), "pause")]
    assert replay_due(DOSSIERS[4], as_pause, CURRENT, calendar=CAL) == at(15, 8)


def test_replay_of_the_current_duration_gives_the_stored_verdicts():
    for dossier in DOSSIERS:
        assert replay_verdict(dossier, PAUSES.get(dossier.id, ()), CURRENT, calendar=CAL) == dossier.verdict


def test_an_apology_extension_moves_the_replayed_due_by_the_same_working_hours():
    # Extended on Fri 10 July from Mon 13 08:00 to Wed 15 08:00 (16 h); done Tue 14 10:00.
    extended = row(9, at(14, 10), "early", 50, extension=ExtensionRow(at(10, 9), at(13, 8), at(15, 8)))
    assert replay_verdict(extended, [], CURRENT, calendar=CAL) == "early"
    assert replay_due(extended, [], PROPOSED, calendar=CAL) == at(13, 8)
    assert replay_verdict(extended, [], PROPOSED, calendar=CAL) == "late"


def test_totals_and_agencies_on_the_hand_counted_week():
    budgets = proposed_step_budgets(STEPS, current=CURRENT, proposal=PROPOSED)
    result = replay(
        DOSSIERS, PAUSES, TASKS, proposal=PROPOSED, steps=STEPS, step_budgets=budgets, calendar=CAL
    )
    totals = result["totals"]
    assert (totals["replayed"], totals["late_today"], totals["late_proposed"]) == (5, 1, 3)
    assert (totals["late_today_share"], totals["late_proposed_share"]) == (0.2, 0.6)
    assert (totals["turn_late"], totals["turn_in_time"]) == (2, 0)  # B and E
    # Hours 10, 26, 34, 50, 50: p50 34, p90 50; 4 of 5 over the 24-hour limit.
    assert (totals["processing_hours_p50"], totals["processing_hours_p90"]) == (34, 50)
    assert (totals["processing_days_p50"], totals["processing_days_p90"]) == (4.25, 6.25)
    assert (totals["limit_hours"], totals["over_limit"], totals["over_limit_share"]) == (24, 4, 0.8)
    one, two = result["agencies"][1], result["agencies"][2]
    assert (one["replayed"], one["late_today"], one["late_proposed"], one["turn_late"]) == (4, 1, 2, 1)
    assert (two["replayed"], two["late_today"], two["late_proposed"], two["turn_late"]) == (1, 0, 1, 1)


def test_steps_scaled_to_the_proposal():
    # Budgets scaled by 24/40: step 1 9.6 h (due Tue 09:36), step 2 14.4 h (due Thu 08:24).
    budgets = proposed_step_budgets(STEPS, current=CURRENT, proposal=PROPOSED)
    assert budgets == {1: 9.6, 2: 14.4}
    result = replay([], {}, TASKS, proposal=PROPOSED, steps=STEPS, step_budgets=budgets, calendar=CAL)
    first, second = result["steps"]
    assert (first["tasks"], first["late_today"], first["late_proposed"]) == (2, 0, 1)
    # Hours 10 and 18: p50 14, p90 17.2, which must come down by 7.6 h to fit 9.6 h.
    assert (first["hours_p50"], first["hours_p90"], first["faster_by_hours"]) == (14, 17.2, 7.6)
    assert (second["tasks"], second["late_today"], second["late_proposed"]) == (1, 0, 1)
    assert (second["hours_p90"], second["faster_by_hours"]) == (24, 9.6)


def test_one_steps_budget():
    # Step 2 at 20 h (from Tue 10:00: due Thu 16:00), step 1 keeps 16 h.
    budgets = proposed_step_budgets(STEPS, current=CURRENT, proposal=CURRENT, step=2, budget_hours=20)
    assert budgets == {1: 16.0, 2: 20}
    result = replay([], {}, TASKS, proposal=CURRENT, steps=STEPS, step_budgets=budgets, calendar=CAL)
    first, second = result["steps"]
    assert (first["late_proposed"], first["faster_by_hours"]) == (0, 1.2)
    assert (second["late_proposed"], second["faster_by_hours"]) == (1, 4)


def test_cut_against_the_legal_duration_and_the_30_percent_target():
    cut = cut_figures(legal=LEGAL, current=CURRENT, proposal=PROPOSED)
    assert (cut["current_cut_percent"], cut["proposed_cut_percent"], cut["meets_target"]) == (50, 70, True)
    assert (
        cut_figures(legal=LEGAL, current=CURRENT, proposal=Proposal(8, "working_days"))["meets_target"]
        is False
    )


def test_percentile_is_percentile_cont():
    assert percentile([], 0.5) is None
    assert percentile([5.0], 0.9) == 5.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert percentile([10.0, 18.0], 0.9) == 17.2
