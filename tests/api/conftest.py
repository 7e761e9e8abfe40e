"""API fixtures: staff of two agencies with their roles, token clients, and a two-stage procedure."""

import datetime as dt
import zoneinfo

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import AgencyFactory, make_procedure
from workflows.models import StaffProfile

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")

APPLICANT = {
    "kind": "person",
    "name": "Trần Thị Bình",
    "id_number": "079190001234",
    "phone": "0905123456",
    "email": "binh@example.vn",
    "address": "5 Hùng Vương, Huế",
}


def registration(procedure_code: str, **overrides) -> dict:
    return {
        "procedure": procedure_code,
        "applicant": dict(APPLICANT),
        "channel": "in_person",
        "documents": [{"name": "Tờ khai", "kind": "original", "count": 1}],
        **overrides,
    }


@pytest.fixture
def agencies(db):
    return AgencyFactory(code="000.00.31.H57", name="Sở Tư pháp"), AgencyFactory(
        code="000.00.32.H57", name="Sở Xây dựng"
    )


@pytest.fixture
def staff(agencies):
    """``staff[(agency_index, role)]`` → a user; agency 0 receives and handles, agency 1 is consulted."""
    users = {}
    for index, agency in enumerate(agencies):
        for role in ("reception", "specialist", "head"):
            user = get_user_model().objects.create_user(username=f"{role}{index}", password="x")
            StaffProfile.objects.create(user=user, agency=agency)
            user.groups.add(Group.objects.get(name=role))
            users[(index, role)] = user
    supervisor = get_user_model().objects.create_user(username="supervisor", password="x")
    StaffProfile.objects.create(user=supervisor, agency=agencies[0])
    supervisor.groups.add(Group.objects.get(name="supervisor"))
    users["supervisor"] = supervisor
    return users


@pytest.fixture
def as_user():
    """An API client authenticated with the user's token, as an integration would call."""

    def client_for(user) -> APIClient:
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return client_for


@pytest.fixture
def procedure(agencies):
    """Appraisal at agency 0, then a consultation at agency 1, then the head's approval at agency 0."""
    own, other = agencies
    return make_procedure(
        code="1.001234",
        agency=own,
        committed=(5, "working_days"),
        steps=[
            {"name": "Thẩm định", "budget_hours": 16},
            {"name": "Lấy ý kiến Sở Xây dựng", "budget_hours": 8, "agency": other},
            {"name": "Phê duyệt", "budget_hours": 8, "role": "head"},
        ],
    )


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=HCM)
