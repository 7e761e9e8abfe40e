from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from notifications.sweep import sweep_deadlines


class Command(BaseCommand):
    help = "Run one deadline sweep now (what Celery beat runs every ONESTOP_SWEEP_INTERVAL_SECONDS)."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="ISO 8601 instant to sweep at (default: now)")
        parser.add_argument("--hours", type=float, default=None, help="due-soon threshold in working hours")

    def handle(self, *args, as_of=None, hours=None, **options):
        when = timezone.now()
        if as_of:
            when = parse_datetime(as_of)
            if when is None or timezone.is_naive(when):
                raise CommandError(
                    "--as-of needs an ISO 8601 datetime with its offset, e.g. 2026-03-02T09:00+07:00"
                )
        result = sweep_deadlines(as_of=when, due_soon_hours=hours or settings.ONESTOP_DUE_SOON_HOURS)
        for key, value in result.as_dict().items():
            self.stdout.write(f"{key}: {value}")
