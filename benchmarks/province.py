"""What the benchmarks read of a province seeded by ``manage.py seed_bench`` (benchseed).

The snapshot is the province's "now" (``core.benchdb.bench_snapshot``); the periods are the last
full year, quarter and month before it, so that every report and list reads seeded rows at any N.
The staff are the demo users (``workflows.demo``) of the agency with the most open tasks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import cache

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone

from core.benchdb import bench_snapshot

PREFIX = "BENCH-"


def lookup_key(code: str) -> str:
    """The key 'printed on the receipt' of a seeded dossier (benchseed.sql computes its hash)."""
    return hashlib.sha256(f"bench-api:{code}".encode()).hexdigest()[:10].upper()


@cache
def snapshot() -> dt.datetime:
    return timezone.localtime(bench_snapshot() or timezone.now())


def month_start(day: dt.date, back: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def last_month() -> tuple[dt.date, dt.date]:
    end = month_start(snapshot().date())
    return month_start(end, 1), end - dt.timedelta(days=1)


def last_quarter() -> tuple[dt.date, dt.date]:
    end = month_start(snapshot().date())
    return month_start(end, 3), end - dt.timedelta(days=1)


def last_year() -> tuple[dt.date, dt.date]:
    end = snapshot().date()
    return end - dt.timedelta(days=365), end - dt.timedelta(days=1)


@cache
def busiest_agency_id() -> int:
    from workflows.models import DossierTask

    row = (
        DossierTask.objects.filter(status="open", role="specialist")
        .values("agency_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    return row["agency_id"] if row else 0


def staff(role: str):
    """The demo user of ``role`` at the busiest agency (reception: the agency receiving most)."""
    from procedures.models import Agency
    from workflows.demo import username_for

    User = get_user_model()
    if role == "supervisor":
        return User.objects.get(username="supervisor")
    agency = Agency.objects.get(pk=busiest_agency_id())
    user = User.objects.filter(username=username_for(role, agency)).first()
    if user is None:  # this agency does not receive: the one receiving most of its dossiers
        user = (
            User.objects.filter(
                Q(username__startswith=f"{role}_"), staff__agency__tasks__agency=agency
            ).first()
            or User.objects.filter(username__startswith=f"{role}_").first()
        )
    return user
