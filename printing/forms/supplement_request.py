"""Form 02: request to complete the dossier (A5 portrait)."""

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from ..data import Signature, SupplementRequest
from ..toolkit import content_width, day, esc, field, header, para, render, signatures, title
from .common import document_table

TITLE = "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"


def render_supplement_request(data: SupplementRequest) -> bytes:
    width = content_width()
    story = [header(data.header, qr=data.qr, width=width), *title(TITLE, code=data.code)]
    story += [
        field("Hồ sơ của", data.applicant.name),
        field("Nội dung yêu cầu giải quyết", f"{data.procedure_name} (mã thủ tục {data.procedure_code})"),
        field("Ngày tiếp nhận hồ sơ", day(data.received_at)),
        field("Ngày yêu cầu bổ sung", day(data.requested_at)),
        para("<b>Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:</b>"),
        document_table(data.missing, width),
        Spacer(1, 1.5 * mm),
        field("Lý do", data.reason),
        para(
            "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ "
            f"{esc(data.officer) or '…………'} ({esc(data.officer_agency)}) để được hướng dẫn."
        ),
        Spacer(1, 3 * mm),
        signatures(
            [Signature("Người nộp hồ sơ", data.applicant.name), Signature("Người hướng dẫn", data.officer)],
            width,
        ),
    ]
    return render(story, footer=f"{TITLE} · {data.code}", title_text=TITLE)
