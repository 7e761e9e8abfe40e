"""The sweep as it was before its notifications were written in SQL: the reference they are compared with.

Rows were built in Python, one task or dossier at a time, with recipients looked up in bulk per
role (``staff_by_agency``, ``supervisors``), and inserted by ``store_notifications`` (500 rows per
INSERT, each new e-mail queued after the commit). The claims are the sweep's own (unchanged). Kept
verbatim so that tests/notifications/test_sweep_equivalence.py can check, on random data, that the
set-based sweep writes exactly the same notifications, and benchmarks/bench_sweep.py can time the
two in the same run.
"""

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.roles import Role
from notifications.clock import working_threshold
from notifications.models import Notification, NotificationChannel, NotificationKind, NotificationStatus
from notifications.outbox import store_notifications
from notifications.sweep import _KINDS, _claim
from workflows.models import Dossier, DossierTask

logger = logging.getLogger(__name__)


def staff_by_agency(*, role: str, agency_ids: Iterable[int]) -> dict[int, list[tuple[int, str]]]:
    """Active users holding ``role`` in each agency: ``{agency_id: [(user_id, email), ...]}``."""
    agency_ids = set(agency_ids)
    if not agency_ids:
        return {}
    rows = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=role, staff__agency_id__in=agency_ids)
        .values_list("staff__agency_id", "id", "email")
        .order_by("id")
        .distinct()
    )
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for agency_id, user_id, email in rows:
        found[agency_id].append((user_id, email))
    return found


def supervisors(
    *, agency_ids: Iterable[int]
) -> tuple[dict[int, list[tuple[int, str]]], list[tuple[int, str]]]:
    """Supervisors per agency, and province-wide supervisors (no staff profile) who see every agency."""
    per_agency = staff_by_agency(role=Role.SUPERVISOR, agency_ids=agency_ids)
    everywhere = list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.SUPERVISOR, staff__isnull=True)
        .values_list("id", "email")
        .order_by("id")
        .distinct()
    )
    return per_agency, everywhere


def _staff_rows(
    *,
    kind: str,
    user_ids: Iterable[tuple[int, str]],
    dossier_id: int,
    task_id: int | None,
    dedupe_key: str,
    payload: dict,
    now: dt.datetime,
) -> list[Notification]:
    """One in-app row per user, plus an e-mail row for users with an address (if enabled)."""
    rows: list[Notification] = []
    seen: set[int] = set()
    for user_id, email in user_ids:
        if user_id in seen:
            continue
        seen.add(user_id)
        common = {
            "kind": kind,
            "recipient_id": user_id,
            "recipient_key": f"user:{user_id}",
            "dossier_id": dossier_id,
            "task_id": task_id,
            "dedupe_key": dedupe_key,
            "payload": payload,
            "created_at": now,
        }
        rows.append(
            Notification(
                channel=NotificationChannel.IN_APP, status=NotificationStatus.SENT, sent_at=now, **common
            )
        )
        if email and settings.ONESTOP_NOTIFY_STAFF_EMAIL:
            rows.append(
                Notification(channel=NotificationChannel.EMAIL, address=email, next_attempt_at=now, **common)
            )
    return rows


def _task_notifications(*, kind: str, ids: list[int], now: dt.datetime) -> list[Notification]:
    tasks = list(
        DossierTask.objects.filter(id__in=ids).values(
            "id",
            "dossier_id",
            "dossier__code",
            "dossier__receiving_agency_id",
            "agency_id",
            "agency__name",
            "step__name",
            "role",
            "owner_id",
            "owner__email",
            "due_at",
        )
    )
    if kind == NotificationKind.TASK_OVERDUE:
        heads = staff_by_agency(role=Role.HEAD, agency_ids={t["agency_id"] for t in tasks})
        sup_by_agency, sup_everywhere = supervisors(
            agency_ids={t["dossier__receiving_agency_id"] for t in tasks} | {t["agency_id"] for t in tasks}
        )
    else:
        unclaimed_roles = {t["role"] for t in tasks if t["owner_id"] is None}
        pools = {
            role: staff_by_agency(
                role=role,
                agency_ids={t["agency_id"] for t in tasks if t["role"] == role and not t["owner_id"]},
            )
            for role in unclaimed_roles
        }
    rows: list[Notification] = []
    for t in tasks:
        if kind == NotificationKind.TASK_OVERDUE:
            users = (
                heads.get(t["agency_id"], [])
                + sup_by_agency.get(t["dossier__receiving_agency_id"], [])
                + sup_by_agency.get(t["agency_id"], [])
                + sup_everywhere
            )
        elif t["owner_id"]:
            users = [(t["owner_id"], t["owner__email"])]
        else:
            users = pools[t["role"]].get(t["agency_id"], [])
        if not users:
            logger.warning("No recipient for %s of task %s (agency %s)", kind, t["id"], t["agency_id"])
        payload = {
            "dossier_code": t["dossier__code"],
            "step_name": t["step__name"],
            "agency_name": t["agency__name"],
            "due_at": t["due_at"].isoformat(),
        }
        rows += _staff_rows(
            kind=kind,
            user_ids=users,
            dossier_id=t["dossier_id"],
            task_id=t["id"],
            dedupe_key=f"task:{t['id']}:{t['due_at'].isoformat()}",
            payload=payload,
            now=now,
        )
    return rows


def _dossier_notifications(*, kind: str, ids: list[int], now: dt.datetime) -> list[Notification]:
    dossiers = list(
        Dossier.objects.filter(id__in=ids).values(
            "id",
            "code",
            "receiving_agency_id",
            "receiving_agency__name",
            "due_at",
            "extended",
            "applicant_name",
        )
    )
    agency_ids = {d["receiving_agency_id"] for d in dossiers}
    heads = staff_by_agency(role=Role.HEAD, agency_ids=agency_ids)
    if kind == "dossier_overdue":
        sup_by_agency, sup_everywhere = supervisors(agency_ids=agency_ids)
    rows: list[Notification] = []
    for d in dossiers:
        users = heads.get(d["receiving_agency_id"], [])
        if kind == "dossier_overdue":
            row_kind = NotificationKind.DOSSIER_OVERDUE
            users = users + sup_by_agency.get(d["receiving_agency_id"], []) + sup_everywhere
        else:
            # An extended dossier cannot be rescheduled again: warn, do not prompt for an apology.
            row_kind = NotificationKind.DOSSIER_DUE_SOON if d["extended"] else NotificationKind.APOLOGY_PROMPT
        if not users:
            logger.warning("No recipient for %s of dossier %s", row_kind, d["code"])
        payload = {
            "dossier_code": d["code"],
            "agency_name": d["receiving_agency__name"],
            "applicant_name": d["applicant_name"],
            "due_at": d["due_at"].isoformat(),
            "extended": d["extended"],
        }
        rows += _staff_rows(
            kind=row_kind,
            user_ids=users,
            dossier_id=d["id"],
            task_id=None,
            dedupe_key=f"dossier:{d['id']}:{d['due_at'].isoformat()}",
            payload=payload,
            now=now,
        )
    return rows


def reference_sweep(*, as_of: dt.datetime, due_soon_hours: float) -> None:
    """The old loop: claim a batch, build its rows in Python, insert them ignoring duplicates."""
    threshold = working_threshold(as_of=as_of, working_hours=due_soon_hours)
    batch = settings.ONESTOP_SWEEP_BATCH_SIZE
    for kind in _KINDS:
        while True:
            with transaction.atomic():
                ids = _claim(kind=kind, as_of=as_of, threshold=threshold, limit=batch)
                if ids:
                    now = timezone.now()
                    if kind.startswith("task"):
                        rows = _task_notifications(kind=kind, ids=ids, now=now)
                    else:
                        rows = _dossier_notifications(kind=kind, ids=ids, now=now)
                    store_notifications(rows)
            if len(ids) < batch:
                break
