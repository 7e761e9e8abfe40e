"""``python manage.py seed_bench --dossiers N``: a province's history for the benchmarks, set based.

Refuses any database not created for benchmarks (``core.benchdb``: point DATABASE_URL at a new
database name on PostgreSQL; it is created and marked). What is seeded: ``benchseed.seeding``.
One million takes a few minutes on a 2-core machine; rerunning adds only what is missing (the
snapshot of the first run is kept, so a larger N extends the same province; with nothing to add, the
derived tables are not rebuilt either).
"""

from __future__ import annotations

import datetime as dt
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from benchseed import seeding
from core.benchdb import NotABenchDatabase, bench_snapshot, claim_bench_database, record_snapshot


def default_snapshot() -> dt.datetime:
    """Today 09:00 local time: the seeded province ends this morning."""
    local = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    return local


class Command(BaseCommand):
    help = "Seed a benchmark province (set based) into a database created for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, default=1_000_000)
        parser.add_argument("--batch", type=int, default=100_000)
        parser.add_argument(
            "--snapshot",
            type=dt.datetime.fromisoformat,
            help="The province's 'now' (ISO date-time; default today 09:00). Kept from the first run.",
        )

    def handle(self, *args, dossiers: int, batch: int, snapshot: dt.datetime | None, **options):
        if connection.vendor != "postgresql":
            raise CommandError("seed_bench needs PostgreSQL: set DATABASE_URL to a new database name.")
        try:
            how = claim_bench_database()
        except NotABenchDatabase as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"database {connection.settings_dict['NAME']!r}: {how}")
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        self.stdout.write(f"  {'migrate':<34} {time.perf_counter() - started:7.1f} s")
        if isinstance(snapshot, str):  # call_command(snapshot="…")
            snapshot = dt.datetime.fromisoformat(snapshot)
        if snapshot is not None and timezone.is_naive(snapshot):
            snapshot = timezone.make_aware(snapshot)
        kept = bench_snapshot()
        if kept is not None and snapshot is not None and kept != snapshot:
            raise CommandError(
                f"This province's snapshot is {kept.isoformat()}; drop the database to change it."
            )
        snapshot = kept or snapshot or default_snapshot()
        record_snapshot(snapshot)
        seeding.seed(self.stdout, total=dossiers, batch=batch, snapshot=snapshot)
        from workflows.models import Dossier, DossierTask

        self.stdout.write(
            f"done: {Dossier.objects.count():,} dossiers, {DossierTask.objects.count():,} tasks"
            f" ({DossierTask.objects.filter(status='open').count():,} open) in"
            f" {time.perf_counter() - started:.1f} s; snapshot {snapshot.isoformat()}"
        )
