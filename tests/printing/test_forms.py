"""Every dossier form, rendered from its selector: title, code, applicant, dd/mm/yyyy dates, the
QR code and the barcode on the page, a PNG to look at, and no text outside the page."""

import dataclasses
import unicodedata

import pytest
import zxingcpp

from printing import selectors
from printing.data import DocumentLine, HandOff
from printing.registry import FORMS, render_form

from .conftest import NAME, PRINTED_AT, decode, flat, ink_near_edges, local, pages, pdf_text, save_pngs

# form -> (the dossier state it needs, the dates it prints, the date of the form in its header)
CASES = {
    "receipt": ("processing", ["02/03/2026", "09/03/2026"], "02 tháng 03"),
    "supplement-request": ("supplement", ["02/03/2026", "03/03/2026"], "03 tháng 03"),
    "refusal": ("refused", ["02/03/2026", "03/03/2026"], "03 tháng 03"),
    "apology": ("extended", ["02/03/2026", "16/03/2026"], "04 tháng 03"),
    "withdrawal": ("withdrawn", ["02/03/2026", "03/03/2026"], "03 tháng 03"),
    "control-sheet": ("returned", ["02/03/2026", "04/03/2026", "05/03/2026"], "05 tháng 03"),
}
TITLES = {slug: spec.title.upper() for slug, spec in FORMS.items()}


def test_every_dossier_form_has_a_case():
    assert set(CASES) == set(FORMS)


@pytest.mark.parametrize("form", list(CASES))
def test_form_prints_its_title_code_applicant_and_dates(dossier_in, form):
    dossier, _ = dossier_in(CASES[form][0])
    pdf = render_form(dossier, form, at=PRINTED_AT)
    text = pdf_text(pdf)
    assert pdf.startswith(b"%PDF")
    assert flat(TITLES[form]) in flat(text)
    assert dossier.code in text
    assert NAME in text
    for date in CASES[form][1]:
        assert date in text, date
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Sở Tư pháp".upper() in text
    assert f"ngày {CASES[form][2]} năm 2026" in text
    save_pngs(pdf, form)


@pytest.mark.parametrize("form", [f for f in CASES if f != "receipt"])
def test_qr_code_holds_the_dossier_code_procedure_and_time(dossier_in, form):
    dossier, _ = dossier_in(CASES[form][0])
    first = pages(render_form(dossier, form, at=PRINTED_AT))[0]
    (payload,) = decode(first, zxingcpp.BarcodeFormat.QRCode)
    assert payload == f"MHS:{dossier.code}\nTTHC:1.001193\nPHIEU:{form}\nTG:20260305093000"


@pytest.mark.parametrize("form", list(CASES))
def test_the_code_is_printed_as_a_barcode(dossier_in, form):
    dossier, _ = dossier_in(CASES[form][0])
    first = pages(render_form(dossier, form, at=PRINTED_AT), dpi=300)[0]
    assert decode(first, zxingcpp.BarcodeFormat.Code128) == [dossier.code]


def test_receipt_with_the_key_prints_it_and_its_qr_opens_the_dossier(dossier_in, settings):
    settings.ONESTOP_PUBLIC_BASE_URL = "https://motcua.example.gov.vn"
    dossier, key = dossier_in("processing")
    pdf = render_form(dossier, "receipt", key=key, at=PRINTED_AT)
    assert key in pdf_text(pdf)
    (payload,) = decode(pages(pdf)[0], zxingcpp.BarcodeFormat.QRCode)
    assert payload == f"https://motcua.example.gov.vn/tra-cuu/{dossier.code}/?key={key}"
    save_pngs(pdf, "receipt-with-key")


def test_receipt_without_the_key_links_the_lookup_page_and_says_so(dossier_in, settings):
    settings.ONESTOP_PUBLIC_BASE_URL = "https://motcua.example.gov.vn/"
    dossier, key = dossier_in("processing")
    pdf = render_form(dossier, "receipt", at=PRINTED_AT)
    text = pdf_text(pdf)
    assert key not in text
    assert "không ghi mã tra cứu" in text
    (payload,) = decode(pages(pdf)[0], zxingcpp.BarcodeFormat.QRCode)
    assert payload == f"https://motcua.example.gov.vn/tra-cuu/{dossier.code}/"


def test_receipt_refuses_a_wrong_key(dossier_in):
    dossier, key = dossier_in("processing")
    with pytest.raises(selectors.InvalidInput) as error:
        render_form(dossier, "receipt", key="WRONGKEY12")
    assert error.value.fields == {"key": ["Mã tra cứu không đúng."]}


def test_receipt_prints_times_fee_and_documents(dossier_in):
    dossier, _ = dossier_in("processing")
    text = pdf_text(render_form(dossier, "receipt", at=PRINTED_AT))
    assert "08 giờ 00 phút, ngày 02/03/2026" in text
    assert "ngày 09/03/2026" in text  # 5 working days later
    assert "10 ngày làm việc" in text and "5 ngày làm việc" in text
    for name in ("Tờ khai đăng ký khai sinh", "Giấy chứng sinh", "Căn cước của cha, mẹ"):
        assert name in text
    assert "Bản sao chứng thực" in text
    assert "Tâm reception" in text  # the receiving officer signs


def test_refusal_at_intake_lists_the_reasons(dossier_in):
    dossier, _ = dossier_in("rejected")
    text = pdf_text(render_form(dossier, "refusal", at=PRINTED_AT))
    assert "không tiếp nhận hồ sơ" in text
    assert "1. Thiếu giấy chứng sinh bản chính." in text
    assert "2. Tờ khai chưa có chữ ký của người đi khai." in text
    assert "NGƯỜI TIẾP NHẬN" in text


def test_refusal_on_a_step_is_signed_by_the_officer_who_refused(dossier_in):
    dossier, _ = dossier_in("refused")
    text = pdf_text(render_form(dossier, "refusal", at=PRINTED_AT))
    assert "không giải quyết hồ sơ" in text and "1. Không đủ điều kiện." in text
    assert "NGƯỜI XỬ LÝ HỒ SƠ" in text and "Tâm specialist" in text


def test_apology_prints_the_original_and_new_dates_the_reason_and_the_head(dossier_in):
    dossier, _ = dossier_in("extended")
    text = pdf_text(render_form(dossier, "apology", at=PRINTED_AT))
    assert "ngày 09/03/2026" in text
    assert "16 giờ 00 phút, ngày 16/03/2026" in text
    assert "Cần xác minh thông tin với cơ quan khác." in text
    assert "Tâm head" in text


def test_control_sheet_has_one_row_per_hand_off(dossier_in):
    dossier, _ = dossier_in("returned")
    sheet = selectors.control_sheet(dossier, at=PRINTED_AT)
    assert [(r.giver_agency.split(" –")[0], r.receiver_agency) for r in sheet.rows] == [
        ("Bộ phận tiếp nhận và trả kết quả", "Sở Tư pháp (Thẩm định hồ sơ)"),
        ("Sở Tư pháp", "Sở Tư pháp (Phê duyệt)"),
        ("Sở Tư pháp", "Bộ phận tiếp nhận và trả kết quả – Sở Tư pháp"),
        ("Bộ phận tiếp nhận và trả kết quả", "Người nộp hồ sơ"),
    ]
    text = pdf_text(render_form(dossier, "control-sheet", at=PRINTED_AT))
    assert "08 giờ 00 phút, ngày 02/03/2026" in text
    assert "Trước hạn" in text


# --- long names, long lists: more pages, nothing outside the page --------------------------------

LONG_NAME = " ".join(["Công ty Trách nhiệm hữu hạn Thương mại Dịch vụ Xây dựng Phương Đông Ánh Dương"] * 3)[
    :200
]
MANY = tuple(
    DocumentLine(f"Giấy tờ số {n}: bản vẽ thiết kế kỹ thuật hạng mục {n}", "Bản sao chứng thực", n)
    for n in range(1, 41)
)


def _long(data):
    changes = {"applicant": dataclasses.replace(data.applicant, name=LONG_NAME, address=LONG_NAME)}
    if hasattr(data, "documents"):
        changes["documents"] = MANY
    if hasattr(data, "missing"):
        changes["missing"] = MANY
    if hasattr(data, "reasons"):
        changes["reasons"] = tuple(d.name for d in MANY)
    if hasattr(data, "rows"):
        row = HandOff(
            LONG_NAME, LONG_NAME, local(2026, 3, 2, 8, 0), LONG_NAME[:60], "", None, "Đúng hạn", LONG_NAME
        )
        changes["rows"] = (row,) * 40
    return dataclasses.replace(data, **changes)


@pytest.mark.parametrize("form", list(CASES))
def test_a_200_character_name_and_40_documents_stay_inside_the_page(dossier_in, form):
    assert len(LONG_NAME) == 200
    dossier, _ = dossier_in(CASES[form][0])
    spec = FORMS[form]
    pdf = spec.layout(_long(spec.select(dossier, at=PRINTED_AT)))
    text = pdf_text(pdf)
    assert flat(LONG_NAME) in flat(text)
    if form == "control-sheet":
        assert "40. Giao:" in text
    elif form != "apology":  # the apology lists no documents
        assert flat(MANY[-1].name) in flat(text)
    images = save_pngs(pdf, f"{form}-long")
    if form != "apology":
        assert len(images) > 1
    for number, image in enumerate(images, start=1):
        assert not ink_near_edges(image), f"page {number} draws outside its margins"


def test_decomposed_diacritics_are_normalised_before_drawing(dossier_in):
    decomposed = unicodedata.normalize("NFD", NAME)
    assert decomposed != NAME
    dossier, _ = dossier_in("processing")
    data = selectors.receipt(dossier, at=PRINTED_AT)
    data = dataclasses.replace(data, applicant=dataclasses.replace(data.applicant, name=decomposed))
    text = pdf_text(FORMS["receipt"].layout(data))
    assert NAME in text
    assert not any(unicodedata.combining(ch) for ch in text)
