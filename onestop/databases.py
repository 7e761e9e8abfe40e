"""``DATABASES`` and ``DATABASE_ROUTERS`` from the environment's URLs (settings.py calls these).

``DATABASE_URL`` is the primary (default: a SQLite file); ``DATABASE_REPLICA_URL``, when set, adds
the ``replica`` alias that reports read from (``core.dbrouter``). Both get the same per-engine
options. Pure functions of their arguments, so a test can check both cases without reloading settings.
"""

from __future__ import annotations

import environ

REPLICA_ROUTER = "core.dbrouter.ReplicaRouter"


def _with_engine_options(config: dict, *, conn_max_age: int) -> dict:
    config = {**config, "CONN_MAX_AGE": conn_max_age, "ATOMIC_REQUESTS": False}
    if config["ENGINE"] == "django.db.backends.postgresql":
        # JIT compilation costs more than it saves on this workload's short queries (measured: about
        # 300 ms of an 850 ms list query, 2.6 s of a report); reports turned it off already.
        config["OPTIONS"] = {**config.get("OPTIONS", {})}
        config["OPTIONS"].setdefault("options", "-c jit=off")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Immediate transactions and WAL let the web server and the worker share the file.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return config


def databases(*, default_url: str, replica_url: str = "", conn_max_age: int = 60) -> dict:
    """``{"default": …}`` and, when ``replica_url`` is given, ``"replica"`` too. In the test suite
    the replica mirrors the test database (Django's ``TEST.MIRROR``): tests that need a separate
    copy make one (tests/core/test_replica_router.py)."""
    result = {
        "default": _with_engine_options(environ.Env.db_url_config(default_url), conn_max_age=conn_max_age)
    }
    if replica_url:
        replica = _with_engine_options(environ.Env.db_url_config(replica_url), conn_max_age=conn_max_age)
        replica["TEST"] = {"MIRROR": "default"}
        result["replica"] = replica
    return result


def routers(database_settings: dict) -> list[str]:
    """The replica router only when there is a replica: without one nothing changes."""
    return [REPLICA_ROUTER] if "replica" in database_settings else []
