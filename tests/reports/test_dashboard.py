import datetime as dt

from django.utils import timezone

from reports.periods import make_period
from reports.selectors import dashboard


def test_months_on_time_rates_and_slowest_procedures(scenario):
    period = make_period(
        date_from=dt.date(2026, 6, 1), date_to=dt.date(2026, 7, 31), tz=timezone.get_default_timezone()
    )
    data = dashboard(period=period)
    # June: received 2 (23:59 on the 30th), 4, 8, 10, 13 (12 was refused at intake); resolved 13.
    # July: received 1, 3b, 5, 6, 7, 9, 14, 16, 17, 18, 19; resolved 1, 2, 7, 8, 18, 20.
    assert data["months"] == [
        {"month": "2026-06", "received": 5, "resolved": 1},
        {"month": "2026-07", "received": 11, "resolved": 6},
    ]
    assert [(r["code"], r["resolved"], r["on_time_rate"]) for r in data["on_time_by_agency"]] == [
        ("000.00.01.H57", 5, 0.6),
        ("000.00.02.H57", 2, 0.5),
    ]
    # The scenario has no processing hours, so no procedure can be ranked by its median.
    assert data["slowest_procedures"] == []


def test_slowest_procedures_rank_median_against_committed_time(db):
    from tests.factories import make_procedure

    from .factories import local, make_dossier

    period = make_period(
        date_from=dt.date(2026, 7, 1), date_to=dt.date(2026, 7, 31), tz=timezone.get_default_timezone()
    )
    quick = make_procedure(code="1.000010")  # committed 7 working days = 56 h
    slow = make_procedure(code="1.000011")
    for procedure, hours in ((quick, (10, 20, 30)), (slow, (50, 70, 90))):
        for h in hours:
            make_dossier(
                procedure=procedure,
                received_at=local(2026, 7, 1, 9),
                finished_at=local(2026, 7, 15, 9),
                result="approved",
                verdict="on_time",
                processing_hours=h,
            )
    ranked = dashboard(period=period)["slowest_procedures"]
    assert [(r["code"], r["median_hours"], r["median_vs_committed"]) for r in ranked] == [
        ("1.000011", 70.0, 1.25),
        ("1.000010", 20.0, 0.357),
    ]
