"""The shared toolkit of the printed forms: text, header, title, tables, signature blocks, pages.

Every layout module (``printing/forms/*.py``) is a pure function from a plain data object to PDF
bytes built from these pieces. All text goes through ``esc`` (NFC-normalised, XML-escaped) before
it reaches reportlab: decomposed diacritics would be drawn as separate, misplaced marks.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .codes import QRCode, barcode
from .data import FormHeader, Signature
from .fonts import BOLD, FONT, ITALIC, register_fonts

A5_PORTRAIT = A5
A4_LANDSCAPE = landscape(A4)
MARGIN = 10 * mm
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"
EMPTY = "…………"

register_fonts()


def nfc(value) -> str:
    return unicodedata.normalize("NFC", "" if value is None else str(value))


def esc(value) -> str:
    """Text for a reportlab paragraph: NFC, with ``& < >`` escaped."""
    return escape(nfc(value))


def local(when: dt.datetime) -> dt.datetime:
    return timezone.localtime(when)


def day(when: dt.datetime | dt.date | None) -> str:
    """``dd/mm/yyyy`` on the office clock."""
    if when is None:
        return EMPTY
    if isinstance(when, dt.datetime):
        when = local(when)
    return f"{when:%d/%m/%Y}"


def moment(when: dt.datetime | None) -> str:
    """``HH giờ mm phút, ngày dd/mm/yyyy`` on the office clock, as the circulars print times."""
    if when is None:
        return EMPTY
    when = local(when)
    return f"{when:%H} giờ {when:%M} phút, ngày {when:%d/%m/%Y}"


def place_date(place: str, when: dt.datetime) -> str:
    when = local(when)
    return f"{nfc(place) or '……'}, ngày {when:%d} tháng {when:%m} năm {when:%Y}"


def _style(name: str, size: float, *, font: str = FONT, align=TA_LEFT, leading=None, **kw) -> ParagraphStyle:
    return ParagraphStyle(
        name, fontName=font, fontSize=size, leading=leading or size * 1.3, alignment=align, **kw
    )


STYLES = {
    "body": _style("body", 8.5, align=TA_JUSTIFY, spaceAfter=1.5),
    "small": _style("small", 7),
    "cell": _style("cell", 7.2, leading=8.8),
    "cell_center": _style("cell_center", 7.2, align=TA_CENTER, leading=8.8),
    "cell_head": _style("cell_head", 7.2, font=BOLD, align=TA_CENTER, leading=8.8),
    "center": _style("center", 8.5, align=TA_CENTER),
    "center_bold": _style("center_bold", 8.5, font=BOLD, align=TA_CENTER),
    "center_italic": _style("center_italic", 7.5, font=ITALIC, align=TA_CENTER),
    "title": _style("title", 11, font=BOLD, align=TA_CENTER, spaceBefore=2, spaceAfter=1),
    "subtitle": _style("subtitle", 8.5, font=ITALIC, align=TA_CENTER),
    "code": _style("code", 8.5, font=BOLD, align=TA_CENTER, spaceAfter=3),
}


def para(markup: str, style: str = "body") -> Paragraph:
    """A paragraph of markup whose variable parts were escaped with ``esc``."""
    return Paragraph(markup, STYLES[style])


def text(value, style: str = "body") -> Paragraph:
    return Paragraph(esc(value), STYLES[style])


def field(label: str, value, *, empty: str = EMPTY) -> Paragraph:
    """``Label: value`` with the label in bold; dotted when the value is missing."""
    shown = esc(value) if nfc(value).strip() else empty
    return para(f"<b>{esc(label)}:</b> {shown}")


def _fit(line: str, font: str, width: float, largest: float) -> float:
    size = largest
    while size > 5 and stringWidth(line, font, size) > width:
        size -= 0.25
    return size


def header(h: FormHeader, *, qr: str, width: float) -> Table:
    """QR code in the top-left corner, the agency on the left, the national motto on the right."""
    qr_size = 20 * mm if width < 150 * mm else 24 * mm
    left_width = (width - qr_size) * 0.42
    right_width = width - qr_size - left_width
    motto_size = _fit(MOTTO, BOLD, right_width - 2, 8)
    motto = _style("motto", motto_size, font=BOLD, align=TA_CENTER)
    motto2 = _style("motto2", motto_size + 0.5, font=BOLD, align=TA_CENTER)
    agency = [para(esc(h.agency.parent_name.upper()), "center")] if h.agency.parent_name else []
    agency += [
        para(esc(h.agency.name.upper()), "center_bold"),
        para("<u>" + "\u00a0" * 24 + "</u>", "center"),
    ]
    right = [
        Paragraph(esc(MOTTO), motto),
        Paragraph(f"<u>{esc(MOTTO_2)}</u>", motto2),
        Spacer(1, 2),
        para(esc(place_date(h.place, h.issued_at)), "center_italic"),
    ]
    table = Table([[QRCode(qr, qr_size), agency, right]], colWidths=[qr_size, left_width, right_width])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 1),
                ("RIGHTPADDING", (0, 0), (-1, -1), 1),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("LEFTPADDING", (0, 0), (0, 0), 0),
            ]
        )
    )
    return table


def title(main: str, *, subtitle: str = "", code: str = "") -> list:
    """The form's title, its subtitle, and the dossier code as a barcode and as text."""
    parts: list = [Spacer(1, 3 * mm), para(esc(main.upper()), "title")]
    if subtitle:
        parts.append(para(esc(subtitle), "subtitle"))
    if code:
        parts += [Spacer(1, 1.5 * mm), barcode(code), para(f"Mã hồ sơ: {esc(code)}", "code")]
    return parts


def table(headers: Sequence[str], rows: Iterable[Sequence], widths: Sequence[float]) -> Table:
    """A bordered table with a bold header row repeated on every page; cells wrap."""
    data = [[para(esc(h), "cell_head") for h in headers]]
    for row in rows:
        data.append([cell if not isinstance(cell, str | int) else para(esc(cell), "cell") for cell in row])
    result = Table(data, colWidths=list(widths), repeatRows=1)
    result.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.93, 0.93, 0.93)),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return result


def signatures(blocks: Sequence[Signature], width: float) -> Table:
    """Side-by-side signature blocks: title, "(Ký và ghi rõ họ tên)", room to sign, the name."""
    cells = []
    for block in blocks:
        cells.append(
            [
                para(esc(block.title.upper()), "center_bold"),
                para(esc(block.hint or "(Ký và ghi rõ họ tên)"), "center_italic"),
                Spacer(1, 15 * mm),
                para(esc(block.name), "center_bold"),
            ]
        )
    result = Table([cells], colWidths=[width / len(blocks)] * len(blocks))
    result.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    result.keepWithNext = False
    return result


def render(story: list, *, pagesize=A5_PORTRAIT, footer: str = "", title_text: str = "") -> bytes:
    """Lay the story out on as many pages as it needs, with ``footer`` and the page number."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 3 * mm,
        title=nfc(title_text),
        author="onestop",
        creator="onestop",
    )

    def on_page(canvas, document):
        canvas.saveState()
        canvas.setFont(FONT, 6.5)
        line = f"{nfc(footer)} · Trang {document.page}" if footer else f"Trang {document.page}"
        canvas.drawRightString(pagesize[0] - MARGIN, MARGIN - 1 * mm, line)
        canvas.restoreState()

    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


def content_width(pagesize=A5_PORTRAIT) -> float:
    return pagesize[0] - 2 * MARGIN
