"""Cutting report: durations, cut %, mean/median/p90 and the change between procedure versions.

Version 1 (committed 7 working days = 56 h) resolved 10, 20, 30, 40, 100 hours; version 2
(committed 5 days = 40 h) resolved 5, 7, 9, 50 hours; legal 10 days = 80 h for both. Percentiles
are PostgreSQL's percentile_cont: position p·(n-1), linear between neighbours.
"""

import pytest

from procedures.models import DurationUnit
from reports.selectors import cutting_report
from tests.factories import AgencyFactory, make_procedure

from .factories import add_version, local, make_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def versions():
    agency = AgencyFactory(code="000.00.07.H57", name="Sở Kế hoạch và Đầu tư")
    procedure = make_procedure(code="2.000100", agency=agency)
    v1 = procedure.current_version
    v2 = add_version(
        procedure, number=2, committed=(5, DurationUnit.WORKING_DAYS), effective_from=local(2026, 7, 10)
    )
    for hours in (10, 20, 30, 40, 100):
        make_dossier(
            procedure=procedure,
            version=v1,
            received_at=local(2026, 7, 1, 9),
            finished_at=local(2026, 7, 20, 9),
            result="approved",
            verdict="early",
            processing_hours=hours,
        )
    for hours in (5, 7, 9, 50):
        make_dossier(
            procedure=procedure,
            version=v2,
            received_at=local(2026, 7, 11, 9),
            finished_at=local(2026, 7, 21, 9),
            result="refused",
            verdict="early",
            processing_hours=hours,
        )
    # Not resolved in July: neither counted nor in the percentiles.
    make_dossier(
        procedure=procedure,
        version=v2,
        received_at=local(2026, 7, 11, 9),
        finished_at=local(2026, 8, 3, 9),
        result="approved",
        verdict="early",
        processing_hours=1000,
    )
    make_dossier(procedure=procedure, version=v2, received_at=local(2026, 7, 12, 9))
    return procedure


def test_per_procedure_figures(versions, july):
    report = cutting_report(period=july, group_by="procedure")
    (row,) = report.rows
    assert row["code"] == "2.000100"
    assert row["resolved"] == 9
    assert row["legal_hours"] == 80.0
    assert row["committed_hours"] == pytest.approx(440 / 9, abs=0.01)  # dossier-weighted (5·56 + 4·40)/9
    assert row["cut_percent"] == 38.9
    assert row["mean_hours"] == pytest.approx(271 / 9, abs=0.01)
    assert row["median_hours"] == 20.0  # sorted 5 7 9 10 [20] 30 40 50 100
    assert row["p90_hours"] == 60.0  # position 7.2: 50 + 0.2·(100 - 50)
    assert row["within_committed_share"] == pytest.approx(7 / 9, abs=1e-4)  # 10 20 30 40 ≤ 56; 5 7 9 ≤ 40
    assert report.totals["median_hours"] == 20.0


def test_each_version_and_the_change_from_the_previous_one(versions, july):
    v1, v2 = cutting_report(period=july, group_by="procedure").extra["versions"]
    assert (v1["version_number"], v1["resolved"], v1["committed_hours"], v1["cut_percent"]) == (
        1,
        5,
        56.0,
        30.0,
    )
    assert (v1["median_hours"], v1["p90_hours"], v1["mean_hours"]) == (30.0, 76.0, 40.0)  # 40 + 0.6·60
    assert v1["within_committed_share"] == 0.8
    assert v1["change"] is None
    assert (v2["version_number"], v2["resolved"], v2["committed_hours"], v2["cut_percent"]) == (
        2,
        4,
        40.0,
        50.0,
    )
    assert (v2["median_hours"], v2["p90_hours"], v2["mean_hours"]) == (8.0, 37.7, 17.75)  # 7+0.5·2; 9+0.7·41
    assert v2["within_committed_share"] == 0.75
    assert v2["previous_version"] == 1
    assert v2["change"] == {
        "committed_hours": -16.0,
        "cut_percent": 20.0,
        "mean_hours": -22.25,
        "median_hours": -22.0,
        "p90_hours": -38.3,
        "within_committed_share": -0.05,
    }


def test_grouped_by_agency_and_restricted(versions, july):
    report = cutting_report(period=july, group_by="agency")
    assert [(r["code"], r["resolved"], r["median_hours"]) for r in report.rows] == [
        ("000.00.07.H57", 9, 20.0)
    ]
    other = AgencyFactory(code="000.00.08.H57")
    assert cutting_report(period=july, group_by="agency", agency_ids=[other.id]).rows == []


def test_calendar_day_commitments_are_left_out_of_the_within_share(db, july):
    procedure = make_procedure(
        legal=(15, DurationUnit.CALENDAR_DAYS), committed=(10, DurationUnit.CALENDAR_DAYS)
    )
    make_dossier(
        procedure=procedure,
        received_at=local(2026, 7, 1, 9),
        finished_at=local(2026, 7, 9, 9),
        result="approved",
        verdict="early",
        processing_hours=48,
    )
    (row,) = cutting_report(period=july, group_by="procedure").rows
    assert row["within_committed_share"] is None
    assert row["cut_percent"] == 33.3
