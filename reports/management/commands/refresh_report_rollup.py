"""``python manage.py refresh_report_rollup [--since DATE | --all]``: roll up the closed days.

Without options: the days since the last refresh (the first run builds everything). ``--since``
redoes the flows from that local date and the stock (after an import or a backfill); ``--all``
rebuilds from scratch. The Celery beat task ``reports.refresh_rollup`` runs the default.
"""

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from reports.rollup import rebuild, refresh


class Command(BaseCommand):
    help = "Refresh the report rollup (reports.models) for the closed days."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--since", help="redo from this local date (YYYY-MM-DD)")
        group.add_argument("--all", action="store_true", help="rebuild everything")

    def handle(self, *args, since=None, all=False, **options):
        started = time.monotonic()
        if all:
            done = rebuild()
        else:
            try:
                day = dt.date.fromisoformat(since) if since else None
            except ValueError as exc:
                raise CommandError(f"--since: not a date (YYYY-MM-DD): {since!r}") from exc
            done = refresh(since=day)
        self.stdout.write(
            f"Rolled up until {done['until']}: {done['flows']} flow rows, {done['stock']} stock rows, "
            f"{done['hours']} hours rows "
            f"in {time.monotonic() - started:.1f} s"
        )
