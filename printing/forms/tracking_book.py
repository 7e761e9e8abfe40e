"""Form 06: the tracking book (sổ theo dõi hồ sơ) of an agency and a period, as PDF and as Excel.

Both are written row by row from the selector's one-pass iterator of ``.values()`` dicts: the PDF
is drawn straight onto the canvas (no platypus table holding every row), the workbook is openpyxl's
write-only mode. A month of a busy agency (3,000 dossiers) takes a few seconds, in flat memory.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from ..data import TrackingBook
from ..fonts import BOLD, FONT
from ..toolkit import A4_LANDSCAPE, MARGIN, day, header, local, nfc

TITLE = "Sổ theo dõi hồ sơ"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SIZE = 6.6
LEADING = 8.0
PAD = 1.5
MAX_LINES = 40  # a row never outgrows a page

# (header, width in mm); the widths fill the 277 mm between the margins of A4 landscape.
COLUMNS = [
    ("STT", 9), ("Mã hồ sơ", 39), ("Tên tổ chức, cá nhân", 30), ("Địa chỉ", 28), ("Số điện thoại", 19),
    ("Thủ tục (nội dung)", 38), ("Số bộ", 9), ("Nhận hồ sơ", 17), ("Hẹn trả kết quả", 17),
    ("Có kết quả", 17), ("Trả kết quả", 17), ("Ký nhận", 15), ("Ghi chú", 22),
]  # fmt: skip
NOTES = {
    "rejected": "Từ chối tiếp nhận",
    "withdrawn": "Đã rút hồ sơ",
    "waiting_supplement": "Chờ bổ sung",
}


def _when(value) -> str:
    return "" if value is None else f"{day(value)} {local(value):%H:%M}"


def note(row: dict) -> str:
    parts = [NOTES.get(row["status"], "")]
    if row["result"] == "refused":
        parts.append("Từ chối giải quyết")
    if row["extended"]:
        parts.append("Đã xin lỗi, hẹn lại")
    if row["verdict"] == "late":
        parts.append("Quá hạn")
    return "; ".join(p for p in parts if p)


def cells(number: int, row: dict) -> list[str]:
    """One book row as text, in the order of ``COLUMNS``."""
    return [
        str(number), row["code"], row["applicant_name"], row["applicant_address"], row["applicant_phone"],
        row["procedure__name"], "1", _when(row["received_at"]), _when(row["due_at"]),
        _when(row["finished_at"]), _when(row["returned_at"]), "", note(row),
    ]  # fmt: skip


def wrap(value: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap; a word wider than the column is cut where it must."""
    lines: list[str] = []
    current = ""
    for word in nfc(value).split():
        candidate = f"{current} {word}" if current else word
        if stringWidth(candidate, font, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while stringWidth(word, font, size) > width:
            cut = len(word) - 1
            while cut > 1 and stringWidth(word[:cut], font, size) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    if len(lines) > MAX_LINES:  # says it is cut, rather than dropping the rest silently
        lines = [*lines[: MAX_LINES - 1], lines[MAX_LINES - 1][:-1] + "…"]
    return lines or [""]


class _Book:
    def __init__(self, canvas: Canvas, book: TrackingBook):
        self.canvas = canvas
        self.book = book
        self.page_width, self.page_height = A4_LANDSCAPE
        self.widths = [w * mm for _, w in COLUMNS]
        self.page = 0
        self.y = 0.0

    def new_page(self, first: bool = False) -> None:
        if self.page:
            self.canvas.showPage()
        self.page += 1
        top = self.page_height - MARGIN
        if first:
            width = self.page_width - 2 * MARGIN
            block = header(self.book.header, qr=self.book.qr, width=width)
            _, height = block.wrapOn(self.canvas, width, 60 * mm)
            block.drawOn(self.canvas, MARGIN, top - height)
            top -= height + 4 * mm
            self.canvas.setFont(BOLD, 12)
            self.canvas.drawCentredString(self.page_width / 2, top - 10, TITLE.upper())
            self.canvas.setFont(FONT, 8)
            period = f"Từ ngày {day(self.book.date_from)} đến ngày {day(self.book.date_to)}"
            self.canvas.drawCentredString(self.page_width / 2, top - 22, period)
            top -= 30
        self.canvas.setFont(FONT, 6.5)
        self.canvas.drawRightString(
            self.page_width - MARGIN,
            MARGIN - 2 * mm,
            f"{TITLE} · {nfc(self.book.header.agency.name)} · Trang {self.page}",
        )
        self.y = top
        self.draw_row([h for h, _ in COLUMNS], BOLD, shade=True)

    def draw_row(self, values: list[str], font: str = FONT, shade: bool = False) -> None:
        wrapped = [wrap(v, font, SIZE, w - 2 * PAD) for v, w in zip(values, self.widths, strict=True)]
        height = max(len(lines) for lines in wrapped) * LEADING + 2 * PAD
        if self.y - height < MARGIN and not shade:
            self.new_page()
        canvas = self.canvas
        x = MARGIN
        if shade:
            canvas.setFillGray(0.93)
            canvas.rect(MARGIN, self.y - height, sum(self.widths), height, stroke=0, fill=1)
            canvas.setFillGray(0)
        canvas.setLineWidth(0.4)
        for lines, width in zip(wrapped, self.widths, strict=True):
            canvas.rect(x, self.y - height, width, height, stroke=1, fill=0)
            text = canvas.beginText(x + PAD, self.y - PAD - SIZE)
            text.setFont(font, SIZE, LEADING)
            for line in lines:
                text.textLine(line)
            canvas.drawText(text)
            x += width
        self.y -= height


def render_tracking_book_pdf(book: TrackingBook) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4_LANDSCAPE, pageCompression=1)
    canvas.setTitle(f"{TITLE} {nfc(book.header.agency.name)}")
    drawer = _Book(canvas, book)
    drawer.new_page(first=True)
    count = 0
    for count, row in enumerate(book.rows, start=1):
        drawer.draw_row(cells(count, row))
    if count == 0:
        drawer.draw_row(["", "Không có hồ sơ trong kỳ.", *[""] * (len(COLUMNS) - 2)])
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _xlsx_rows(book: TrackingBook, sheet) -> Iterator[list]:
    bold = Font(bold=True)

    def strong(value):
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = bold
        return cell

    agency = book.header.agency
    yield [strong(nfc(agency.parent_name.upper()))] if agency.parent_name else []
    yield [strong(nfc(agency.name.upper()))]
    yield [strong(f"{TITLE.upper()}")]
    yield [f"Từ ngày {day(book.date_from)} đến ngày {day(book.date_to)}"]
    yield []
    head = []
    for name, _ in COLUMNS:
        cell = strong(name)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        head.append(cell)
    yield head
    for number, row in enumerate(book.rows, start=1):
        yield [nfc(v) for v in cells(number, row)]


def render_tracking_book_xlsx(book: TrackingBook) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("So theo doi")
    for index, (_, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[chr(64 + index)].width = width * 0.6
    for row in _xlsx_rows(book, sheet):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
