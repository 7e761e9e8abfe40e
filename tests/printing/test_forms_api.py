"""The printed forms over the API: who may print, 404 for what does not apply, the receipt's key,
the tracking book's formats; and ``printing.urls_for`` for the staff pages."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

import printing

from .conftest import pdf_text


def client(user=None) -> APIClient:
    api = APIClient()
    if user is not None:
        api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return api


def url(code: str, form: str) -> str:
    return f"/api/v1/dossiers/{code}/forms/{form}.pdf"


def test_anonymous_gets_401(dossier_in):
    dossier, _ = dossier_in("processing")
    response = client().get(url(dossier.code, "receipt"))
    assert response.status_code == 401
    assert set(response.json()["error"]) == {"code", "message", "fields"}


def test_staff_of_another_agency_gets_404(dossier_in, staff):
    dossier, _ = dossier_in("processing")
    response = client(staff[(1, "reception")]).get(url(dossier.code, "receipt"))
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Không tìm thấy hồ sơ."


@pytest.mark.parametrize("who", [(0, "reception"), (0, "specialist"), (0, "head"), "supervisor"])
def test_staff_who_may_see_the_dossier_get_the_pdf(dossier_in, staff, who):
    dossier, _ = dossier_in("processing")
    response = client(staff[who]).get(url(dossier.code, "control-sheet"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert dossier.code in pdf_text(response.content)


def test_a_form_that_does_not_apply_yet_is_a_404_that_says_why(dossier_in, staff):
    dossier, _ = dossier_in("processing")
    response = client(staff[(0, "reception")]).get(url(dossier.code, "apology"))
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "form_not_applicable"
    assert "chưa gia hạn" in error["message"]


def test_an_unknown_form_is_a_404(dossier_in, staff):
    dossier, _ = dossier_in("processing")
    response = client(staff[(0, "reception")]).get(url(dossier.code, "certificate"))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "form_not_applicable"


def test_the_receipt_carries_the_key_only_when_the_caller_knows_it(dossier_in, staff):
    dossier, key = dossier_in("processing")
    api = client(staff[(0, "reception")])
    with_key = api.get(url(dossier.code, "receipt"), {"key": key.lower()})
    assert with_key.status_code == 200 and key in pdf_text(with_key.content)
    without = api.get(url(dossier.code, "receipt"))
    assert without.status_code == 200 and key not in pdf_text(without.content)
    wrong = api.get(url(dossier.code, "receipt"), {"key": "AAAAAAAAAA"})
    assert wrong.status_code == 400
    assert wrong.json()["error"]["fields"] == {"key": ["Mã tra cứu không đúng."]}


def test_urls_for_lists_the_forms_that_apply_now(dossier_in):
    processing, _ = dossier_in("processing")
    assert [slug for slug, _, _ in printing.urls_for(processing)] == ["receipt", "control-sheet"]
    slug, title, link = printing.urls_for(processing)[0]
    assert title == "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
    assert link == url(processing.code, "receipt")


def test_urls_for_adds_the_apology_after_an_extension(dossier_in):
    extended, _ = dossier_in("extended")
    assert [slug for slug, _, _ in printing.urls_for(extended)] == ["receipt", "apology", "control-sheet"]


def test_urls_for_a_dossier_refused_at_intake(dossier_in):
    rejected, _ = dossier_in("rejected")
    assert [slug for slug, _, _ in printing.urls_for(rejected)] == ["refusal"]


def test_every_listed_form_renders_over_the_api(dossier_in, staff):
    dossier, _ = dossier_in("withdrawn")
    api = client(staff[(0, "reception")])
    for slug, _, link in printing.urls_for(dossier):
        assert api.get(link).status_code == 200, slug


# --- the tracking book ------------------------------------------------------------------------------

BOOK = "/api/v1/reports/tracking-book/"
MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


@pytest.mark.parametrize("who", [(0, "reception"), (0, "head"), "supervisor"])
def test_reception_heads_and_supervisors_print_the_book(dossier_in, staff, who):
    dossier, _ = dossier_in("processing")
    response = client(staff[who]).get(BOOK, {**MARCH, "agency": "000.00.31.H57"})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert dossier.code in pdf_text(response.content)


def test_the_book_defaults_to_the_users_agency_and_comes_as_excel(dossier_in, staff):
    dossier, _ = dossier_in("processing")
    response = client(staff[(0, "reception")]).get(BOOK, {**MARCH, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="so-theo-doi-000.00.31.H57-20260301-20260331.xlsx"' in response["Content-Disposition"]


@pytest.mark.parametrize("who", [(1, "reception"), (1, "head"), (0, "specialist")])
def test_others_may_not_print_an_agencys_book(dossier_in, staff, who):
    dossier_in("processing")
    response = client(staff[who]).get(BOOK, {**MARCH, "agency": "000.00.31.H57"})
    assert response.status_code == 403
    assert "sổ theo dõi" in response.json()["error"]["message"]


def test_the_book_needs_a_login(db):
    assert client().get(BOOK, MARCH).status_code == 401


@pytest.mark.parametrize(
    "query, field",
    [
        ({"from": "2026-03-01"}, "from"),
        ({"from": "2026-13-01", "to": "2026-03-31"}, "from"),
        ({"from": "2026-03-31", "to": "2026-03-01"}, "to"),
        ({"from": "2025-01-01", "to": "2026-03-31"}, "to"),
        ({**MARCH, "format": "docx"}, "format"),
        ({**MARCH, "agency": "999.99.99.H57"}, "agency"),
    ],
)
def test_bad_book_parameters_are_400s_that_name_them(staff, query, field):
    response = client(staff[(0, "reception")]).get(BOOK, query)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
