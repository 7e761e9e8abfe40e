"""A cursor whose statements PostgreSQL plans once per connection (a server-side prepared
statement), for the few hot, fixed statements written by hand (the citizen's lookup).

Planning a statement that joins a handful of small tables costs PostgreSQL more than running it:
the lookup's one statement took 3.8–4.9 ms to plan and execute from scratch on the loaded 2-core
benchmark machine, and 0.4–0.5 ms prepared (``pgbench -M simple`` against ``-M prepared``).
Django binds parameters on the client (its cursors never prepare) and sets psycopg's
``prepare_threshold`` to None, which turns preparation off altogether; the settings give it a
value (``ONESTOP_PREPARED_STATEMENTS``, on by default), and this cursor binds parameters on the
server and asks for the preparation of each statement it runs. The statement stays
prepared for the life of the connection (``CONN_MAX_AGE``).

The cursor is wrapped as Django wraps its own: the queries are counted and logged, errors are
Django's. Elsewhere than on PostgreSQL with psycopg 3 it is Django's ordinary cursor. Behind a
pooler in transaction mode (PgBouncer before 1.21, or without ``max_prepared_statements``) set
``ONESTOP_PREPARED_STATEMENTS=false``.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper

try:
    import psycopg
except ImportError:  # psycopg 2 or no PostgreSQL driver at all
    psycopg = None


if psycopg is not None:

    class _PreparingCursor(psycopg.Cursor):
        """psycopg's server-binding cursor, preparing every statement it executes and reading its
        results in the binary format (psycopg's C loaders: the lookup's ten timestamps and
        seventeen columns took 124 µs of the client's CPU as text, 70 µs as binary; the same
        values, timestamps in the connection's time zone, UTC, as Django's text loader gives)."""

        binary_results = True

        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=self.binary_results)

    class _PreparingTextCursor(_PreparingCursor):
        """The same, results as text: Django's own loaders and field converters apply to them
        unchanged (a ``jsonb`` column, say, comes back as the text ``JSONField`` parses)."""

        binary_results = False


class _DebugWrapper(CursorDebugWrapper):
    """Logs the statement as written, with its parameters: a prepared execution leaves psycopg
    no composed query for Django's ``last_executed_query`` to read (it would log None)."""

    def execute(self, sql, params=None):
        with self.debug_sql(sql, params):
            return CursorWrapper.execute(self, sql, params)


def enabled(db=connection) -> bool:
    """On PostgreSQL with psycopg 3, unless the settings leave psycopg's ``prepare_threshold``
    unset (``ONESTOP_PREPARED_STATEMENTS=false``): then psycopg prepares nothing."""
    return (
        psycopg is not None
        and db.vendor == "postgresql"
        and db.settings_dict.get("OPTIONS", {}).get("prepare_threshold") is not None
    )


def cursor(*, binary: bool = True):
    """A cursor (use it as a context manager) that prepares its statements on PostgreSQL;
    ``binary=False`` reads the results as text, as Django's cursors do (``core/joined.py``)."""
    db = connections[DEFAULT_DB_ALIAS]  # once: each ``connection.x`` looks the thread's wrapper up
    if not enabled(db):
        return db.cursor()
    db.ensure_connection()
    db.validate_thread_sharing()
    raw = (_PreparingCursor if binary else _PreparingTextCursor)(db.connection)
    return _DebugWrapper(raw, db) if db.queries_logged else db.make_cursor(raw)
