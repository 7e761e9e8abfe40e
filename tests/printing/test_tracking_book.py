"""The tracking book: the agency's dossiers of the period, oldest first, as PDF (A4 landscape,
as many pages as needed) and as Excel, streamed from ``.values()`` rows."""

import datetime as dt
import io
import types

import openpyxl
import zxingcpp
from reportlab.lib.units import mm

from printing import selectors
from printing.data import AgencyInfo, FormHeader, TrackingBook
from printing.fonts import FONT
from printing.forms.tracking_book import (
    MAX_LINES,
    SIZE,
    render_tracking_book_pdf,
    render_tracking_book_xlsx,
    wrap,
)
from workflows import services

from .conftest import APPLICANT, NAME, PRINTED_AT, decode, flat, ink_near_edges, local, pdf_text, save_pngs

MARCH = {"date_from": dt.date(2026, 3, 1), "date_to": dt.date(2026, 3, 31)}


def _book(agency):
    return selectors.tracking_book(
        agency=agency, start=local(2026, 3, 1), end=local(2026, 4, 1), at=PRINTED_AT, **MARCH
    )


def _month(dossier_in, clock, register):
    first, _ = dossier_in("returned")
    second, _ = register(name="Phạm Văn Đức")
    refused, _ = dossier_in("rejected")
    clock.now = local(2026, 4, 1, 8, 0)  # April: not in March's book
    return [first, second, refused]


def test_the_book_lists_the_agencys_dossiers_of_the_period(dossier_in, clock, register, agencies):
    march = _month(dossier_in, clock, register)
    pdf = render_tracking_book_pdf(_book(agencies[0]))
    text = pdf_text(pdf)
    assert flat("SỔ THEO DÕI HỒ SƠ") in flat(text)
    assert "Từ ngày 01/03/2026 đến ngày 31/03/2026" in text
    for dossier in march:
        assert dossier.code in text
    assert NAME in text and "Phạm Văn Đức" in text
    assert "02/03/2026" in text and "05/03/2026" in text  # received; returned
    assert "Từ chối tiếp nhận" in text
    (payload,) = decode(save_pngs(pdf, "tracking-book")[0], zxingcpp.BarcodeFormat.QRCode)
    assert payload == "SOTHEODOI:000.00.31.H57\nTU:20260301\nDEN:20260331\nTG:20260305093000"


def test_the_book_leaves_out_other_agencies_and_periods(
    dossier_in, clock, register, agencies, procedure, staff
):
    march = _month(dossier_in, clock, register)
    clock.now = local(2026, 4, 1, 9, 0)
    april, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="online", by=staff[(0, "reception")]
    )
    assert april.code not in pdf_text(render_tracking_book_pdf(_book(agencies[0])))
    text = pdf_text(render_tracking_book_pdf(_book(agencies[1])))
    assert "Không có hồ sơ trong kỳ." in text
    book = selectors.tracking_book(
        agency=agencies[0], start=local(2026, 4, 1), end=local(2026, 5, 1), at=PRINTED_AT,
        date_from=dt.date(2026, 4, 1), date_to=dt.date(2026, 4, 30),
    )  # fmt: skip
    assert [row["code"] for row in book.rows] == [april.code]
    assert all(d.code != april.code for d in march)


def test_rows_are_streamed_values_not_model_instances(dossier_in, clock, register, agencies):
    _month(dossier_in, clock, register)
    rows = _book(agencies[0]).rows
    assert isinstance(rows, types.GeneratorType)
    first = next(rows)
    assert isinstance(first, dict) and set(first) == set(selectors.TRACKING_COLUMNS)


def test_the_excel_book_has_a_row_per_dossier(dossier_in, clock, register, agencies):
    march = _month(dossier_in, clock, register)
    workbook = openpyxl.load_workbook(io.BytesIO(render_tracking_book_xlsx(_book(agencies[0]))))
    values = [row for row in workbook.active.iter_rows(values_only=True)]
    codes = [row[1] for row in values if row and row[1] and str(row[1]).startswith("000.")]
    assert sorted(codes) == sorted(d.code for d in march)
    assert any(row and row[0] == "SỔ THEO DÕI HỒ SƠ" for row in values)


def _row(n: int, name: str) -> dict:
    when = local(2026, 3, 2, 8, 0)
    return {
        "code": f"000.00.31.H57-260302-{n:04d}", "applicant_name": name, "applicant_address": name,
        "applicant_phone": APPLICANT["phone"], "procedure__name": name * 3, "received_at": when,
        "due_at": when, "finished_at": None, "returned_at": None, "status": "processing", "result": "",
        "extended": n % 2 == 0, "verdict": "",
    }  # fmt: skip


def test_long_names_and_many_rows_make_more_pages_inside_the_margins():
    name = ("Công ty Cổ phần Đầu tư Phát triển Hạ tầng Khu công nghiệp Ánh Dương " * 4)[:200]
    header = FormHeader(AgencyInfo("000.00.31.H57", "Sở Tư pháp", "Ủy ban nhân dân tỉnh"), "Huế", PRINTED_AT)
    rows = [_row(n, name) for n in range(1, 41)] + [_row(41, "X" * 200)]  # one word wider than its column
    pdf = render_tracking_book_pdf(TrackingBook(header=header, qr="SOTHEODOI:x", rows=iter(rows), **MARCH))
    text = pdf_text(pdf)
    assert "000.00.31.H57-260302-0041" in text and "Đã xin lỗi, hẹn lại" in text
    assert flat(name) in flat(text)
    images = save_pngs(pdf, "tracking-book-long")
    assert len(images) > 3
    for number, image in enumerate(images, start=1):
        assert not ink_near_edges(image), f"page {number} draws outside its margins"


def test_a_cell_longer_than_a_page_is_cut_with_an_ellipsis():
    lines = wrap("Đăng ký biến động quyền sử dụng đất " * 200, FONT, SIZE, 35 * mm)
    assert len(lines) == MAX_LINES and lines[-1].endswith("…")
    assert wrap("Sở Tư pháp", FONT, SIZE, 35 * mm) == ["Sở Tư pháp"]
