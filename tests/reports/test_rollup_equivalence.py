"""The rollup-backed reports give exactly the direct queries' figures (any backend).

Randomized dossiers (seeded, so a failure is reproducible): several agencies, procedures, fields,
versions and channels; received, refused at intake, finished early / on time / late (with and
without an apology), withdrawn (with and without ``withdrawn_at``), waiting for a supplement,
paused before, across and after their due time; instants near the local midnight, so that days
are cut on the office clock. The rollup is built up to one day, refreshed to a later one, and
corrected; every report is compared with the direct one for many periods.
"""

import datetime as dt
import random

import pytest
from django.utils import timezone

from procedures.models import DurationUnit
from reports._query import GROUP_FIELDS, _resolved
from reports.cutting_percentiles import histograms, rolled_percentiles
from reports.cutting_rollup import rolled_cutting_aggregates
from reports.models import RollupState
from reports.performance import cutting_report
from reports.periods import make_period
from reports.processing_direct import direct_processing_counts
from reports.rollup import CACHE_KEY, NOT_PUBLISHED, mark_dirty, rebuild, refresh
from reports.rollup_read import rolled_processing_counts
from reports.stats import percentiles_by_sets
from tests.factories import AgencyFactory, FieldFactory, make_procedure
from workflows.models import Dossier
from workflows.models import DossierStatus as S

from .factories import add_version, local, make_dossier, pause

GROUPS = ("agency", "field", "procedure", "level")
FIRST = dt.date(2026, 5, 1)


def _instant(rng: random.Random, day: dt.date) -> dt.datetime:
    """Often within minutes of a local midnight, otherwise any time of the day."""
    if rng.random() < 0.3:
        minute = rng.choice([0, 1, 23 * 60 + 59, 23 * 60 + 58])
    else:
        minute = rng.randrange(24 * 60)
    return local(day.year, day.month, day.day) + dt.timedelta(minutes=minute, seconds=rng.randrange(60))


def _catalog():
    agencies = [AgencyFactory(code=f"000.00.{n:02d}.H57", name=f"Cơ quan {n}") for n in (1, 2, 3)]
    fields = [FieldFactory(code="F1", name="Một"), FieldFactory(code="F2", name="Hai")]
    procedures = [
        make_procedure(code="1.000001", agency=agencies[0], field=fields[0]),
        make_procedure(
            code="1.000002",
            agency=agencies[0],
            field=fields[1],
            committed=(10, DurationUnit.CALENDAR_DAYS),
        ),
        make_procedure(
            code="1.000003", agency=agencies[1], field=fields[1], committed=(40, DurationUnit.WORKING_HOURS)
        ),
        make_procedure(code="1.000004", agency=agencies[2], field=fields[0]),
    ]
    v2 = add_version(
        procedures[0], number=2, committed=(5, DurationUnit.WORKING_DAYS), effective_from=local(2026, 6, 1)
    )
    return agencies, procedures, v2


def _hours(rng: random.Random) -> float | None:
    """None, a value on or next to a whole hour (the rollup's buckets), a tie, or any value."""
    kind = rng.random()
    if kind < 0.1:
        return None
    if kind < 0.4:
        return rng.choice([0.0, 2.0, 3.0, 3.5, 3.999999, 4.0, 4.0000001, 8.0, 8.0])
    return rng.uniform(1, 200)


def _random_dossier(rng: random.Random, procedures, v2) -> None:
    procedure = rng.choice(procedures)
    version = v2 if procedure.code == "1.000001" and rng.random() < 0.5 else procedure.versions.first()
    received = _instant(rng, FIRST + dt.timedelta(days=rng.randrange(120)))
    due = received + dt.timedelta(days=rng.randrange(1, 20), hours=rng.randrange(24))
    channel = rng.choice(["online", "in_person", "postal"])
    kind = rng.random()
    common = dict(procedure=procedure, version=version, channel=channel, received_at=received, due_at=due)
    if kind < 0.06:
        make_dossier(**common, status=S.REJECTED)
        return
    if kind < 0.14:
        at = received + dt.timedelta(days=rng.randrange(0, 15), minutes=rng.randrange(1440))
        d = make_dossier(**common, status=S.WITHDRAWN, updated_at=at)
        if rng.random() < 0.7:
            Dossier.objects.filter(pk=d.pk).update(withdrawn_at=at)
        if rng.random() < 0.3:
            pause(d, started_at=received + (at - received) / 2, ended_at=None if rng.random() < 0.5 else at)
        return
    if kind < 0.3:  # still open
        d = make_dossier(**common)
        if rng.random() < 0.5:
            start = received + dt.timedelta(days=rng.randrange(0, 25), hours=rng.randrange(24))
            ended = None if rng.random() < 0.6 else start + dt.timedelta(days=rng.randrange(1, 10))
            pause(d, started_at=start, ended_at=ended)
            if ended is None:
                Dossier.objects.filter(pk=d.pk).update(status=S.WAITING_SUPPLEMENT, paused_at=start)
        return
    finished = received + dt.timedelta(days=rng.randrange(0, 30), minutes=rng.randrange(1440))
    verdict = rng.choice(["early", "on_time", "late"])
    d = make_dossier(
        **common,
        status=S.RESULT_READY if rng.random() < 0.2 else S.PROCESSING,
        finished_at=finished,
        result=rng.choice(["approved", "approved", "refused"]),
        verdict=verdict,
        extended=verdict == "late" and rng.random() < 0.5,
        processing_hours=_hours(rng),
    )
    if rng.random() < 0.4:  # a pause before the finish, across or around the due time
        start = received + (finished - received) * rng.random()
        pause(d, started_at=start, ended_at=start + (finished - start) * rng.random())


@pytest.fixture
def province(db):
    rng = random.Random(20261201)
    agencies, procedures, v2 = _catalog()
    for _ in range(400):
        _random_dossier(rng, procedures, v2)
    return agencies


def _periods(rng: random.Random):
    tz = timezone.get_default_timezone()
    yield make_period(date_from=dt.date(2026, 5, 1), date_to=dt.date(2026, 12, 31), tz=tz)
    for month in (5, 6, 7, 8, 9):
        first = dt.date(2026, month, 1)
        last = dt.date(2026, month + 1, 1) - dt.timedelta(days=1)
        yield make_period(date_from=first, date_to=last, tz=tz)
    for _ in range(6):
        first = FIRST + dt.timedelta(days=rng.randrange(150))
        yield make_period(date_from=first, date_to=first + dt.timedelta(days=rng.randrange(40)), tz=tz)


def _by_key(rows):
    return sorted(rows, key=lambda r: str(r["key"]))


def _assert_same(province, label):
    rng = random.Random(label)
    scopes = [None, [province[0].id], [province[1].id, province[2].id]]
    for period in _periods(rng):
        for group_by in GROUPS:
            for scope in scopes:
                direct = direct_processing_counts(period=period, group_by=group_by, agency_ids=scope)
                rolled = rolled_processing_counts(period=period, group_by=group_by, agency_ids=scope)
                assert rolled is not None
                assert _by_key(rolled) == _by_key(direct), (label, period.as_dict(), group_by, scope)


def _differences(a, b, path=""):
    """Where two reports differ (readable failures)."""
    if isinstance(a, dict) and isinstance(b, dict):
        keys = sorted(set(a) | set(b), key=str)
        return [d for k in keys for d in _differences(a.get(k), b.get(k), f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        pairs = enumerate(zip(a, b, strict=True))
        return [d for i, (x, y) in pairs for d in _differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [(path, a, b)]


def _assert_same_percentiles(period, group_by, scope):
    """The rollup's medians and p90 are percentile_cont's doubles, not only after rounding."""
    until = RollupState.objects.get().rolled_until
    cells = histograms(period, scope, until)
    rolled = rolled_percentiles(
        period=period,
        group_by=group_by,
        agency_ids=scope,
        rolled_until=until,
        expected={cell: sum(h.values()) for cell, h in cells.items()},
    )
    direct = percentiles_by_sets(
        _resolved(period, scope),
        sets=[[GROUP_FIELDS[group_by]], ["procedure_id", "version_id"], []],
        value="processing_hours",
    )
    without_values = [{k: v for k, v in d.items() if any(x is not None for x in v.values())} for d in direct]
    assert rolled == without_values, (period.as_dict(), group_by, scope)


def _assert_cutting_same(province, label, cache_key_on):
    rng = random.Random(label)
    for period in _periods(rng):
        for group_by in ("procedure", "field", "agency"):
            for scope in (None, [province[0].id]):
                from django.core.cache import cache

                cache.set(CACHE_KEY, NOT_PUBLISHED, None)
                direct = cutting_report(period=period, group_by=group_by, agency_ids=scope).as_dict()
                cache_key_on()
                assert rolled_cutting_aggregates(period=period, group_by=group_by, agency_ids=scope)
                _assert_same_percentiles(period, group_by, scope)
                rolled = cutting_report(period=period, group_by=group_by, agency_ids=scope).as_dict()
                diff = _differences(rolled, direct)
                assert not diff, (label, period.as_dict(), group_by, scope, diff)


def test_rolled_up_reports_equal_the_direct_ones(province, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    def publish():
        cache.set(CACHE_KEY, "yes", None)

    publish()
    # Built up to 10 July: June is closed, the later days are live.
    rebuild(until=dt.date(2026, 7, 10))
    _assert_same(province, "rebuilt")
    _assert_cutting_same(province, "rebuilt", publish)
    # Two incremental refreshes; the second rolls up the rest of the data.
    assert refresh(until=dt.date(2026, 8, 3))["until"] == dt.date(2026, 8, 3)
    _assert_same(province, "refreshed")
    _assert_cutting_same(province, "refreshed", publish)
    refresh(until=dt.date(2026, 12, 1))
    _assert_same(province, "refreshed twice")
    _assert_cutting_same(province, "refreshed twice", publish)
    # A correction of the past: a dossier moved to another day, marked dirty, refreshed again.
    moved = Dossier.objects.filter(status=S.RETURNED).order_by("pk").first()
    Dossier.objects.filter(pk=moved.pk).update(finished_at=moved.finished_at - dt.timedelta(days=3))
    mark_dirty((moved.finished_at - dt.timedelta(days=4)).date())
    refresh(until=dt.date(2026, 12, 1))
    _assert_same(province, "corrected")
    _assert_cutting_same(province, "corrected", publish)


def test_without_a_refresh_the_reports_read_directly(province):
    period = make_period(
        date_from=dt.date(2026, 6, 1), date_to=dt.date(2026, 6, 30), tz=timezone.get_default_timezone()
    )
    assert rolled_processing_counts(period=period, group_by="agency") is None


def test_indicators_and_dashboard_from_the_rollup_equal_the_direct_ones(province):
    from django.core.cache import cache

    from reports.indicators import dashboard, indicators_report, monthly_counts

    rebuild(until=dt.date(2026, 7, 20))
    for period in _periods(random.Random("indicators")):
        for scope in (None, [province[0].id]):
            cache.set(CACHE_KEY, NOT_PUBLISHED, None)
            direct = (
                indicators_report(period=period, agency_ids=scope).as_dict(),
                monthly_counts(period=period, agency_ids=scope),
                dashboard(period=period, agency_ids=scope),
            )
            cache.set(CACHE_KEY, "yes", None)
            rolled = (
                indicators_report(period=period, agency_ids=scope).as_dict(),
                monthly_counts(period=period, agency_ids=scope),
                dashboard(period=period, agency_ids=scope),
            )
            assert not _differences(list(rolled), list(direct)), (period.as_dict(), scope)
