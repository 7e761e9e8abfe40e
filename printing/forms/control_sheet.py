"""Form 05: the process control sheet, one row per hand-off (A5 portrait, more pages if needed)."""

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from ..data import ControlSheet, HandOff
from ..toolkit import content_width, esc, field, header, moment, para, render, table, title

TITLE = "Phiếu kiểm soát quá trình giải quyết hồ sơ"


def _row(index: int, row: HandOff) -> list:
    who = f"<b>{index}. Giao:</b> {esc(row.giver_agency)}<br/><b>Nhận:</b> {esc(row.receiver_agency)}"
    when = f"Giao: {esc(moment(row.at))}"
    if row.received_at:
        when += f"<br/>Nhận: {esc(moment(row.received_at))}"
    when += f"<br/>Người giao: {esc(row.giver) or '…………'}<br/>Người nhận: {esc(row.receiver) or '…………'}"
    return [para(who, "cell"), para(when, "cell"), row.verdict, row.note]


def render_control_sheet(data: ControlSheet) -> bytes:
    width = content_width()
    story = [header(data.header, qr=data.qr, width=width), *title(TITLE, code=data.code)]
    story += [
        para(f"(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả mã hồ sơ {esc(data.code)})", "subtitle"),
        field("Cơ quan (bộ phận) giải quyết hồ sơ", ", ".join(data.handling_agencies)),
        field("Người nộp hồ sơ", data.applicant.name),
        field("Thủ tục", f"{data.procedure_name} (mã thủ tục {data.procedure_code})"),
        field("Thời gian nhận hồ sơ", moment(data.received_at)),
        field("Thời gian hẹn trả kết quả", moment(data.due_at)),
        Spacer(1, 1.5 * mm),
    ]
    widths = [36 * mm, 44 * mm, 21 * mm, width - 101 * mm]
    headers = ["Tên cơ quan", "Thời gian giao, nhận hồ sơ", "Kết quả (trước, đúng, quá hạn)", "Ghi chú"]
    story.append(table(headers, [_row(i, r) for i, r in enumerate(data.rows, start=1)], widths))
    return render(story, footer=f"{TITLE} · {data.code}", title_text=TITLE)
