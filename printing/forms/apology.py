"""Form 04: apology and new appointment, signed by the head (A5 portrait)."""

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from ..data import Apology, Signature
from ..toolkit import content_width, day, esc, field, header, moment, para, render, signatures, title

TITLE = "Phiếu xin lỗi và hẹn lại ngày trả kết quả"


def render_apology(data: Apology) -> bytes:
    width = content_width()
    agency = esc(data.header.agency.name)
    story = [header(data.header, qr=data.qr, width=width), *title(TITLE, code=data.code)]
    story += [
        field("Kính gửi", data.applicant.name),
        para(
            f"Ngày {day(data.received_at)}, {agency} tiếp nhận giải quyết hồ sơ của Ông/Bà, "
            f"mã hồ sơ {esc(data.code)}, đề nghị giải quyết thủ tục: {esc(data.procedure_name)} "
            f"(mã thủ tục {esc(data.procedure_code)})."
        ),
        field("Thời gian hẹn trả kết quả giải quyết hồ sơ", moment(data.original_due_at)),
        para(
            f"Tuy nhiên đến nay, {agency} chưa trả kết quả giải quyết hồ sơ cho Ông/Bà đúng hạn như đã hẹn."
        ),
        field("Lý do", data.reason),
        para(
            "Sự chậm trễ này đã gây phiền hà, tốn kém chi phí đi lại cho Ông/Bà. "
            f"{agency} xin lỗi Ông/Bà và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà vào:"
        ),
        para(f"<b>{esc(moment(data.new_due_at))}</b>", "center"),
        para("Xin trân trọng cảm ơn./."),
        Spacer(1, 3 * mm),
        signatures(
            [Signature("Thủ trưởng cơ quan", data.head, "(Ký, ghi rõ họ tên và đóng dấu)")], width / 2
        ),
    ]
    story[-1].hAlign = "RIGHT"
    return render(story, footer=f"{TITLE} · {data.code}", title_text=TITLE)
