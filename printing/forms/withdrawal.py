"""The stop notice when the applicant withdraws (A5 portrait, in the style of forms 01–06)."""

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from ..data import Signature, Withdrawal
from ..toolkit import content_width, day, esc, field, header, moment, para, render, signatures, title
from .common import document_table

TITLE = "Thông báo dừng giải quyết hồ sơ"


def render_withdrawal(data: Withdrawal) -> bytes:
    width = content_width()
    agency = esc(data.header.agency.name)
    story = [header(data.header, qr=data.qr, width=width), *title(TITLE, code=data.code)]
    story += [
        field("Kính gửi", data.applicant.name),
        para(
            f"Ngày {day(data.received_at)}, {agency} tiếp nhận hồ sơ của Ông/Bà, mã hồ sơ "
            f"{esc(data.code)}, đề nghị giải quyết thủ tục: {esc(data.procedure_name)} "
            f"(mã thủ tục {esc(data.procedure_code)})."
        ),
        para(f"Theo đề nghị rút hồ sơ của Ông/Bà, {agency} dừng giải quyết hồ sơ nêu trên kể từ:"),
        para(f"<b>{esc(moment(data.withdrawn_at))}</b>", "center"),
        field("Lý do", data.reason or "Người nộp hồ sơ đề nghị rút hồ sơ."),
        para("<b>Thành phần hồ sơ trả lại cho Ông/Bà:</b>"),
        document_table(data.documents, width),
        Spacer(1, 3 * mm),
        signatures(
            [Signature("Người nộp hồ sơ", data.applicant.name), Signature("Người tiếp nhận", data.officer)],
            width,
        ),
    ]
    return render(story, footer=f"{TITLE} · {data.code}", title_text=TITLE)
