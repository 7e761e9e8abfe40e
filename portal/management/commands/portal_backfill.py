"""``manage.py portal_backfill --from 2026-01-01 --to 2026-01-31``: queue a snapshot of every dossier
received in the period for the national portal (``DongBoHoSoMC`` with its current status)."""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.backfill import backfill


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"Ngày không hợp lệ (YYYY-MM-DD): {text}") from exc


class Command(BaseCommand):
    help = "Ghi bản ghi đồng bộ Cổng cho các hồ sơ tiếp nhận trong khoảng ngày (theo lô)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--from", dest="start", required=True, help="first day, YYYY-MM-DD (office clock)"
        )
        parser.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD (included)")
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, start, end, batch_size, **options):
        first, last = _date(start), _date(end)
        if last < first:
            raise CommandError("--to phải không trước --from.")
        if batch_size < 1:
            raise CommandError("--batch-size phải ≥ 1.")
        if not settings.ONESTOP_PORTAL_URL:
            self.stderr.write("ONESTOP_PORTAL_URL chưa đặt: các bản ghi sẽ chờ đến khi bật kết nối Cổng.")

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"{done}/{total} hồ sơ")

        written = backfill(start=first, end=last, batch_size=batch_size, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"Đã ghi {written} bản ghi đồng bộ ({first} – {last})."))
