"""Pieces several dossier forms share: the applicant lines and the document table."""

from collections.abc import Sequence

from reportlab.lib.units import mm

from ..data import Applicant, DocumentLine
from ..toolkit import esc, field, para, table


def applicant_lines(applicant: Applicant) -> list:
    who = "Tổ chức, doanh nghiệp" if applicant.is_organisation else "Ông/Bà"
    number = "Mã số doanh nghiệp/Mã số thuế" if applicant.is_organisation else "Số định danh cá nhân"
    return [
        field(who, applicant.name),
        field(number, applicant.id_number),
        field("Địa chỉ", applicant.address),
        field("Số điện thoại", applicant.phone),
        field("Thư điện tử", applicant.email),
    ]


def document_table(documents: Sequence[DocumentLine], width: float):
    widths = [8 * mm, width - 8 * mm - 26 * mm - 14 * mm, 26 * mm, 14 * mm]
    rows = [
        (para(str(i), "cell_center"), d.name, d.kind, para(esc(d.count), "cell_center"))
        for i, d in enumerate(documents, start=1)
    ]
    return table(["STT", "Tên giấy tờ", "Hình thức", "Số lượng"], rows or [("", "", "", "")], widths)
