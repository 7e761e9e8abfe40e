"""The pure part: periods, derived columns, totals, version changes. No database."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from core.exceptions import InvalidInput
from reports.assembly import assemble_processing, cut_percent, processing_figures, ratio, version_changes
from reports.columns import PROCESSING_KEYS
from reports.periods import make_period, shortcut_dates

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def test_a_period_is_local_midnight_to_the_next_local_midnight_after_the_last_day():
    period = make_period(date_from=dt.date(2026, 7, 1), date_to=dt.date(2026, 7, 31), tz=TZ)
    assert period.start == dt.datetime(2026, 6, 30, 17, tzinfo=dt.UTC)
    assert period.end == dt.datetime(2026, 7, 31, 17, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("kind", "number", "first", "last"),
    [
        ("month", 2, dt.date(2028, 2, 1), dt.date(2028, 2, 29)),
        ("month", 12, dt.date(2028, 12, 1), dt.date(2028, 12, 31)),
        ("quarter", 3, dt.date(2028, 7, 1), dt.date(2028, 9, 30)),
        ("half", 1, dt.date(2028, 1, 1), dt.date(2028, 6, 30)),
        ("half", 2, dt.date(2028, 7, 1), dt.date(2028, 12, 31)),
        ("year", None, dt.date(2028, 1, 1), dt.date(2028, 12, 31)),
    ],
)
def test_shortcuts(kind, number, first, last):
    assert shortcut_dates(kind=kind, year=2028, number=number)[:2] == (first, last)


@pytest.mark.parametrize(
    ("kind", "number", "field"), [("month", 13, "number"), ("quarter", None, "number"), ("week", 1, "period")]
)
def test_bad_shortcuts_name_the_parameter(kind, number, field):
    with pytest.raises(InvalidInput) as error:
        shortcut_dates(kind=kind, year=2026, number=number)
    assert field in error.value.fields


def test_reversed_dates_are_refused():
    with pytest.raises(InvalidInput) as error:
        make_period(date_from=dt.date(2026, 7, 2), date_to=dt.date(2026, 7, 1), tz=TZ)
    assert "to" in error.value.fields


def test_derived_columns_follow_the_form():
    figures = processing_figures(
        {
            "received_online": 3,
            "received_in_person": 4,
            "received_postal": 2,
            "carried_over": 5,
            "resolved_late": 4,
            "late_with_apology": 1,
            "in_progress_total": 7,
            "in_progress_overdue": 2,
        }
    )
    assert figures["received_direct"] == 6  # col 5 = in person + postal
    assert figures["received_total"] == 14  # col 3 = 4 + 5 + 6
    assert figures["in_progress_within_due"] == 5  # col 12 = 11 - 13
    assert figures["late_without_apology"] == 3
    assert tuple(figures) == PROCESSING_KEYS


def test_rows_are_numbered_in_code_order_and_totals_are_column_sums():
    period = make_period(date_from=dt.date(2026, 7, 1), date_to=dt.date(2026, 7, 31), tz=TZ)
    report = assemble_processing(
        counted=[{"key": 2, "received_online": 1, "carried_over": 2}, {"key": 1, "received_postal": 4}],
        labels={1: ("000.00.01.H57", "Sở A"), 2: ("000.00.02.H57", "Sở B")},
        period=period,
        group_by="agency",
    )
    assert [(r["no"], r["key"]) for r in report.rows] == [(1, 1), (2, 2)]
    assert report.totals["received_total"] == 7
    assert report.totals["received_direct"] == 4
    assert report.as_dict()["period"] == {"from": "2026-07-01", "to": "2026-07-31", "label": period.label}


def test_ratio_and_cut_do_not_invent_zeros():
    assert ratio(1, 0) is None
    assert ratio(2, 3) == 0.6667
    assert cut_percent(80, 56) == 30.0
    assert cut_percent(0, 10) is None


def test_version_changes_only_within_one_procedure():
    rows = [
        {"procedure_id": 2, "procedure_code": "1.2", "version_number": 1, "x": 5.0},
        {"procedure_id": 1, "procedure_code": "1.1", "version_number": 2, "x": 7.0},
        {"procedure_id": 1, "procedure_code": "1.1", "version_number": 1, "x": 10.0},
    ]
    out = version_changes(rows, ["x"])
    assert [(r["procedure_code"], r["version_number"], r["change"]) for r in out] == [
        ("1.1", 1, None),
        ("1.1", 2, {"x": -3.0}),
        ("1.2", 1, None),
    ]
