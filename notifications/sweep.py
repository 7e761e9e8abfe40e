"""The deadline sweep: set-based claims of what became due soon or overdue, and its notifications.

Each kind is one ``UPDATE … WHERE id IN (SELECT … LIMIT n [FOR UPDATE SKIP LOCKED]) RETURNING id``
over a partial index that holds only rows not yet warned about (migration 0002). The flag and the
notifications are written in one transaction, so a sweep that dies halfway leaves the rows
unflagged for the next one, and a row claimed by one sweep is invisible to a concurrent one (skip
locked on PostgreSQL; SQLite serialises writers). The unique constraint on ``Notification`` is the
backstop: inserts use ON CONFLICT DO NOTHING.
"""

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from core.roles import Role
from notifications.clock import working_threshold
from notifications.models import Notification, NotificationChannel, NotificationKind, NotificationStatus
from notifications.outbox import queue_deliveries
from notifications.recipients import staff_by_agency, supervisors
from workflows import rules
from workflows.models import Dossier, DossierTask, TaskStatus

logger = logging.getLogger(__name__)


@dataclass
class SweepResult:
    as_of: str
    threshold: str
    tasks_overdue: int = 0
    tasks_due_soon: int = 0
    dossiers_overdue: int = 0
    dossiers_due_soon: int = 0
    notifications: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


_TASK = DossierTask._meta.db_table
_DOSSIER = Dossier._meta.db_table


def _claim_sql(*, kind: str, vendor: str) -> str:
    """SQL claiming up to ``limit`` rows of one kind and returning their ids.

    Marking a row overdue also marks it due soon, so it leaves both partial indexes. On PostgreSQL
    the due time is compared as ``timezone('UTC', due_at)``, the key of the partial expression
    indexes of migration 0002: no other index can serve that range, so the planner cannot pick
    the (status, due_at) index and filter hundreds of thousands of already-flagged rows, and
    ANALYZE keeps a histogram of only the not-yet-flagged rows. ``= ANY(ARRAY(…))`` makes the
    outer UPDATE probe the primary key instead of hash-joining the whole table.
    """
    postgres = vendor == "postgresql"
    lock = " FOR UPDATE SKIP LOCKED" if postgres else ""
    value = "timezone('UTC', %s::timestamptz)" if postgres else "%s"
    table, alias, status_check = (_TASK, "t", True) if kind.startswith("task") else (_DOSSIER, "d", False)
    due = f"timezone('UTC', {alias}.due_at)" if postgres else f"{alias}.due_at"
    overdue = kind.endswith("overdue")
    flag = "overdue_notified_at" if overdue else "due_soon_notified_at"
    window = f"{due} <= {value}" if overdue else f"{due} > {value} AND {due} <= {value}"
    also = ", due_soon_notified_at = COALESCE(due_soon_notified_at, %s)" if overdue else ""
    # A scalar subquery, not EXISTS: it stays a primary-key probe per candidate row and is never
    # turned into a hash join over every dossier.
    dossier_open = (
        f" AND (SELECT d.status FROM {_DOSSIER} d WHERE d.id = t.dossier_id) = %s" if status_check else ""
    )
    select = (
        f"SELECT {alias}.id FROM {table} {alias} WHERE {alias}.status = %s AND {alias}.{flag} IS NULL"
        f" AND {window}{dossier_open} ORDER BY {due} LIMIT %s{lock}"
    )
    target = f"id = ANY(ARRAY({select}))" if postgres else f"id IN ({select})"
    return f"UPDATE {table} SET {flag} = %s{also} WHERE {target} RETURNING id"


def _claim(*, kind: str, as_of: dt.datetime, threshold: dt.datetime, limit: int) -> list[int]:
    adapt = connection.ops.adapt_datetimefield_value
    overdue = kind.endswith("overdue")
    markers = [adapt(as_of), adapt(as_of)] if overdue else [adapt(as_of)]
    window = [adapt(as_of)] if overdue else [adapt(as_of), adapt(threshold)]
    # Only dossiers whose clock runs (rules.clock_running) can be due soon or overdue.
    if kind.startswith("task"):
        params = [*markers, TaskStatus.OPEN.value, *window, rules.CLOCK_RUNNING_STATUS.value, limit]
    else:
        params = [*markers, rules.CLOCK_RUNNING_STATUS.value, *window, limit]
    sql = _claim_sql(kind=kind, vendor=connection.vendor)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The planner cannot know how few rows are still unflagged, so it may cost the claim
            # above jit_above_cost and spend ~250 ms compiling a query that runs in 1 ms.
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


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


_INSERT_FIELDS = [f for f in Notification._meta.concrete_fields if not f.primary_key]
_INSERT_BATCH = 500  # rows per statement: 16 columns each stays far below SQLite's variable limit


def _insert_new(rows: list[Notification]) -> list[tuple[int, str]]:
    """``INSERT … ON CONFLICT DO NOTHING RETURNING id, channel``: the rows actually inserted.

    Django's ``bulk_create(ignore_conflicts=True)`` returns no ids, which used to cost a read-back
    query per call; RETURNING after DO NOTHING gives exactly the new rows (PostgreSQL, SQLite ≥ 3.35).
    """
    table = connection.ops.quote_name(Notification._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in _INSERT_FIELDS)
    row_sql = "(" + ", ".join(["%s"] * len(_INSERT_FIELDS)) + ")"
    inserted: list[tuple[int, str]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _INSERT_BATCH):
            batch = rows[start : start + _INSERT_BATCH]
            params = [
                field.get_db_prep_save(field.pre_save(row, True), connection)
                for row in batch
                for field in _INSERT_FIELDS
            ]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([row_sql] * len(batch))} "
                "ON CONFLICT DO NOTHING RETURNING id, channel",
                params,
            )
            inserted += cursor.fetchall()
    return inserted


def store_notifications(rows: list[Notification]) -> int:
    """Insert ignoring duplicates, then queue the new deliverable ones once the transaction commits.

    A duplicate (the same event offered again) is neither inserted nor queued again; a row whose
    queueing was lost is picked up by ``deliver_pending``. Returns the number of rows handed to
    the database.
    """
    if not rows:
        return 0
    ids = [pk for pk, channel in _insert_new(rows) if channel != NotificationChannel.IN_APP]
    if ids:
        transaction.on_commit(lambda: queue_deliveries(ids))
    return len(rows)


_KINDS = ("task_overdue", "task_due_soon", "dossier_overdue", "dossier_due_soon")


def sweep_deadlines(*, as_of: dt.datetime, due_soon_hours: float) -> SweepResult:
    """Mark and notify what became overdue or due soon (less than ``due_soon_hours`` working hours
    left) at ``as_of``. Overdue is claimed first, so a row first seen already late is reported as
    overdue only. Safe to run concurrently and to re-run."""
    threshold = working_threshold(as_of=as_of, working_hours=due_soon_hours)
    result = SweepResult(as_of=as_of.isoformat(), threshold=threshold.isoformat())
    batch = settings.ONESTOP_SWEEP_BATCH_SIZE
    counters = {
        "task_overdue": "tasks_overdue",
        "task_due_soon": "tasks_due_soon",
        "dossier_overdue": "dossiers_overdue",
        "dossier_due_soon": "dossiers_due_soon",
    }
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
                    result.notifications += store_notifications(rows)
            setattr(result, counters[kind], getattr(result, counters[kind]) + len(ids))
            if len(ids) < batch:
                break
    if any((result.tasks_overdue, result.tasks_due_soon, result.dossiers_overdue, result.dossiers_due_soon)):
        logger.info("Deadline sweep: %s", result.as_dict())
    return result
