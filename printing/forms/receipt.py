"""Form 01 (Circular 01/2018/TT-VPCP): receipt and appointment slip (A5 portrait)."""

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from ..data import Receipt, Signature
from ..toolkit import content_width, esc, field, header, moment, para, render, signatures, title
from .common import applicant_lines, document_table

TITLE = "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " ₫"


def render_receipt(data: Receipt) -> bytes:
    width = content_width()
    story = [header(data.header, qr=data.qr, width=width), *title(TITLE, code=data.code)]
    story.append(para(f"{esc(data.header.agency.name)} tiếp nhận hồ sơ của:"))
    story += applicant_lines(data.applicant)
    story.append(
        field("Nội dung yêu cầu giải quyết", f"{data.procedure_name} (mã thủ tục {data.procedure_code})")
    )
    story.append(para("<b>1. Thành phần hồ sơ nộp gồm:</b>"))
    story.append(document_table(data.documents, width))
    story.append(Spacer(1, 1.5 * mm))
    story += [
        field("2. Số lượng hồ sơ", f"{data.sets:02d} bộ"),
        field("3. Thời gian giải quyết theo quy định", data.legal_duration),
        field("\u00a0\u00a0\u00a0Thời gian cam kết giải quyết", data.committed_duration),
        field("4. Thời gian nhận hồ sơ", moment(data.received_at)),
        field("5. Thời gian trả kết quả giải quyết hồ sơ", moment(data.due_at)),
        field("6. Nơi nhận kết quả", data.collect_at),
    ]
    if data.fee:
        story.append(field("7. Phí, lệ phí", _money(data.fee)))
    if data.lookup_key:
        story.append(field("Mã tra cứu hồ sơ", data.lookup_key))
        story.append(para("Quét mã QR ở góc trên bên trái để xem tình trạng hồ sơ.", "small"))
    else:
        story.append(
            para(
                "<b>Mã tra cứu hồ sơ:</b> in trên giấy tiếp nhận giao cho người nộp khi tiếp nhận. "
                "Bản in lại này không ghi mã tra cứu; mã QR dẫn đến trang tra cứu, "
                "người nộp nhập mã tra cứu của mình để xem tình trạng hồ sơ.",
            )
        )
    story.append(Spacer(1, 3 * mm))
    story.append(
        signatures(
            [
                Signature("Người nộp hồ sơ", data.applicant.name),
                Signature("Người tiếp nhận hồ sơ", data.officer),
            ],
            width,
        )
    )
    return render(story, footer=f"{TITLE} · {data.code}", title_text=TITLE)
