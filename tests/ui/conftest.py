"""Fixtures for the staff UI: two agencies, a two-stage inter-agency procedure with its required
documents, staff of every role at both agencies, and a client logged in as one of them."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from procedures.models import RequiredDocument
from tests.factories import AgencyFactory, make_procedure
from tests.workflows.conftest import APPLICANT, HCM, Clock, local  # noqa: F401
from workflows import clock as clock_module
from workflows import services
from workflows.models import StaffProfile

PASSWORD = "pw-Test-1234"


@pytest.fixture
def clock(monkeypatch):
    """Monday 2 March 2026, 08:00 on the office clock."""
    fake = Clock(local(2026, 3, 2, 8, 0))
    monkeypatch.setattr(clock_module, "now", fake)
    return fake


@pytest.fixture
def agencies(db):
    return AgencyFactory(name="Sở Tư pháp"), AgencyFactory(name="Sở Tài chính")


_counter = iter(range(1, 1_000_000))


@pytest.fixture
def make_staff(db):
    def make(agency, *roles, username=None):
        user = get_user_model().objects.create_user(
            username=username or f"ui{next(_counter)}", password=PASSWORD, first_name="", last_name=""
        )
        if agency is not None:
            StaffProfile.objects.create(user=user, agency=agency)
        user.groups.add(*[Group.objects.get_or_create(name=role)[0] for role in roles])
        return get_user_model().objects.get(pk=user.pk)

    return make


@pytest.fixture
def staff(agencies, make_staff):
    """Every role at agency A (receiving) and B (second stage), and a province supervisor."""
    a, b = agencies
    return {
        "reception": make_staff(a, "reception", username="reception_a"),
        "specialist": make_staff(a, "specialist", username="specialist_a"),
        "head": make_staff(a, "head", username="head_a"),
        "reception_b": make_staff(b, "reception", username="reception_b"),
        "specialist_b": make_staff(b, "specialist", username="specialist_b"),
        "head_b": make_staff(b, "head", username="head_b"),
        "supervisor": make_staff(None, "supervisor", username="supervisor"),
    }


@pytest.fixture
def procedure(agencies):
    """Stage 1 at A (specialist), stage 2 at B (specialist), stage 3 at A (head)."""
    a, b = agencies
    proc = make_procedure(
        code="1.000111",
        agency=a,
        steps=[
            {"name": "Thẩm định hồ sơ", "budget_hours": 16, "agency": a},
            {"name": "Lấy ý kiến Sở Tài chính", "budget_hours": 16, "agency": b},
            {"name": "Lãnh đạo ký duyệt", "budget_hours": 8, "agency": a, "role": "head"},
        ],
    )
    proc.name = "Cấp giấy phép thử nghiệm liên thông"
    proc.save(update_fields=["name"])
    version = proc.current_version
    RequiredDocument.objects.bulk_create(
        [
            RequiredDocument(version=version, order=1, name="Tờ khai đề nghị", kind="original", count=1),
            RequiredDocument(version=version, order=2, name="Bản sao CCCD", kind="certified_copy", count=1),
            RequiredDocument(version=version, order=3, name="Bản vẽ mặt bằng", kind="copy", count=2),
        ]
    )
    return proc


@pytest.fixture
def register(procedure, staff, clock):
    """Register a dossier through the service (as the desk of A) and return (dossier, key)."""

    def make(**extra):
        return services.dossier_register(
            procedure=procedure, applicant=APPLICANT, channel="in_person", by=staff["reception"], **extra
        )

    return make


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user
