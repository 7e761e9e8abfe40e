"""Build (or rebuild, as a new version) the periodic package of a past period, by hand."""

from django.core.management.base import BaseCommand, CommandError

from core.exceptions import InvalidInput
from procedures.models import Agency

from ...services import package_build


class Command(BaseCommand):
    help = "Lập gói báo cáo định kỳ cho một kỳ đã kết thúc (--rebuild: thêm một phiên bản mới)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["quarter", "half", "year"])
        parser.add_argument("year", type=int)
        parser.add_argument("number", type=int, nargs="?", default=1)
        parser.add_argument("--agency", help="Mã đơn vị (mặc định: toàn tỉnh).")
        parser.add_argument("--rebuild", action="store_true")

    def handle(self, *args, kind, year, number, agency=None, rebuild=False, **options):
        target = None
        if agency:
            target = Agency.objects.filter(code=agency).first()
            if target is None:
                raise CommandError(f"Không có đơn vị {agency}.")
        try:
            package, built = package_build(
                kind=kind, year=year, number=number, agency=target, rebuild=rebuild
            )
        except InvalidInput as exc:
            raise CommandError(exc.message) from exc
        state = "đã lập" if built else "đã có"
        self.stdout.write(f"{package.label} · {package.scope} · phiên bản {package.version}: {state}")
