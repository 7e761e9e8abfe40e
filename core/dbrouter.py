"""Reports read from a replica, when there is one; everything else uses the primary.

``DATABASE_REPLICA_URL`` (README "Settings") adds a second database alias, ``replica``: a streaming
(hot-standby) copy of the primary, seconds behind it. Settings install ``ReplicaRouter`` only then.
The router sends a read to the replica only inside ``reads_from_replica()``, a scope that the report
code enters at its boundary (the report and export endpoints, the open-data feed and /thong-ke/,
the event log, the dashboard, the periodic packages' figures): the desk never enters it, so what a
person just saved is what they read back. Every write, every read outside the scope, and every
migration go to ``default``. Without ``DATABASE_REPLICA_URL`` there is no ``replica`` alias and the
scope changes nothing.

The scope is a context variable: per thread (gunicorn's gthread workers) and per task, never global.
Raw SQL inside the scope takes its connection from ``read_alias()``.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Iterable, Iterator

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

_replica_scope: contextvars.ContextVar[bool] = contextvars.ContextVar("onestop_replica_scope", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


def read_alias() -> str:
    """The alias that reads go to here and now: ``replica`` inside the scope when it is configured."""
    return REPLICA if _replica_scope.get() and replica_configured() else DEFAULT_DB_ALIAS


@contextlib.contextmanager
def reads_from_replica():
    """Reads inside go to the replica (when configured); writes still go to the primary."""
    token = _replica_scope.set(True)
    try:
        yield
    finally:
        _replica_scope.reset(token)


def replica_reads(view):
    """``reads_from_replica()`` around a function (a view, a task, a report builder)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        with reads_from_replica():
            return view(*args, **kwargs)

    return wrapper


def iterate_from_replica(chunks: Iterable) -> Iterator:
    """A streamed answer's chunks, each produced inside the scope: a streaming response is iterated
    after its view has returned, so a scope around the view would no longer hold. The variable is
    set only while a chunk is made, never while the server writes it out."""
    iterator = iter(chunks)
    while True:
        with reads_from_replica():
            try:
                chunk = next(iterator)
            except StopIteration:
                return
        yield chunk


class ReplicaRouter:
    """Reads in the scope → ``replica``; all else → ``default``; migrations on ``default`` only."""

    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        # Explicit: without a router answer Django would write an instance back to the database it
        # was read from, and an instance read in the scope came from the replica.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
