"""``manage.py refresh_report_rollup`` and the refresh's bookkeeping."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from reports.models import RollupFlow, RollupState
from reports.rollup import mark_dirty, office_today, refresh

from .factories import local, make_dossier


def test_the_command_rolls_up_the_closed_days_and_refuses_a_bad_date(scenario):
    out = io.StringIO()
    call_command("refresh_report_rollup", stdout=out)
    state = RollupState.objects.get()
    assert state.rolled_until == office_today()
    assert "Rolled up until" in out.getvalue()
    assert RollupFlow.objects.filter(day=dt.date(2026, 7, 2)).exists()
    with pytest.raises(CommandError, match="not a date"):
        call_command("refresh_report_rollup", "--since", "2026-13-01")


def test_a_correction_of_the_past_is_redone_by_the_next_refresh(db, scenario):
    def received_on_the_15th():
        rows = RollupFlow.objects.filter(day=dt.date(2026, 7, 15), agency_id=scenario.a.id)
        return rows.aggregate(n=Sum("received"))["n"] or 0

    refresh(until=dt.date(2026, 9, 1))
    before = received_on_the_15th()
    make_dossier(procedure=scenario.pa, received_at=local(2026, 7, 15, 10), channel="postal")
    refresh(until=dt.date(2026, 9, 1))  # not marked: a closed day is not read again
    assert received_on_the_15th() == before
    mark_dirty(dt.date(2026, 7, 15))
    assert RollupState.objects.get().dirty_from == dt.date(2026, 7, 15)
    refresh(until=dt.date(2026, 9, 1))
    assert RollupState.objects.get().dirty_from is None
    assert received_on_the_15th() == before + 1


def test_a_lost_cache_is_answered_from_the_database_and_cached_again(db, scenario):
    from django.core.cache import cache

    from reports.rollup import CACHE_KEY, NOT_PUBLISHED, published

    cache.delete(CACHE_KEY)
    assert published() is False  # no rollup yet: the database says so
    assert cache.get(CACHE_KEY) == NOT_PUBLISHED  # and that is cached (for a minute)
    refresh(until=dt.date(2026, 9, 1))
    cache.delete(CACHE_KEY)  # a flushed or restarted cache after the refresh
    assert published() is True
    assert cache.get(CACHE_KEY) == "2026-09-01"
    cache.set(CACHE_KEY, NOT_PUBLISHED, None)  # the switch the equivalence tests use
    assert published() is False
