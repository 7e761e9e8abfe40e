"""``DATABASES`` and ``DATABASE_ROUTERS`` from the environment's URLs (settings.py calls these).

``DATABASE_URL`` is the primary (default: a SQLite file); ``DATABASE_REPLICA_URL``, when set, adds
the ``replica`` alias that reports read from (``core.dbrouter``). Both get the same per-engine
options. Pure functions of their arguments, so a test can check both cases without reloading settings.
"""

from __future__ import annotations

import environ

REPLICA_ROUTER = "core.dbrouter.ReplicaRouter"


def _with_engine_options(
    config: dict, *, conn_max_age: int, prepared_statements: bool = True, server_side_binding: bool = False
) -> dict:
    config = {**config, "CONN_MAX_AGE": conn_max_age, "ATOMIC_REQUESTS": False}
    if config["ENGINE"] == "django.db.backends.postgresql":
        # JIT compilation costs more than it saves on this workload's short queries (measured: about
        # 300 ms of an 850 ms list query, 2.6 s of a report); reports turned it off already.
        config["OPTIONS"] = {**config.get("OPTIONS", {})}
        config["OPTIONS"].setdefault("options", "-c jit=off")
        # The citizen's lookup runs as a server-side prepared statement (core/prepared.py): psycopg
        # may prepare (Django's own cursors bind on the client and never do). False behind a
        # connection pooler in transaction mode that cannot keep prepared statements.
        if prepared_statements:
            config["OPTIONS"].setdefault("prepare_threshold", 5)
        # Off by default (measured, not yet on): bind the ORM's parameters on the server too, so
        # psycopg prepares every statement run five times on a connection.
        if server_side_binding:
            config["OPTIONS"]["server_side_binding"] = True
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Immediate transactions and WAL let the web server and the worker share the file.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return config


def databases(
    *,
    default_url: str,
    replica_url: str = "",
    conn_max_age: int = 60,
    prepared_statements: bool = True,
    server_side_binding: bool = False,
) -> dict:
    """``{"default": …}`` and, when ``replica_url`` is given, ``"replica"`` too. In the test suite
    the replica mirrors the test database (Django's ``TEST.MIRROR``): tests that need a separate
    copy make one (tests/core/test_replica_router.py)."""
    options = {
        "conn_max_age": conn_max_age,
        "prepared_statements": prepared_statements,
        "server_side_binding": server_side_binding,
    }
    result = {"default": _with_engine_options(environ.Env.db_url_config(default_url), **options)}
    if replica_url:
        replica = _with_engine_options(environ.Env.db_url_config(replica_url), **options)
        replica["TEST"] = {"MIRROR": "default"}
        result["replica"] = replica
    return result


def routers(database_settings: dict) -> list[str]:
    """The replica router only when there is a replica: without one nothing changes."""
    return [REPLICA_ROUTER] if "replica" in database_settings else []
