"""Service indicators on the July scenario: rates per agency and for the province (hand-counted)."""

from reports.selectors import indicators_report


def test_rates_per_agency_and_for_the_province(scenario, july):
    report = indicators_report(period=july)
    a, b = report.rows
    # A: received 9 (online 1, 5, 14); resolved 1, 2, 7, 8 (in time: 1, 2); procedures PA partial,
    # PA2 full; ratings in July 5, 4, 2 (the June rating is not counted).
    assert (a["code"], a["received"], a["received_online"], a["online_share"]) == (
        "000.00.01.H57",
        9,
        3,
        0.3333,
    )
    assert (a["resolved"], a["resolved_in_time"], a["on_time_rate"]) == (4, 2, 0.5)
    assert (a["procedures"], a["online_full_share"], a["online_partial_share"]) == (2, 0.5, 0.5)
    assert (a["ratings"], a["rating_mean"], a["rating_good_share"]) == (3, 3.67, 0.6667)
    # B: received 18 (online), 19; resolved 18 on time, 20 late; PB partial; one rating of 3.
    assert (b["received"], b["online_share"], b["on_time_rate"]) == (2, 0.5, 0.5)
    assert (b["online_full_share"], b["online_partial_share"], b["rating_mean"], b["rating_good_share"]) == (
        0.0,
        1.0,
        3.0,
        0.0,
    )
    t = report.totals
    assert (t["received"], t["received_online"], t["online_share"]) == (11, 4, 0.3636)
    assert (t["resolved"], t["resolved_in_time"], t["on_time_rate"]) == (6, 3, 0.5)
    assert (t["procedures"], t["online_full_share"], t["online_partial_share"]) == (3, 0.3333, 0.6667)
    assert (t["ratings"], t["rating_mean"], t["rating_good_share"]) == (4, 3.5, 0.5)
