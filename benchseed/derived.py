"""Derived tables rebuilt at the end of ``seed_bench``, set based, after the rows are written.

The seeder writes the dossiers, tasks and events with INSERT … SELECT, bypassing the services,
so a table the services maintain alongside them (a visibility table, a report rollup, …) must be
rebuilt from the seeded rows before any benchmark reads it. Each entry of ``DERIVED_REBUILDS`` is
``(name, function)``: ``function()`` takes no argument, runs on the default database inside its own
transaction, is idempotent (rebuilds from scratch, or fills only what is missing), and is set based
(never a Python loop over dossiers). Add an app's rebuild here, e.g.::

    ("dossier visibility", "workflows.visibility.rebuild_all"),
    ("report rollup", "reports.rollup.rebuild_all"),

A dotted path is imported when the rebuild runs, so this module imports no app.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

from django.db import connection, transaction
from django.utils.module_loading import import_string

DERIVED_REBUILDS: list[tuple[str, str]] = [
    # (name, dotted path of a function without arguments)
    ("dossier visibility", "workflows.visibility.rebuild"),
    ("report rollup", "reports.rollup.rebuild"),
]


def rebuild_derived(
    stdout: TextIO, rebuilds: list[tuple[str, str | Callable[[], None]]] | None = None
) -> None:
    """Run every rebuild of ``DERIVED_REBUILDS`` in order, each in a transaction, timed."""
    for name, target in DERIVED_REBUILDS if rebuilds is None else rebuilds:
        function = import_string(target) if isinstance(target, str) else target
        started = time.perf_counter()
        with transaction.atomic():
            function()
        stdout.write(f"  derived: {name} rebuilt in {time.perf_counter() - started:.1f} s\n")
    if connection.vendor == "postgresql":
        # Statistics of the rebuilt tables, and their visibility maps: without a VACUUM every
        # index-only scan of the fresh rows (the lists' counts on ``DossierAgency``) reads the heap
        # too, which a live system's autovacuum would have spared it. The seeded tables were
        # vacuumed before: their pages are skipped. (VACUUM cannot run in a transaction.)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
