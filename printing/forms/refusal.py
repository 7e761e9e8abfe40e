"""Form 03: refusal to receive or to resolve the dossier, with the specific reasons (A5 portrait)."""

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from ..data import Refusal, Signature
from ..toolkit import content_width, day, esc, field, header, para, render, signatures, title
from .common import applicant_lines

TITLE = "Phiếu từ chối tiếp nhận giải quyết hồ sơ"


def render_refusal(data: Refusal) -> bytes:
    width = content_width()
    agency = esc(data.header.agency.name)
    what = "tiếp nhận" if data.at_intake else "giải quyết"
    story = [header(data.header, qr=data.qr, width=width), *title(TITLE, code=data.code)]
    story.append(para(f"{agency} nhận được hồ sơ ngày {day(data.received_at)} của:"))
    story += applicant_lines(data.applicant)
    story.append(
        field("Nội dung yêu cầu giải quyết", f"{data.procedure_name} (mã thủ tục {data.procedure_code})")
    )
    story.append(
        para(
            f"Ngày {day(data.refused_at)}, qua xem xét, {agency} thông báo không {what} hồ sơ này "
            "với lý do cụ thể như sau:"
        )
    )
    story += [para(f"{index}. {esc(reason)}") for index, reason in enumerate(data.reasons, start=1)]
    story.append(para("Xin thông báo để Ông/Bà được biết và thực hiện./."))
    story.append(Spacer(1, 3 * mm))
    story.append(
        signatures(
            [
                Signature("Người nộp hồ sơ", data.applicant.name),
                Signature("Người tiếp nhận" if data.at_intake else "Người xử lý hồ sơ", data.officer),
            ],
            width,
        )
    )
    return render(story, footer=f"{TITLE} · {data.code}", title_text=TITLE)
