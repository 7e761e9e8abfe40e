"""The deadline sweep: set-based claims of what became due soon or overdue, and its notifications.

Each batch of each kind is two statements, whatever the number of rows: a claim,
``UPDATE … WHERE id IN (SELECT … LIMIT n [FOR UPDATE SKIP LOCKED]) RETURNING id`` over a partial
index that holds only rows not yet warned about (migration 0002), and one ``INSERT … SELECT`` of
every notification of the claimed rows, recipients joined in SQL (``sweep_rows``, ``recipients``).
The flag and the notifications are written in one transaction, so a sweep that dies halfway
leaves the rows unflagged for the next one, and a row claimed by one sweep is invisible to a
concurrent one (skip locked on PostgreSQL; SQLite serialises writers). The unique constraint on
``Notification`` is the backstop: the insert uses ON CONFLICT DO NOTHING. Delivery is not on the
sweep's path: after the commit, the new e-mail rows' ids go to the broker in a few messages
(``outbox.queue_delivery_batches``), and ``deliver_pending`` catches up whatever was lost.
"""

import datetime as dt
import logging
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from notifications import sweep_rows
from notifications.clock import working_threshold
from notifications.models import NotificationChannel
from notifications.outbox import queue_delivery_batches
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
    notifications: int = 0  # rows written (a duplicate of an existing row is not counted)

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


def _notify(*, kind: str, ids: list[int], now: dt.datetime) -> list[tuple[int, str, int]]:
    """Insert the notifications of the claimed ``ids``: one statement, whatever their number."""
    vendor = connection.vendor
    email = settings.ONESTOP_NOTIFY_STAFF_EMAIL
    with connection.cursor() as cursor:
        cursor.execute(
            sweep_rows.insert_sql(kind, vendor, email=email),
            sweep_rows.insert_params(kind, vendor, ids=ids, now=now),
        )
        return cursor.fetchall()


def _warn_unnotified(kind: str, ids: list[int], inserted: list[tuple[int, str, int]]) -> None:
    """One log line per batch for claimed rows that got no notification (no recipient, or a
    duplicate of rows already written)."""
    missing = sorted(set(ids) - {target for _pk, _channel, target in inserted})
    if missing:
        logger.warning("No recipient for %s of %s row(s), e.g. ids %s", kind, len(missing), missing[:20])


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
                    inserted = _notify(kind=kind, ids=ids, now=timezone.now())
                    _warn_unnotified(kind, ids, inserted)
                    result.notifications += len(inserted)
                    deliverable = [pk for pk, channel, _ in inserted if channel != NotificationChannel.IN_APP]
                    if deliverable:
                        # One broker message per chunk; a worker fans them out (off the sweep's path).
                        transaction.on_commit(lambda ids=deliverable: queue_delivery_batches(ids))
            setattr(result, counters[kind], getattr(result, counters[kind]) + len(ids))
            if len(ids) < batch:
                break
    if any((result.tasks_overdue, result.tasks_due_soon, result.dossiers_overdue, result.dossiers_due_soon)):
        logger.info("Deadline sweep: %s", result.as_dict())
    return result
