"""Bulk-load settings of a first seed: secondary indexes dropped then rebuilt, FK triggers off.

Inserting millions of rows into tables with ~40 secondary indexes (a GIN trigram index among
them) and deferred foreign-key checks (one check per row at COMMIT) is several times slower than
loading them bare and building each index once at the end. So a seed into empty tables:

- records the definitions of the secondary (non-constraint) indexes of the big tables in
  ``onestop_bench_dropped_index`` and drops them; ``restore_indexes`` recreates them (and is
  called first on every run, so an interrupted seed gets its indexes back on the next run);
- sets ``session_replication_role = replica`` for its own session (superuser only; otherwise the
  checks stay on, slower): the seeded rows reference rows the same statements just joined, and
  no trigger must fire for them (the derived tables are rebuilt at the end, ``benchseed.derived``).
"""

from __future__ import annotations

from django.db import DatabaseError, connection, transaction

BIG_TABLES = ("workflows_dossier", "workflows_dossiertask", "workflows_dossierevent", "viewflow_task")
RECORD = "onestop_bench_dropped_index"


def drop_indexes() -> int:
    with transaction.atomic(), connection.cursor() as c:
        c.execute(f"CREATE TABLE IF NOT EXISTS {RECORD} (name text PRIMARY KEY, definition text NOT NULL)")
        c.execute(
            f"""
            INSERT INTO {RECORD} (name, definition)
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)
            ON CONFLICT (name) DO NOTHING
            """,
            [list(BIG_TABLES)],
        )
        c.execute(f"SELECT name FROM {RECORD}")
        names = [row[0] for row in c.fetchall()]
        for name in names:
            c.execute(f'DROP INDEX IF EXISTS "{name}"')
    return len(names)


def restore_indexes() -> int:
    """Recreate the indexes a (possibly interrupted) bulk load dropped; returns how many."""
    if RECORD not in connection.introspection.table_names():
        return 0
    with connection.cursor() as c:
        c.execute("SET maintenance_work_mem = '512MB'")
        c.execute(f"SELECT name, definition FROM {RECORD} ORDER BY name")
        rows = c.fetchall()
        for name, definition in rows:
            c.execute(definition.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1)
                      .replace("CREATE UNIQUE INDEX", "CREATE UNIQUE INDEX IF NOT EXISTS", 1))  # fmt: skip
            c.execute(f"DELETE FROM {RECORD} WHERE name = %s", [name])
    return len(rows)


def triggers_off() -> bool:
    try:
        with transaction.atomic(), connection.cursor() as c:
            c.execute("SET session_replication_role = replica")
        with connection.cursor() as c:
            c.execute("SET session_replication_role = replica")
        return True
    except DatabaseError:
        return False


def triggers_on() -> None:
    with connection.cursor() as c:
        c.execute("SET session_replication_role = DEFAULT")
