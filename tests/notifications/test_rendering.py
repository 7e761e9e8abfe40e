"""How citizen notifications read (issue 10, items 6 and 14): plain-text templates are not
HTML-escaped, missing documents print one per line, and SMS texts carry no diacritics."""

import pytest

from notifications.delivery import render
from notifications.models import Notification

AGENCY = 'Công ty TNHH Đầu tư & Phát triển "Sao Mai" <HN>'
PAYLOAD = {
    "dossier_code": "000.00.31.H57-260302-0001",
    "applicant_name": "Nguyễn Văn An & Cộng sự",
    "procedure_name": 'Cấp giấy phép "xây dựng" nhà ở',
    "agency_name": AGENCY,
    "received_at": "2026-03-02T01:00:00+00:00",
    "due_at": "2026-03-10T09:00:00+00:00",
}


def _notification(kind: str, channel: str, **payload) -> Notification:
    return Notification(kind=kind, channel=channel, address="x", payload={**PAYLOAD, **payload})


def test_emails_are_plain_text_without_html_entities():
    subject, body = render(_notification("received", "email"))
    assert subject == "Đã tiếp nhận hồ sơ 000.00.31.H57-260302-0001"
    assert f'{AGENCY} đã tiếp nhận hồ sơ "Cấp giấy phép "xây dựng" nhà ở"' in body
    assert "Kính gửi Nguyễn Văn An & Cộng sự," in body
    assert "&amp;" not in body and "&quot;" not in body and "&lt;" not in body and "&#x27;" not in body


def test_missing_documents_print_one_per_line():
    missing = [
        {"name": "Giấy chứng sinh", "kind": "certified_copy", "count": 2},
        {"name": "Sổ hộ khẩu", "kind": "copy", "count": 1},
        {"name": "Tờ khai <mẫu 01>", "kind": "original", "count": 1},
    ]
    _, body = render(
        _notification("supplement_requested", "email", missing_documents=missing, note="Gấp & cần")
    )
    assert (
        "Giấy tờ cần bổ sung:\n"
        "- Giấy chứng sinh (bản sao chứng thực, 2 bản)\n"
        "- Sổ hộ khẩu (bản sao, 1 bản)\n"
        "- Tờ khai <mẫu 01> (bản chính, 1 bản)\n"
    ) in body
    assert "Ghi chú: Gấp & cần" in body
    assert "{" not in body and "'name'" not in body


def test_a_document_line_tolerates_what_older_payloads_hold():
    from notifications.delivery import document_line

    assert document_line("Bản sao sổ hộ khẩu") == "Bản sao sổ hộ khẩu"
    assert document_line({"name": "Tờ khai"}) == "Tờ khai (1 bản)"


@pytest.mark.parametrize("kind", ["received", "result_ready", "supplement_requested", "apology"])
def test_sms_texts_have_no_diacritics_even_in_the_agency_name(kind):
    payload = {"agency_name": "Sở Tư pháp tỉnh Đắk Lắk", "new_due_at": PAYLOAD["due_at"]}
    _, text = render(_notification(kind, "sms", **payload))
    assert "So Tu phap tinh Dak Lak" in text
    assert text.isascii(), text


def test_unaccent_covers_vietnamese_letters_and_keeps_ascii():
    from core.text import unaccent

    assert unaccent("Đường Hùng Vương, phường Bến Nghé") == "Duong Hung Vuong, phuong Ben Nghe"
    assert unaccent("ẮẰẲẴẶ ỨỪỬỮỰ ỔỖỘ đĐ") == "AAAAA UUUUU OOO dD"
    assert unaccent("Ho so 000.00.31.H57-260302-0001: 16:00 10/03/2026.") == (
        "Ho so 000.00.31.H57-260302-0001: 16:00 10/03/2026."
    )


@pytest.mark.parametrize(
    ("phone", "masked"),
    [("0912345678", "09******78"), ("09123456789", "09*******89"), ("123", "***"), ("", "")],
)
def test_mask_phone(phone, masked):
    from core.text import mask_phone

    assert mask_phone(phone) == masked
