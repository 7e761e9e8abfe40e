"""Which agencies may see a dossier, kept as rows (``DossierAgency``) instead of tested per dossier.

``permissions.visible_dossiers`` decides visibility: a staff user of an agency sees the dossiers
received there or with a task there. Testing ``receiving_agency = a OR EXISTS(task at a)`` on
every dossier costs a hashed subplan per row (0.5–1 s for a month at an agency at a million
dossiers), so the answer is written down when it changes, which is only when a dossier is
registered (its receiving agency) and when a task is opened at an agency. ``grant`` is that one
write, called by the services; ``rebuild`` recomputes the whole table set-based (after seeding by
SQL, or to repair it), on SQLite and PostgreSQL alike.

Each row also carries the dossier's status and due time while it passes through an open status
(``passing``), for the agency's status and overdue lists: ``sync`` rewrites them, one UPDATE of the
dossier's few rows, in the transaction of every change of status or due time.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from core import inserts

from .models import PASSING_STATUSES, Dossier, DossierAgency, DossierTask


def grant(dossier: Dossier, agency_ids: Iterable[int] = ()) -> None:
    """Let its receiving agency and ``agency_ids`` see a dossier just registered (or refused at
    intake): one INSERT, idempotent (``ON CONFLICT DO NOTHING``)."""
    _insert(dossier, {dossier.receiving_agency_id, *agency_ids})


def grant_tasks(dossier: Dossier, tasks: Iterable[DossierTask]) -> None:
    """After tasks were opened on a registered dossier: let their agencies see it. The receiving
    agency has its row since registration, so most transitions write nothing (no query)."""
    _insert(dossier, {task.agency_id for task in tasks} - {dossier.receiving_agency_id})


def passing(status: str, due_at):
    """``(passing_status, due_at)`` of a visibility row for a dossier of ``status`` and ``due_at``:
    the dossier's own while the status is one of ``PASSING_STATUSES``, else blank and None."""
    if status in PASSING_STATUSES:
        return str(status), due_at
    return "", None


def sync(dossier: Dossier) -> None:
    """After the dossier's status or due time changed: copy them onto its visibility rows (one
    UPDATE on the dossier's index), in the caller's transaction."""
    status, due_at = passing(dossier.status, dossier.due_at)
    DossierAgency.objects.filter(dossier_id=dossier.pk).update(passing_status=status, due_at=due_at)


def _insert(dossier: Dossier, agency_ids: set[int]) -> None:
    if agency_ids:
        status, due_at = passing(dossier.status, dossier.due_at)
        rows = [
            DossierAgency(
                agency_id=a,
                dossier_id=dossier.pk,
                received_at=dossier.received_at,
                passing_status=status,
                due_at=due_at,
            )
            for a in agency_ids
        ]
        inserts.insert(rows, ignore_conflicts=True)


def rebuild() -> int:
    """Recompute every row from the dossiers and their tasks, set-based; returns the row count.

    For data written around the services (``seed_bench``, the benchmarks' SQL seeds)."""
    table = DossierAgency._meta.db_table
    dossiers = Dossier._meta.db_table
    tasks = DossierTask._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
        cursor.execute(REBUILD_SQL.format(table=table, dossiers=dossiers, tasks=tasks))
        marks = ", ".join(["%s"] * len(PASSING_STATUSES))
        cursor.execute(
            PASSING_SQL.format(table=table, dossiers=dossiers, marks=marks), list(PASSING_STATUSES)
        )
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        return cursor.fetchone()[0]


# Shared with the migration that created the table (its backfill).
REBUILD_SQL = (
    "INSERT INTO {table} (agency_id, dossier_id, received_at)"
    " SELECT receiving_agency_id, id, received_at FROM {dossiers}"
    " UNION"
    " SELECT t.agency_id, t.dossier_id, d.received_at FROM {tasks} t JOIN {dossiers} d ON d.id = t.dossier_id"
)

# Shared with the migration that added the columns (its backfill): the rows of the dossiers in a
# passing status only (the partial ``dossier_passing_received`` finds them), whatever the history.
PASSING_SQL = (
    "UPDATE {table} SET"
    " passing_status = (SELECT d.status FROM {dossiers} d WHERE d.id = {table}.dossier_id),"
    " due_at = (SELECT d.due_at FROM {dossiers} d WHERE d.id = {table}.dossier_id)"
    " WHERE dossier_id IN (SELECT id FROM {dossiers} WHERE status IN ({marks}))"
)
