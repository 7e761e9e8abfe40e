"""create_staff and the demo staff loader."""

import io

import pytest
from django.core.management import CommandError, call_command

from core.roles import roles_of
from tests.factories import AgencyFactory, make_procedure
from workflows import demo
from workflows.models import StaffProfile


def test_create_and_update_staff(db):
    agency, other = AgencyFactory(), AgencyFactory()
    out = io.StringIO()
    call_command(
        "create_staff",
        "--username",
        "lan",
        "--password",
        "pw-1",
        "--agency",
        agency.code,
        "--role",
        "specialist",
        "--role",
        "head",
        stdout=out,
    )
    assert "Created" in out.getvalue()
    profile = StaffProfile.objects.select_related("user").get(user__username="lan")
    assert profile.agency == agency and roles_of(profile.user) == {"specialist", "head"}
    assert profile.user.check_password("pw-1")

    call_command(
        "create_staff", "--username", "lan", "--agency", other.code, "--role", "reception", stdout=out
    )
    profile = StaffProfile.objects.select_related("user").get(user__username="lan")
    assert profile.agency == other and roles_of(profile.user) == {"reception"}
    assert profile.user.check_password("pw-1")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--agency", "999.99.99.XXX", "--role", "head"], "Không có cơ quan"),
        (["--role", "boss"], "Vai trò không hợp lệ"),
    ],
)
def test_create_staff_errors(db, args, message):
    agency = AgencyFactory()
    base = ["create_staff", "--username", "x", "--password", "p", "--agency", agency.code]
    with pytest.raises(CommandError, match=message):
        call_command(*base, *args)
    assert not StaffProfile.objects.exists()


def test_demo_staff_is_idempotent(db):
    a, b = AgencyFactory(), AgencyFactory()
    make_procedure(
        agency=a, steps=[{"name": "A", "budget_hours": 8}, {"name": "B", "budget_hours": 8, "agency": b}]
    )
    lines = demo.load(io.StringIO())
    usernames = set(StaffProfile.objects.values_list("user__username", flat=True))
    assert demo.username_for("reception", a) in usernames
    assert {demo.username_for("specialist", b), demo.username_for("head", b), "supervisor"} <= usernames
    assert len(usernames) == 6  # reception, specialist and head at a; specialist and head at b; supervisor
    printed = "\n".join(lines)
    assert all(username in printed for username in usernames)
    assert demo.load(io.StringIO()) == lines
    assert StaffProfile.objects.count() == 6
