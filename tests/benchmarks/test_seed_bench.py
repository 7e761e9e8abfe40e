"""``manage.py seed_bench`` refuses a database that was not created for benchmarks."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from workflows.models import Dossier


@pytest.mark.django_db
def test_seed_bench_refuses_the_test_database():
    with pytest.raises(CommandError) as caught:
        call_command("seed_bench", dossiers=10)
    expected = "not created for benchmarks" if connection.vendor == "postgresql" else "needs PostgreSQL"
    assert expected in str(caught.value)
    assert not Dossier.objects.exists()
