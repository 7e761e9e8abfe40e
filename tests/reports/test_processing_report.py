"""Form II.06a on the fixed July 2026 scenario, against figures counted by hand (any backend)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.exceptions import InvalidInput
from reports.columns import PROCESSING_KEYS
from reports.periods import make_period
from reports.selectors import processing_report

from . import expected


def figures(row):
    return {key: row[key] for key in PROCESSING_KEYS}


def test_by_agency_matches_the_hand_count(scenario, july):
    report = processing_report(period=july, group_by="agency")
    assert [(r["no"], r["code"], r["name"]) for r in report.rows] == [
        (1, "000.00.01.H57", "Sở Tư pháp"),
        (2, "000.00.02.H57", "Sở Xây dựng"),
    ]
    assert figures(report.rows[0]) == expected.AGENCY_A
    assert figures(report.rows[1]) == expected.AGENCY_B
    assert report.totals == expected.TOTALS


def test_by_field_splits_agency_a_between_its_two_procedures(scenario, july):
    report = processing_report(period=july, group_by="field")
    assert [r["code"] for r in report.rows] == ["F1", "F2"]
    assert figures(report.rows[0]) == expected.FIELD_F1
    assert figures(report.rows[1]) == expected.FIELD_F2
    assert report.totals == expected.TOTALS


def test_by_procedure_and_by_level(scenario, july):
    by_procedure = processing_report(period=july, group_by="procedure")
    assert [r["code"] for r in by_procedure.rows] == ["1.000001", "1.000002", "1.000003"]
    assert figures(by_procedure.rows[0]) == expected.FIELD_F1
    assert by_procedure.totals == expected.TOTALS
    by_level = processing_report(period=july, group_by="level")
    assert [(r["key"], r["name"]) for r in by_level.rows] == [("province", "Cấp tỉnh")]
    assert figures(by_level.rows[0]) == expected.TOTALS


def test_restricted_to_one_agency(scenario, july):
    report = processing_report(period=july, group_by="agency", agency_ids=[scenario.b.id])
    assert [r["code"] for r in report.rows] == ["000.00.02.H57"]
    assert report.totals == expected.AGENCY_B


def test_one_aggregate_query_and_one_for_the_labels(scenario, july):
    from reports.rollup import published

    assert published() is False  # no rollup: asked once, then cached (reports.rollup.published)
    with CaptureQueriesContext(connection) as queries:
        processing_report(period=july, group_by="agency")
    selects = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(selects) == 2


def test_the_next_month_carries_over_what_july_left_in_progress(scenario):
    august = make_period(
        date_from=dt.date(2026, 8, 1), date_to=dt.date(2026, 8, 31), tz=timezone.get_default_timezone()
    )
    report = processing_report(period=august, group_by="agency")
    by_code = {r["code"]: r for r in report.rows}
    # In progress at the end of July (A: 6, B: 1) is exactly what August carries over.
    assert by_code["000.00.01.H57"]["carried_over"] == expected.AGENCY_A["in_progress_total"]
    assert by_code["000.00.02.H57"]["carried_over"] == expected.AGENCY_B["in_progress_total"]
    # 3a arrives at 00:00 on 1 August; 17 is withdrawn and 14 and 19 resolved in August.
    a = by_code["000.00.01.H57"]
    assert (a["received_postal"], a["withdrawn"], a["resolved_total"]) == (1, 1, 1)
    assert by_code["000.00.02.H57"]["resolved_late"] == 1


def test_unknown_grouping_names_the_parameter(db, july):
    with pytest.raises(InvalidInput) as error:
        processing_report(period=july, group_by="colour")
    assert "group_by" in error.value.fields
