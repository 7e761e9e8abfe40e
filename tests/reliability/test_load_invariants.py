"""Load with invariants (issue 15): concurrent worker processes drive dossiers through their whole
life over the HTTP API of a real gunicorn, with random valid decisions; afterwards every invariant
is checked on the rows. CI runs the short one; ``make soak`` sets ONESTOP_SOAK_DOSSIERS=5000 and
ONESTOP_SOAK_WORKERS=16 (README "Reliability suite")."""

import datetime as dt
import multiprocessing
import os
import zoneinfo
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import AgencyFactory, make_procedure
from workflows.models import StaffProfile

from . import figures
from .driver import run_worker
from .invariants import check_all

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]

DOSSIERS = int(os.environ.get("ONESTOP_SOAK_DOSSIERS", "60"))
WORKERS = int(os.environ.get("ONESTOP_SOAK_WORKERS", "8"))
HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def _staff(agency, role: str, username: str):
    user = get_user_model().objects.create_user(username=username, password="x")
    StaffProfile.objects.create(user=user, agency=agency)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return Token.objects.create(user=user).key


def _world():
    """Agency A receives; agency B takes part in a parallel stage. One procedure pauses the clock
    for a supplement, the other restarts it; both have three stages, the middle one parallel."""
    a = AgencyFactory(code="000.00.41.H57", name="Sở Tư pháp")
    b = AgencyFactory(code="000.00.42.H57", name="Sở Xây dựng")
    tokens = {}
    for agency in (a, b):
        for role in ("reception", "specialist", "head"):
            tokens[(agency.code, role)] = _staff(agency, role, f"{role}-{agency.code}")
    tokens["supervisor"] = _staff(a, "supervisor", "supervisor")
    steps = [
        {"name": "Thẩm định", "budget_hours": 8},
        {"name": "Kiểm tra hồ sơ", "budget_hours": 8, "parallel_group": "g"},
        {"name": "Lấy ý kiến Sở Xây dựng", "budget_hours": 8, "agency": b, "parallel_group": "g"},
        {"name": "Phê duyệt", "budget_hours": 8, "role": "head"},
    ]
    procedures = [
        make_procedure(
            code=f"1.00900{i}", agency=a, steps=steps, supplement_mode=mode, legal=(30, "working_days")
        )
        for i, mode in enumerate(("pause", "restart"))
    ]
    return tokens, [(p.code, [a.code, b.code]) for p in procedures]


def _report_totals(tokens) -> dict:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {tokens['supervisor']}")
    today = dt.datetime.now(HCM).date()
    response = client.get(
        "/api/v1/reports/processing/",
        {
            "from": (today - dt.timedelta(days=1)).isoformat(),
            "to": (today + dt.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200, response.content
    return response.json()["totals"]


def test_concurrent_workers_drive_dossiers_and_every_invariant_holds(gunicorn_server):
    tokens, procedures = _world()
    jobs = [[] for _ in range(WORKERS)]
    for index in range(DOSSIERS):
        jobs[index % WORKERS].append(procedures[index % len(procedures)])
    with multiprocessing.get_context("spawn").Pool(WORKERS) as pool:
        tallies = pool.starmap(
            run_worker, [(gunicorn_server, tokens, job, seed) for seed, job in enumerate(jobs)]
        )

    server_errors = sum(n for t in tallies for status, n in t["statuses"].items() if status >= 500)
    unexpected = [u for t in tallies for u in t["unexpected"]]
    decisions = sum((Counter(t["decisions"]) for t in tallies), start=Counter())
    violations = check_all(_report_totals(tokens))
    broken = {name: problems[:10] for name, problems in violations.items() if problems}
    figures.add(
        dossiers=sum(t["dossiers"] for t in tallies),
        transitions=sum(t["transitions"] for t in tallies),
        server_errors=server_errors,
        invariant_violations=sum(len(p) for p in violations.values()),
    )
    figures.peak("workers", WORKERS)
    print(f"\nload: {DOSSIERS} dossiers, {WORKERS} workers, decisions {dict(decisions)}")

    assert sum(t["dossiers"] for t in tallies) == DOSSIERS
    assert server_errors == 0
    assert not unexpected, unexpected[:10]
    assert not broken, broken
    # The random decisions really covered every kind of life (so the invariants were put to the test).
    for decision in ("approve", "send_back", "request_supplement", "refuse", "withdraw", "extend"):
        assert decisions[decision] > 0, decision
