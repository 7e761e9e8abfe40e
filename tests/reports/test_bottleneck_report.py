"""Bottlenecks: per step and agency, wait and work percentiles against the budget; late ranking."""

import pytest

from reports.selectors import bottleneck_report
from tests.factories import AgencyFactory, make_procedure

from .factories import local, make_dossier, task

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks():
    a = AgencyFactory(code="000.00.11.H57", name="Phòng Tài nguyên")
    b = AgencyFactory(code="000.00.12.H57", name="Chi cục Thuế")
    procedure = make_procedure(
        code="1.000200",
        agency=a,
        steps=[
            {"name": "Thẩm định", "budget_hours": 8},
            {"name": "Xác định nghĩa vụ thuế", "budget_hours": 16, "agency": b},
        ],
    )
    appraise, tax = procedure.current_version.steps.order_by("order")
    for wait, work, verdict in ((1, 2, "early"), (2, 4, "on_time"), (3, 6, "early"), (4, 20, "late")):
        dossier = make_dossier(
            procedure=procedure,
            received_at=local(2026, 7, 1, 9),
            finished_at=local(2026, 7, 20, 9),
            result="approved",
            verdict="late" if verdict == "late" else "early",
        )
        task(
            dossier,
            step=appraise,
            finished_at=local(2026, 7, 10, 9),
            wait_hours=wait,
            work_hours=work,
            verdict=verdict,
        )
    for _ in range(2):
        dossier = make_dossier(
            procedure=procedure,
            received_at=local(2026, 7, 1, 9),
            finished_at=local(2026, 7, 25, 9),
            result="approved",
            verdict="late",
        )
        task(
            dossier, step=tax, finished_at=local(2026, 7, 24, 9), wait_hours=10, work_hours=30, verdict="late"
        )
    # Finished in August and still open: not in July's figures.
    task(dossier, step=tax, finished_at=local(2026, 8, 2, 9), wait_hours=1, work_hours=1, verdict="late")
    task(
        dossier,
        step=tax,
        finished_at=local(2026, 7, 24, 9),
        wait_hours=1,
        work_hours=1,
        verdict="late",
        status="open",
    )
    return a, b, appraise, tax


def test_percentiles_against_budget_and_late_shares(tasks, july):
    a, b, appraise, tax = tasks
    report = bottleneck_report(period=july)
    rows = {r["step_id"]: r for r in report.rows}
    first = rows[appraise.id]
    assert (first["agency_code"], first["step_name"], first["budget_hours"]) == (
        "000.00.11.H57",
        "Thẩm định",
        8,
    )
    assert (first["tasks"], first["late_tasks"], first["late_dossiers"], first["over_budget"]) == (4, 1, 1, 1)
    assert (first["median_wait_hours"], first["p90_wait_hours"]) == (2.5, 3.7)  # 1 2 3 4: 3 + 0.7·1
    assert (first["median_work_hours"], first["p90_work_hours"]) == (5.0, 15.8)  # 2 4 6 20: 6 + 0.7·14
    assert first["late_share"] == 0.25
    second = rows[tax.id]
    assert (second["agency_code"], second["tasks"], second["late_tasks"], second["late_share"]) == (
        "000.00.12.H57",
        2,
        2,
        1.0,
    )
    assert (second["median_work_hours"], second["p90_work_hours"]) == (30.0, 30.0)
    assert report.extra["top_late_steps"] == [
        {"step_id": tax.id, "agency_id": b.id},
        {"step_id": appraise.id, "agency_id": a.id},
    ]
    assert report.totals == {
        "tasks": 6,
        "late_tasks": 3,
        "late_dossiers": 3,
        "over_budget": 3,
        "late_share": 0.5,
    }


def test_a_head_sees_only_the_steps_of_their_agency(tasks, july):
    a, b, appraise, tax = tasks
    report = bottleneck_report(period=july, agency_ids=[b.id])
    assert [r["step_id"] for r in report.rows] == [tax.id]


def test_assembly_sorts_ranks_and_totals_without_the_database():
    from reports.bottlenecks import assemble, bottleneck_row
    from reports.periods import make_period

    def row(step, agency, tasks, late, over):
        counts = {"step_id": step, "agency_id": agency, "tasks": tasks, "late_tasks": late,
                  "over_budget": over, "mean_wait_hours": 1.04, "mean_work_hours": None}  # fmt: skip
        step_labels = {"name": f"Bước {step}", "budget_hours": 8, "procedure_code": f"1.00{step}"}
        return bottleneck_row(counts, late, step_labels, {"code": f"A{agency}"}, {"work_hours_p50": 2.0})

    import datetime as dt
    from zoneinfo import ZoneInfo

    july = make_period(
        date_from=dt.date(2026, 7, 1), date_to=dt.date(2026, 7, 31), tz=ZoneInfo("Asia/Ho_Chi_Minh")
    )
    report = assemble([row(2, 1, 10, 5, 1), row(1, 2, 4, 0, 0), row(1, 1, 6, 6, 2)], july, "")
    assert [(r["step_id"], r["agency_id"]) for r in report.rows] == [(1, 1), (1, 2), (2, 1)]
    assert report.extra["top_late_steps"] == [{"step_id": 1, "agency_id": 1}, {"step_id": 2, "agency_id": 1}]
    assert report.totals == {
        "tasks": 20,
        "late_tasks": 11,
        "late_dossiers": 11,
        "over_budget": 3,
        "late_share": 0.55,
    }
    first = report.rows[0]
    assert (first["late_share"], first["over_budget_share"], first["median_work_hours"]) == (1.0, 0.3333, 2.0)
    assert first["median_wait_hours"] is None and first["mean_work_hours"] is None
