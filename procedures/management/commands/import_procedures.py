"""Import a procedure catalog file (.json, .csv, .xlsx): all or nothing, one message per problem."""

import datetime as dt
import sys

from django.core.management.base import BaseCommand, CommandError

from procedures import services
from procedures.services import CatalogInvalid, catalog_problems, procedure_import
from procedures.tabular import read_catalog_file

# Below this many procedures an import is quick enough that a progress bar is only noise.
PROGRESS_THRESHOLD = 50


class ProgressBar:
    """A one-line progress bar on stderr, redrawn in place."""

    def __init__(self, stream, width: int = 30):
        self.stream = stream
        self.width = width

    def __call__(self, done: int, total: int) -> None:
        filled = self.width * done // total
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {done}/{total} thủ tục")
        if done == total:
            self.stream.write("\n")
        self.stream.flush()


def parse_effective_from(value: str | None) -> dt.datetime | None:
    try:
        return services.parse_effective_from(value)
    except ValueError as exc:
        raise CommandError(f"--effective-from: {exc}.") from exc


class Command(BaseCommand):
    help = (
        "Nhập danh mục thủ tục từ tệp .json, .csv hoặc .xlsx. Có lỗi thì không ghi gì và in từng lỗi "
        "kèm dòng/đường dẫn. Nhập lại cùng tệp không thay đổi gì; thủ tục thay đổi sẽ có phiên bản mới."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="đường dẫn tệp .json, .csv hoặc .xlsx")
        parser.add_argument(
            "--effective-from",
            help=(
                "thời điểm các phiên bản tạo ra có hiệu lực (YYYY-MM-DD hoặc ISO 8601); mặc định: "
                "meta.effective_from của tệp, nếu không có thì phiên bản đầu tiên của một thủ tục "
                "có hiệu lực từ trước đến nay và phiên bản mới có hiệu lực từ bây giờ"
            ),
        )
        parser.add_argument("--no-progress", action="store_true", help="không hiện thanh tiến độ")

    def handle(self, *args, **options):
        effective_from = parse_effective_from(options["effective_from"])
        try:
            source = read_catalog_file(options["file"])
        except FileNotFoundError as exc:
            raise CommandError(f"Không tìm thấy tệp {options['file']}.") from exc
        problems = list(source.problems)
        result = None
        if problems:
            # Report what the rules find too, so one run lists every problem in the file.
            problems += catalog_problems(data=source.data)
        else:
            total = len(source.data.get("procedures") or []) if isinstance(source.data, dict) else 0
            show = total >= PROGRESS_THRESHOLD and not options["no_progress"]
            try:
                result = procedure_import(
                    data=source.data,
                    effective_from=effective_from,
                    progress=ProgressBar(sys.stderr) if show else None,
                )
            except CatalogInvalid as exc:
                problems = exc.problems
        if problems:
            for problem in problems:
                self.stderr.write(source.describe(problem))
            raise CommandError(f"{len(problems)} lỗi; không ghi gì vào cơ sở dữ liệu.")
        self.stdout.write(result.summary())
        for line in result.dates_used():
            self.stdout.write(line)
        for label in result.new_versions:
            self.stdout.write(f"  phiên bản mới: {label}")
