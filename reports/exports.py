"""Excel (openpyxl) and CSV renderings of the reports. Pure: a report in, bytes out.

Form II.06a is laid out like the official form: title, period, reporting unit, the three header
rows with merged group headers, the numbered row (1)…(13) and the extra columns after it, one row
per unit and the totals row. The other reports are plain tables with the same title block.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from .assembly import Report
from .columns import EXTRA_COLUMNS, FORM_COLUMNS, GROUP_LABELS, PROCESSING_COLUMNS

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
TOTAL_LABEL = "Tổng cộng"
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)

Columns = Sequence[tuple[str, str]]


def _title_block(ws, *, form: str, title: str, period_label: str, unit: str, width: int):
    for row, (text, bold) in enumerate(
        (
            (form, True),
            (title, True),
            (f"Kỳ báo cáo: {period_label}", False),
            (f"Đơn vị báo cáo: {unit or 'Toàn tỉnh'}", False),
        ),
        start=1,
    ):
        ws.cell(row=row, column=1, value=text).font = Font(bold=bold, size=13 if row == 2 else 11)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        ws.cell(row=row, column=1).alignment = Alignment(horizontal="center")


def _header(ws, row, col, text, *, rows=1, cols=1):
    cell = ws.cell(row=row, column=col, value=text)
    if rows > 1 or cols > 1:
        ws.merge_cells(start_row=row, start_column=col, end_row=row + rows - 1, end_column=col + cols - 1)
    for r in range(row, row + rows):
        for c in range(col, col + cols):
            ws.cell(row=r, column=c).border = _BOX
            ws.cell(row=r, column=c).alignment = _CENTER
    cell.font = Font(bold=True)


def _body(
    ws, first_row: int, keys: Sequence[str], rows: Iterable[dict], totals: dict | None, label_key="name"
):
    """One line per row: STT, label, then ``keys``; the totals line last. Returns the next row."""
    r = first_row
    for number, row in enumerate(rows, start=1):
        values = [number, row.get(label_key) or row.get("code") or "", *(row.get(k) for k in keys)]
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c, value=value).border = _BOX
        r += 1
    if totals is not None:
        values = ["", TOTAL_LABEL, *(totals.get(k) for k in keys)]
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.border, cell.font = _BOX, Font(bold=True)
        r += 1
    return r


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def processing_xlsx(report: Report) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "II.06a"
    width = 2 + len(PROCESSING_COLUMNS)
    _title_block(
        ws,
        form="Biểu số II.06a",
        title="TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        period_label=report.period.label,
        unit=report.unit,
        width=width,
    )
    top = 6
    _header(ws, top, 1, "STT", rows=3)
    _header(ws, top, 2, GROUP_LABELS[report.group_by], rows=3)
    _header(ws, top, 3, "Số hồ sơ nhận giải quyết", cols=4)
    _header(ws, top + 1, 3, "Tổng số", rows=2)
    _header(ws, top + 1, 4, "Trong kỳ", cols=2)
    _header(ws, top + 2, 4, FORM_COLUMNS[1].header)
    _header(ws, top + 2, 5, FORM_COLUMNS[2].header)
    _header(ws, top + 1, 6, FORM_COLUMNS[3].header, rows=2)
    _header(ws, top, 7, "Số hồ sơ đã giải quyết", cols=4)
    _header(ws, top + 1, 7, "Tổng số", rows=2)
    _header(ws, top + 1, 8, "Trong đó", cols=3)
    for offset, column in enumerate(FORM_COLUMNS[5:8]):
        _header(ws, top + 2, 8 + offset, column.header)
    _header(ws, top, 11, "Số hồ sơ đang giải quyết", cols=3)
    _header(ws, top + 1, 11, "Tổng số", rows=2)
    _header(ws, top + 1, 12, "Trong đó", cols=2)
    _header(ws, top + 2, 12, FORM_COLUMNS[9].header)
    _header(ws, top + 2, 13, FORM_COLUMNS[10].header)
    _header(ws, top, 14, EXTRA_COLUMNS[0].group, cols=len(EXTRA_COLUMNS))
    for offset, column in enumerate(EXTRA_COLUMNS):
        _header(ws, top + 1, 14 + offset, column.header, rows=2)
    numbers = ["(1)", "(2)", *(f"({column.number})" for column in PROCESSING_COLUMNS)]
    for c, text in enumerate(numbers, start=1):
        _header(ws, top + 3, c, text)
    _body(ws, top + 4, [column.key for column in PROCESSING_COLUMNS], report.rows, report.totals)
    ws.column_dimensions["B"].width = 40
    for c in range(3, width + 1):
        ws.column_dimensions[get_column_letter(c)].width = 12
    return _save(wb)


def table_xlsx(*, form: str, title: str, report_label: str, unit: str, sheets: Sequence[tuple]) -> bytes:
    """Plain tables, one per sheet: ``(sheet name, label header, columns, rows, totals | None)``."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, label_header, columns, rows, totals in sheets:
        ws = wb.create_sheet(name)
        width = 2 + len(columns)
        _title_block(ws, form=form, title=title, period_label=report_label, unit=unit, width=width)
        top = 6
        _header(ws, top, 1, "STT")
        _header(ws, top, 2, label_header)
        for c, (_key, header) in enumerate(columns, start=3):
            _header(ws, top, c, header)
        for c in range(1, width + 1):
            _header(ws, top + 1, c, f"({c})")
        _body(ws, top + 2, [key for key, _h in columns], rows, totals)
        ws.column_dimensions["B"].width = 40
    return _save(wb)


def table_csv(sections: Sequence[tuple[str, Columns, Iterable[dict], dict | None]]) -> bytes:
    """Machine-friendly CSV (UTF-8 with BOM so Excel reads Vietnamese): a header of keys, one line
    per row, ``totals`` last; several sections are separated by an empty line and a ``# name`` line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for index, (name, columns, rows, totals) in enumerate(sections):
        if len(sections) > 1:
            if index:
                writer.writerow([])
            writer.writerow([f"# {name}"])
        keys = [key for key, _h in columns]
        writer.writerow(["no", "code", "name", *keys])
        for number, row in enumerate(rows, start=1):
            writer.writerow(
                [number, row.get("code", ""), row.get("name", ""), *(_csv(row.get(k)) for k in keys)]
            )
        if totals is not None:
            writer.writerow(["", "", "totals", *(_csv(totals.get(k)) for k in keys)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv(value):
    return "" if value is None else value
