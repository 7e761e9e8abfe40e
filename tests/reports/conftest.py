import datetime as dt

import pytest
from django.utils import timezone

from reports.periods import make_period

from . import scenario as scenario_module


@pytest.fixture
def scenario(db):
    return scenario_module.build()


@pytest.fixture
def july():
    return make_period(
        date_from=dt.date(2026, 7, 1), date_to=dt.date(2026, 7, 31), tz=timezone.get_default_timezone()
    )
