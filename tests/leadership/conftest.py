"""Dashboard fixtures: the reports' July 2026 scenario, with processing times and late steps, and
staff of its two agencies."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from reports.periods import make_period
from tests.reports import scenario as scenario_module
from tests.reports.factories import local, make_dossier, task
from workflows.models import StaffProfile

JULY = "period=custom&from=2026-07-01&to=2026-07-31"


def july():
    return make_period(
        date_from=dt.date(2026, 7, 1), date_to=dt.date(2026, 7, 31), tz=timezone.get_default_timezone()
    )


def add_timed_dossiers(procedure, hours, *, late_tasks: int):
    """Dossiers resolved in July with known processing hours, each with one finished step."""
    for index, h in enumerate(hours):
        dossier = make_dossier(
            procedure=procedure,
            received_at=local(2026, 7, 1, 9),
            due_at=local(2026, 7, 20, 17),
            finished_at=local(2026, 7, 15, 9),
            result="approved",
            verdict="late" if index < late_tasks else "on_time",
            processing_hours=h,
        )
        task(
            dossier,
            finished_at=local(2026, 7, 14, 9),
            wait_hours=2 + index,
            work_hours=h - 2 - index,
            verdict="late" if index < late_tasks else "on_time",
        )


@pytest.fixture
def scenario(db):
    built = scenario_module.build()
    add_timed_dossiers(built.pa, (20, 40, 60), late_tasks=1)
    add_timed_dossiers(built.pb, (50, 70, 90), late_tasks=2)
    return built


@pytest.fixture
def make_user(db):
    def make(username, *roles, agency=None):
        user = get_user_model().objects.create_user(username=username, password="x")
        if agency is not None:
            StaffProfile.objects.create(user=user, agency=agency)
        user.groups.add(*[Group.objects.get_or_create(name=role)[0] for role in roles])
        return user

    return make
