"""A benchmark writes only to a database made for benchmarks (core.benchdb)."""

import datetime as dt

import pytest
from django.db import connection

from core.benchdb import MARKER_TABLE, NotABenchDatabase, claim_bench_database, is_bench_database
from tests.factories import make_procedure

pytestmark = pytest.mark.django_db


def test_a_database_with_tables_and_no_marker_is_refused():
    assert connection.introspection.table_names()  # the migrated test database
    with pytest.raises(NotABenchDatabase, match="not created for benchmarks"):
        claim_bench_database(create=False)
    assert not is_bench_database()


def test_a_marked_database_is_accepted():
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {MARKER_TABLE} (created_at TIMESTAMP NOT NULL)")
    assert claim_bench_database(create=False) == "known"


def test_the_sweep_benchmark_does_not_truncate_a_database_it_did_not_create():
    from benchmarks import bench_sweep
    from workflows.models import Dossier

    make_procedure()
    before = Dossier.objects.count()
    with pytest.raises(NotABenchDatabase):
        bench_sweep.seed(10, dt.timedelta(seconds=60))
    assert Dossier.objects.count() == before
