"""Fixtures for the workflow tests: staff users with roles, and an office clock set to real dates."""

import datetime as dt
import zoneinfo

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tests.factories import AgencyFactory
from workflows import clock as clock_module
from workflows.models import StaffProfile

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")

APPLICANT = {
    "kind": "person",
    "name": "Nguyễn Văn An",
    "id_number": "001090012345",
    "phone": "0912345678",
    "email": "an@example.vn",
    "address": "12 Lê Lợi, Huế",
}


def local(*args) -> dt.datetime:
    """An office-clock time, e.g. ``local(2026, 3, 2, 8, 0)``."""
    return dt.datetime(*args, tzinfo=HCM)


class Clock:
    def __init__(self, when: dt.datetime):
        self.now = when

    def set(self, *args) -> dt.datetime:
        self.now = local(*args)
        return self.now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    """Monday 2 March 2026, 08:00 on the office clock, until a test moves it."""
    fake = Clock(local(2026, 3, 2, 8, 0))
    monkeypatch.setattr(clock_module, "now", fake)
    return fake


_counter = iter(range(1, 1_000_000))


@pytest.fixture
def make_staff(db):
    def make(agency, *roles, username=None):
        user = get_user_model().objects.create_user(username=username or f"u{next(_counter)}", password="x")
        StaffProfile.objects.create(user=user, agency=agency)
        user.groups.add(*[Group.objects.get_or_create(name=role)[0] for role in roles])
        return get_user_model().objects.get(pk=user.pk)

    return make


@pytest.fixture
def agency(db):
    return AgencyFactory()


@pytest.fixture
def reception(make_staff, agency):
    return make_staff(agency, "reception")


@pytest.fixture
def specialist(make_staff, agency):
    return make_staff(agency, "specialist")


@pytest.fixture
def head(make_staff, agency):
    return make_staff(agency, "head")


@pytest.fixture
def registered(clock, agency, reception):
    """A dossier just registered at ``agency``, with an original and two certified copies."""
    from tests.factories import make_procedure
    from workflows import services

    dossier, _ = services.dossier_register(
        procedure=make_procedure(agency=agency),
        applicant=APPLICANT,
        channel="in_person",
        documents=["Đơn đề nghị", {"name": "Bản sao CCCD", "kind": "copy", "count": 2}],
        by=reception,
    )
    return dossier
