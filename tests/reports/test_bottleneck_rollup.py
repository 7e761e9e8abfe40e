"""The bottleneck report from the task rollup equals the direct queries' report (any backend).

Randomized tasks (seeded): several steps at several agencies; finished near the local midnight;
hours on whole hours, ties, None, any value; late and not; open tasks (never counted). The rollup
is built up to one day, refreshed to a later one and corrected; every period is compared, with
and without an agency scope.
"""

import datetime as dt
import random

import pytest
from django.core.cache import cache
from django.utils import timezone

from reports.bottleneck_rollup import rolled_bottleneck_counts
from reports.bottlenecks import bottleneck_report
from reports.models import RollupTaskHours, RollupTasks
from reports.periods import make_period
from reports.rollup import CACHE_KEY, NOT_PUBLISHED, mark_dirty, rebuild, refresh
from tests.factories import AgencyFactory, make_procedure
from workflows.models import DossierTask

from .factories import local, make_dossier, task

D = dt.date


def _hours(rng: random.Random) -> float | None:
    kind = rng.random()
    if kind < 0.1:
        return None
    if kind < 0.5:
        return rng.choice([0.0, 1.0, 2.0, 2.0, 3.5, 3.999999, 4.0, 4.0, 4.0000001, 8.0])
    return rng.uniform(0, 60)


def _instant(rng: random.Random) -> dt.datetime:
    day = D(2026, 5, 1) + dt.timedelta(days=rng.randrange(150))
    minute = rng.choice([0, 1, 1439, 1438]) if rng.random() < 0.3 else rng.randrange(1440)
    return local(day.year, day.month, day.day) + dt.timedelta(minutes=minute, seconds=rng.randrange(60))


@pytest.fixture
def province(db):
    rng = random.Random(14)
    agencies = [AgencyFactory(code=f"000.00.{n:02d}.H57", name=f"Cơ quan {n}") for n in (1, 2, 3)]
    procedures = [
        make_procedure(
            code=f"1.00000{i}",
            agency=agencies[i],
            steps=[
                {"name": "Tiếp nhận", "budget_hours": 4},
                {"name": "Thẩm định", "budget_hours": 8, "agency": agencies[(i + 1) % 3]},
                {"name": "Phê duyệt", "budget_hours": 2, "agency": agencies[(i + 2) % 3]},
            ],
        )
        for i in range(2)
    ]
    steps = [s for p in procedures for s in p.current_version.steps.all()]
    for _ in range(70):
        procedure = rng.choice(procedures)
        finished = _instant(rng)
        dossier = make_dossier(
            procedure=procedure,
            received_at=finished - dt.timedelta(days=20),
            finished_at=finished + dt.timedelta(days=rng.choice([0, 1, 40])),
            result="approved",
            verdict=rng.choice(["early", "late"]),
        )
        for step in rng.sample([s for s in steps if s.version_id == procedure.current_version_id], 2):
            at = finished - dt.timedelta(hours=rng.randrange(0, 72))
            wait, work = _hours(rng), _hours(rng)
            made = task(
                dossier,
                step=step,
                finished_at=at,
                wait_hours=wait or 0,
                work_hours=work or 0,
                verdict=rng.choice(["early", "on_time", "late"]),
                status="done" if rng.random() < 0.9 else "open",
            )
            DossierTask.objects.filter(pk=made.pk).update(wait_hours=wait, work_hours=work)
    return agencies


def _periods(rng: random.Random):
    tz = timezone.get_default_timezone()
    yield make_period(date_from=D(2026, 1, 1), date_to=D(2026, 12, 31), tz=tz)
    yield make_period(date_from=D(2026, 7, 1), date_to=D(2026, 9, 30), tz=tz)
    for _ in range(6):
        first = D(2026, 5, 1) + dt.timedelta(days=rng.randrange(140))
        yield make_period(date_from=first, date_to=first + dt.timedelta(days=rng.randrange(70)), tz=tz)


def _compare(agencies, seed: str) -> int:
    rng = random.Random(seed)
    compared = 0
    for period in _periods(rng):
        for scope in (None, [agencies[1].id], [agencies[0].id, agencies[2].id]):
            cache.set(CACHE_KEY, "yes", None)
            assert rolled_bottleneck_counts(period=period, agency_ids=scope) is not None
            rolled = bottleneck_report(period=period, agency_ids=scope).as_dict()
            cache.set(CACHE_KEY, NOT_PUBLISHED, None)  # the direct report
            direct = bottleneck_report(period=period, agency_ids=scope).as_dict()
            assert rolled == direct, (period, scope)
            compared += len(direct["rows"])
    return compared


def test_the_rolled_up_report_equals_the_direct_one(province, django_capture_on_commit_callbacks):
    rebuild(until=D(2026, 7, 10))
    assert RollupTasks.objects.exists() and RollupTaskHours.objects.exists()
    assert _compare(province, "built") > 50
    refresh(until=D(2026, 8, 3))
    refresh(until=D(2026, 9, 15))
    assert _compare(province, "refreshed") > 50
    DossierTask.objects.filter(finished_at__lt=local(2026, 6, 1)).update(work_hours=7.5)
    mark_dirty(D(2026, 4, 20))  # the earliest corrected task finished on 28 April
    refresh(until=D(2026, 9, 15))
    assert _compare(province, "corrected") > 50
    cache.set(CACHE_KEY, "yes", None)
    period = make_period(date_from=D(2026, 5, 1), date_to=D(2026, 5, 31), tz=timezone.get_default_timezone())
    report = bottleneck_report(period=period).as_dict()
    assert {r["median_work_hours"] for r in report["rows"]} == {7.5}


def test_a_bucket_that_disagrees_with_its_counts_reads_directly(province):
    rebuild(until=D(2026, 10, 1))
    cache.set(CACHE_KEY, "yes", None)
    period = make_period(date_from=D(2026, 6, 1), date_to=D(2026, 8, 31), tz=timezone.get_default_timezone())
    assert rolled_bottleneck_counts(period=period, agency_ids=None) is not None
    RollupTaskHours.objects.filter(kind="work_hours").update(n=1000)
    assert rolled_bottleneck_counts(period=period, agency_ids=None) is None
    rolled = bottleneck_report(period=period).as_dict()
    cache.set(CACHE_KEY, NOT_PUBLISHED, None)
    assert rolled == bottleneck_report(period=period).as_dict()


def test_a_buckets_least_and_greatest_give_ties_and_its_ends_without_a_read():
    from reports.bottleneck_rollup import known_value
    from reports.rollup_tasks import add_bucket

    buckets: dict = {}
    add_bucket(buckets, 6, 3, 6.0, 6.0)
    add_bucket(buckets, 6, 2, 6.0, 6.0)
    assert buckets[6] == [5, 6.0, 6.0]
    assert [known_value(buckets[6], offset) for offset in range(5)] == [6.0] * 5
    add_bucket(buckets, 6, 1, 6.25, 6.5)
    assert buckets[6] == [6, 6.0, 6.5]
    assert [known_value(buckets[6], offset) for offset in range(6)] == [6.0, None, None, None, None, 6.5]
