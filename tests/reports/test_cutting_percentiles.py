"""The cutting report's exact medians and p90 from the hours rollup (``reports.order_stats`` pure;
``reports.cutting_percentiles`` against ``percentile_cont`` on the database, any backend)."""

import datetime as dt
import math
import random

import pytest
from django.core.cache import cache
from django.utils import timezone

from reports._query import _resolved
from reports.cutting_percentiles import histograms, rolled_percentiles
from reports.cutting_rollup import rolled_cutting_aggregates
from reports.models import RollupHours
from reports.order_stats import interpolate, locate, merge, next_month, ranks, rolled_months
from reports.performance import cutting_report
from reports.periods import make_period
from reports.rollup import CACHE_KEY, NOT_PUBLISHED, rebuild, refresh
from reports.stats import percentiles_by_sets
from tests.factories import AgencyFactory, make_procedure

from .factories import local, make_dossier

D = dt.date


def _sorted_percentile(values: list[float], p: float) -> float:
    """``percentile_cont`` over a sorted list, as PostgreSQL defines it."""
    lo, hi, proportion = ranks(len(values), p)
    return interpolate(values[lo], values[hi], proportion, same_rank=lo == hi)


def _from_buckets(values: list[float], p: float) -> float:
    """The same figure found through the counts per whole hour, as the rollup does."""
    histogram: dict[int, int] = {}
    by_bucket: dict[int, list[float]] = {}
    for v in values:
        histogram[math.floor(v)] = histogram.get(math.floor(v), 0) + 1
        by_bucket.setdefault(math.floor(v), []).append(v)
    lo, hi, proportion = ranks(len(values), p)
    (lo_b, lo_o), (hi_b, hi_o) = locate(histogram, lo), locate(histogram, hi)
    pick = sorted(by_bucket[lo_b])[lo_o], sorted(by_bucket[hi_b])[hi_o]
    return interpolate(*pick, proportion, same_rank=lo == hi)


def test_an_even_count_median_is_the_mean_of_the_two_middle_values():
    values = [1.0, 2.5, 2.75, 9.0]
    assert ranks(4, 0.5) == (1, 2, 0.5)
    assert _from_buckets(values, 0.5) == 2.625
    assert _from_buckets(values, 0.9) == pytest.approx(7.125)  # ranks 2 and 3: two buckets
    assert _from_buckets([5.0], 0.9) == 5.0
    assert _from_buckets([4.0, 4.0, 4.999, 5.0], 0.5) == pytest.approx(4.4995)


def test_the_buckets_give_the_sorted_lists_figure_exactly():
    rng = random.Random(14)
    for size in [*range(1, 40), 99, 100, 101, 1000]:
        values = sorted(rng.choice([rng.uniform(0, 30), float(rng.randrange(30))]) for _ in range(size))
        for p in (0.5, 0.9):
            assert _from_buckets(values, p) == _sorted_percentile(values, p), (size, p)


def test_locate_and_merge():
    histogram = merge([{2: 1, 9: 1}, {2: 2}])
    assert histogram == {2: 3, 9: 1}
    assert [locate(histogram, r) for r in range(4)] == [(2, 0), (2, 1), (2, 2), (9, 0)]
    with pytest.raises(ValueError):
        locate(histogram, 4)


def test_the_months_a_period_reads_from_the_rollup():
    assert next_month(D(2025, 12, 5)) == D(2026, 1, 1)
    assert rolled_months(D(2025, 1, 1), D(2026, 1, 1), D(2026, 3, 1)) == (D(2025, 1, 1), D(2026, 1, 1))
    # Rolled up until 10 July: July's row holds 1–9 July, the rest of the year is live.
    assert rolled_months(D(2025, 1, 1), D(2026, 1, 1), D(2025, 7, 10)) == (D(2025, 1, 1), D(2025, 8, 1))
    # A partial first month is read live; so is a partial last one.
    assert rolled_months(D(2025, 1, 15), D(2025, 4, 1), D(2026, 1, 1)) == (D(2025, 2, 1), D(2025, 4, 1))
    assert rolled_months(D(2025, 7, 1), D(2025, 9, 11), D(2025, 9, 15)) == (D(2025, 7, 1), D(2025, 9, 1))
    assert rolled_months(D(2025, 7, 2), D(2025, 7, 30), D(2026, 1, 1)) is None
    assert rolled_months(D(2025, 7, 1), D(2025, 8, 1), D(2025, 7, 1)) is None


@pytest.fixture
def two_procedures(db):
    agency = AgencyFactory(code="000.00.09.H57")
    first, second = (
        make_procedure(code="9.000001", agency=agency),
        make_procedure(code="9.000002", agency=agency),
    )
    hours = [(first, 1.0), (first, 2.5), (first, 2.75), (first, 9.0), (first, None), (second, 4.0)]
    for day, (procedure, value) in enumerate(hours, start=3):
        make_dossier(
            procedure=procedure,
            received_at=local(2026, 5, 1),
            finished_at=local(2026, 6, day, 9),
            result="approved",
            verdict="early",
            processing_hours=value,
        )
    return first, second


def _june():
    return make_period(date_from=D(2026, 6, 1), date_to=D(2026, 6, 30), tz=timezone.get_default_timezone())


def _expected(period):
    resolved = _resolved(period, None)
    return percentiles_by_sets(
        resolved, sets=[["procedure_id"], ["procedure_id", "version_id"], []], value="processing_hours"
    )


@pytest.mark.parametrize("until", [D(2026, 6, 5), D(2026, 7, 1)])
def test_rolled_percentiles_are_percentile_conts_doubles(two_procedures, until):
    first, second = two_procedures
    rebuild(until=until)  # June partly rolled up (its 1st–4th), the rest live; or all of it
    period = _june()
    cells = histograms(period, None, until)
    expected = {cell: sum(h.values()) for cell, h in cells.items()}
    assert expected == {
        (first.receiving_agency_id, first.id, first.current_version_id): 4,
        (second.receiving_agency_id, second.id, second.current_version_id): 1,
    }
    rolled = rolled_percentiles(
        period=period, group_by="procedure", agency_ids=None, rolled_until=until, expected=expected
    )
    assert rolled == _expected(period)
    assert rolled[0][(first.id,)]["processing_hours_p50"] == 2.625
    assert rolled[2][()]["processing_hours_p50"] == 2.75


def test_counts_that_disagree_with_the_flows_read_directly(two_procedures):
    cache.set(CACHE_KEY, "yes", None)
    period = _june()
    rebuild(until=D(2026, 7, 1))
    assert rolled_cutting_aggregates(period=period, group_by="procedure", agency_ids=None) is not None
    RollupHours.objects.filter(bucket=9).delete()  # an hours rollup behind the flows
    assert rolled_cutting_aggregates(period=period, group_by="procedure", agency_ids=None) is None
    rolled = cutting_report(period=period).as_dict()
    cache.set(CACHE_KEY, NOT_PUBLISHED, None)  # the direct report
    assert rolled == cutting_report(period=period).as_dict()


def test_a_refresh_adds_the_new_days_to_the_months_rows(two_procedures):
    rebuild(until=D(2026, 6, 5))
    assert sum(RollupHours.objects.values_list("n", flat=True)) == 2  # 3 and 4 June
    refresh(until=D(2026, 6, 7))
    assert sum(RollupHours.objects.values_list("n", flat=True)) == 4
    refresh(until=D(2026, 7, 1))
    june = RollupHours.objects.filter(month=D(2026, 6, 1))
    assert sorted(june.values_list("bucket", "n")) == [(1, 1), (2, 2), (4, 1), (9, 1)]
