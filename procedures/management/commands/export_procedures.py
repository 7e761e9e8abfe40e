"""Export the catalog (current versions) as the reference JSON document."""

import json

from django.core.management.base import BaseCommand

from procedures.selectors import catalog_export


class Command(BaseCommand):
    help = "Xuất danh mục thủ tục (phiên bản hiện hành) ra JSON, cùng dạng với tệp nhập."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="tệp JSON để ghi; bỏ trống thì ghi ra stdout")

    def handle(self, *args, **options):
        text = json.dumps(catalog_export(), ensure_ascii=False, indent=2) + "\n"
        if options["file"]:
            with open(options["file"], "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(f"Đã ghi {options['file']}.")
        else:
            self.stdout.write(text, ending="")
