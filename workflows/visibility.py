"""Which agencies may see a dossier, kept as rows (``DossierAgency``) instead of tested per dossier.

``permissions.visible_dossiers`` decides visibility: a staff user of an agency sees the dossiers
received there or with a task there. Testing ``receiving_agency = a OR EXISTS(task at a)`` on
every dossier costs a hashed subplan per row (0.5–1 s for a month at an agency at a million
dossiers), so the answer is written down when it changes, which is only when a dossier is
registered (its receiving agency) and when a task is opened at an agency. ``grant`` is that one
write, called by the services; ``rebuild`` recomputes the whole table set-based (after seeding by
SQL, or to repair it), on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from .models import Dossier, DossierAgency, DossierTask


def grant(dossier: Dossier, agency_ids: Iterable[int] = ()) -> None:
    """Let its receiving agency and ``agency_ids`` see a dossier just registered (or refused at
    intake): one INSERT, idempotent (``ON CONFLICT DO NOTHING``)."""
    _insert(dossier, {dossier.receiving_agency_id, *agency_ids})


def grant_tasks(dossier: Dossier, tasks: Iterable[DossierTask]) -> None:
    """After tasks were opened on a registered dossier: let their agencies see it. The receiving
    agency has its row since registration, so most transitions write nothing (no query)."""
    _insert(dossier, {task.agency_id for task in tasks} - {dossier.receiving_agency_id})


def _insert(dossier: Dossier, agency_ids: set[int]) -> None:
    if agency_ids:
        rows = [
            DossierAgency(agency_id=a, dossier_id=dossier.pk, received_at=dossier.received_at)
            for a in agency_ids
        ]
        DossierAgency.objects.bulk_create(rows, ignore_conflicts=True)


def rebuild() -> int:
    """Recompute every row from the dossiers and their tasks, set-based; returns the row count.

    For data written around the services (``seed_bench``, the benchmarks' SQL seeds)."""
    table = DossierAgency._meta.db_table
    dossiers = Dossier._meta.db_table
    tasks = DossierTask._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
        cursor.execute(REBUILD_SQL.format(table=table, dossiers=dossiers, tasks=tasks))
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        return cursor.fetchone()[0]


# Shared with the migration that created the table (its backfill).
REBUILD_SQL = (
    "INSERT INTO {table} (agency_id, dossier_id, received_at)"
    " SELECT receiving_agency_id, id, received_at FROM {dossiers}"
    " UNION"
    " SELECT t.agency_id, t.dossier_id, d.received_at FROM {tasks} t JOIN {dossiers} d ON d.id = t.dossier_id"
)
