"""A benchmark or a bulk seeder writes (and may truncate) only a database made for benchmarks.

``claim_bench_database()`` is called before anything is written:

- on PostgreSQL, a configured database that does not exist yet is created here and marked;
- an existing database must carry the marker table ``onestop_bench_marker`` (written when a
  benchmark created or first claimed it), or be empty (no table at all: a fresh ``createdb``);
- any other database (a desk's data, another agent's tests) is refused with ``NotABenchDatabase``
  before one row is touched.

The marker is a table rather than a naming rule so that a copy of production restored under a
"bench" name is still refused.
"""

from __future__ import annotations

from django.db import connections

MARKER_TABLE = "onestop_bench_marker"


class NotABenchDatabase(RuntimeError):
    pass


def _create_postgres_database(alias: str) -> bool:
    """Create the configured PostgreSQL database if it does not exist; True if created here."""
    import psycopg
    from psycopg import sql

    settings = connections[alias].settings_dict
    name = settings["NAME"]
    params = {
        "dbname": "postgres",
        "host": settings.get("HOST") or None,
        "port": settings.get("PORT") or None,
        "user": settings.get("USER") or None,
        "password": settings.get("PASSWORD") or None,
        "autocommit": True,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def is_bench_database(alias: str = "default") -> bool:
    return MARKER_TABLE in connections[alias].introspection.table_names()


def claim_bench_database(alias: str = "default", *, create: bool = True) -> str:
    """Make sure ``alias`` points at a benchmark database; returns how it was claimed
    (``created``, ``marked`` or ``known``). Raises ``NotABenchDatabase`` otherwise."""
    connection = connections[alias]
    name = connection.settings_dict["NAME"]
    how = "known"
    if create and connection.vendor == "postgresql" and _create_postgres_database(alias):
        how = "created"
    tables = connection.introspection.table_names()
    if MARKER_TABLE not in tables:
        if tables:
            raise NotABenchDatabase(
                f"Refusing to write to database {name!r}: it was not created for benchmarks (no"
                f" {MARKER_TABLE} table and it already has {len(tables)} tables). Point DATABASE_URL"
                " at a new database name; the benchmark creates it."
            )
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE {MARKER_TABLE} (created_at TIMESTAMP NOT NULL)")
            cursor.execute(f"INSERT INTO {MARKER_TABLE} (created_at) VALUES (CURRENT_TIMESTAMP)")
        how = "created" if how == "created" else "marked"
    return how


SNAPSHOT_TABLE = "onestop_bench_snapshot"


def bench_snapshot(alias: str = "default"):
    """The seeded province's "now" (``seed_bench``), or None when nothing was seeded. Benchmarks
    measure relative to it: what is open, overdue or due soon is so at this instant."""
    connection = connections[alias]
    if SNAPSHOT_TABLE not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT snapshot FROM {SNAPSHOT_TABLE}")
        row = cursor.fetchone()
    return row[0] if row else None


def record_snapshot(snapshot, alias: str = "default") -> None:
    """Keep the snapshot of a benchmark database (``claim_bench_database`` first)."""
    if not is_bench_database(alias):
        raise NotABenchDatabase("record_snapshot needs a benchmark database (claim_bench_database).")
    with connections[alias].cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {SNAPSHOT_TABLE} (snapshot TIMESTAMP WITH TIME ZONE)")
        cursor.execute(f"DELETE FROM {SNAPSHOT_TABLE}")
        cursor.execute(f"INSERT INTO {SNAPSHOT_TABLE} (snapshot) VALUES (%s)", [snapshot])
