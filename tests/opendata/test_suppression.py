"""Suppression of small cells: pure functions, no database."""

from reports.opendata import MONTHLY_RELATIONS, monthly_public, suppress

RAW = {
    "month": "2026-07",
    "code": "X",
    "name": "Sở X",
    "received": 12,
    "resolved_total": 10,
    "resolved_early": 2,
    "resolved_on_time": 6,
    "resolved_late": 2,
    "in_progress_total": 7,
    "in_progress_overdue": 0,
    "ratings": 3,
    "rating_sum": 12,
    "mean_days": 3.5,
    "p90_days": 6.0,
}


def test_counts_below_the_threshold_are_empty_zeros_and_large_counts_stay():
    row = monthly_public(RAW, 5)
    assert (row["received"], row["in_progress_total"], row["in_progress_overdue"]) == (12, 7, 0)
    assert row["resolved_early"] is None and row["resolved_late"] is None
    assert row["ratings"] is None and row["rating_mean"] is None


def test_a_rate_is_empty_when_a_count_behind_it_is():
    row = monthly_public(RAW, 5)
    assert row["on_time_rate"] is None
    assert (row["mean_days"], row["p90_days"]) == (3.5, 6.0)  # resolved_total (10) is published


def test_with_threshold_one_nothing_is_hidden_and_rates_are_computed():
    row = monthly_public(RAW, 1)
    assert row["on_time_rate"] == 0.8
    assert row["rating_mean"] == 4.0
    assert row["resolved_early"] == 2


def test_means_are_empty_when_few_dossiers_were_resolved():
    row = monthly_public(
        {**RAW, "resolved_total": 4, "resolved_early": 0, "resolved_on_time": 4, "resolved_late": 0}, 5
    )
    assert (row["resolved_total"], row["mean_days"], row["p90_days"], row["on_time_rate"]) == (None,) * 4


def test_one_hidden_part_of_a_published_total_hides_another_part():
    row = suppress(
        {"resolved_total": 20, "resolved_early": 3, "resolved_on_time": 17, "resolved_late": 0},
        counts=["resolved_total", "resolved_early", "resolved_on_time", "resolved_late"],
        relations=MONTHLY_RELATIONS,
        limit=5,
    )
    # early = 20 - 17 - 0 would give the hidden 3 back: the smallest other part (0) goes too.
    assert row == {
        "resolved_total": 20,
        "resolved_early": None,
        "resolved_on_time": 17,
        "resolved_late": None,
    }


def test_no_hidden_part_is_recomputable_from_a_published_total():
    row = suppress(
        {"resolved_total": 30, "resolved_early": 1, "resolved_on_time": 20, "resolved_late": 9},
        counts=["resolved_total", "resolved_early", "resolved_on_time", "resolved_late"],
        relations=MONTHLY_RELATIONS,
        limit=5,
    )
    hidden = [k for k in ("resolved_early", "resolved_on_time", "resolved_late") if row[k] is None]
    assert len(hidden) != 1
