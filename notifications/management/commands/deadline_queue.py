from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from notifications.selectors import QUEUE_ITEMS, QUEUE_STATES, deadline_queue


class Command(BaseCommand):
    help = "Print the overdue and due-soon tasks and dossiers, most urgent first (the supervisors' queue)."

    def add_arguments(self, parser):
        parser.add_argument("--item", choices=QUEUE_ITEMS)
        parser.add_argument("--state", choices=QUEUE_STATES)
        parser.add_argument("--agency", type=int)
        parser.add_argument("--limit", type=int, default=100)

    def handle(self, *args, item=None, state=None, agency=None, limit=100, **options):
        as_of = timezone.now()
        rows = deadline_queue(
            as_of=as_of,
            due_soon_hours=settings.ONESTOP_DUE_SOON_HOURS,
            item=item,
            state=state,
            agency_id=agency,
        )
        total = rows.count()
        self.stdout.write(f"{'state':9} {'item':8} {'due (local)':17} {'dossier':28} {'agency / step'}")
        for row in rows[:limit]:
            due = timezone.localtime(row["q_due"])
            row_state = "overdue" if row["q_due"] <= as_of else "due_soon"
            where = row["q_agency_name"] + (f" / {row['q_step']}" if row["q_step"] else "")
            self.stdout.write(
                f"{row_state:9} {row['q_item']:8} {due:%Y-%m-%d %H:%M} {row['q_code']:28} {where}"
            )
        shown = f" (first {limit} shown)" if total > limit else ""
        self.stdout.write(f"{total} item(s){shown}")
