import re

import pytest
from rest_framework.test import APIClient

from tests.reports.factories import extension, local
from workflows import services
from workflows.models import Dossier

from .conftest import APPLICANT, open_task

pytestmark = pytest.mark.django_db

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


def _without_csrf(content: bytes) -> bytes:
    return CSRF.sub(b'name="csrfmiddlewaretoken" value=""', content)


def test_the_form_asks_for_code_and_key(client):
    response = client.get("/tra-cuu/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="code"' in html and 'name="key"' in html and "csrfmiddlewaretoken" in html
    assert "Tra cứu" in html  # Vietnamese by default


def test_the_right_key_shows_status_step_and_agency(client, receipt):
    response = client.post("/tra-cuu/", {"code": receipt.code, "key": receipt.key})
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'data-testid="status"[^>]*>Đang xử lý<', html)
    assert receipt.code in html and "Thẩm định" in html and "Sở Tư pháp" in html
    assert receipt.dossier.due_at is not None
    due = Dossier.objects.get(pk=receipt.dossier.pk).due_at.astimezone(local(2026, 1, 1).tzinfo)
    assert f"{due:%d/%m/%Y %H:%M}" in html
    assert response["Cache-Control"] == "no-store, private"
    # Typed from paper: case and spaces do not matter, as in the API.
    assert (
        client.post("/tra-cuu/", {"code": f" {receipt.code} ", "key": receipt.key.lower()}).status_code == 200
    )


def test_the_qr_link_opens_the_status_directly(client, receipt):
    response = client.get(f"/tra-cuu/{receipt.code}/", {"key": receipt.key})
    assert response.status_code == 200
    assert b'data-testid="status"' in response.content
    # Without a key, the link shows the empty form (nothing about the dossier).
    bare = client.get(f"/tra-cuu/{receipt.code}/")
    assert bare.status_code == 200 and receipt.code.encode() not in bare.content


def test_a_wrong_key_looks_exactly_like_an_unknown_code(client, receipt):
    unknown = "000.00.31.H57-990101-0001"
    pages = [
        client.post("/tra-cuu/", {"code": receipt.code, "key": "AAAAAAAAAA"}),
        client.post("/tra-cuu/", {"code": unknown, "key": receipt.key}),
        client.get(f"/tra-cuu/{receipt.code}/", {"key": "AAAAAAAAAA"}),
        client.get(f"/tra-cuu/{unknown}/", {"key": receipt.key}),
        client.post(f"/tra-cuu/{receipt.code}/danh-gia/", {"key": "AAAAAAAAAA", "score": "5"}),
        client.post(f"/tra-cuu/{unknown}/danh-gia/", {"key": receipt.key, "score": "5"}),
        # A code that cannot exist never reaches the database (PostgreSQL refuses NUL bytes).
        client.get("/tra-cuu/AB%00CD/", {"key": receipt.key}),
        client.post("/tra-cuu/", {"code": "AB CD", "key": receipt.key}),
        client.post("/tra-cuu/AB%00CD/danh-gia/", {"key": receipt.key, "score": "5"}),
    ]
    assert {page.status_code for page in pages} == {404}
    bodies = {_without_csrf(page.content) for page in pages}
    assert len(bodies) == 1
    assert receipt.code.encode() not in pages[0].content
    assert "Không tìm thấy hồ sơ".encode() in pages[0].content


def test_the_status_page_takes_a_constant_number_of_queries(
    client, receipt, staff, django_assert_num_queries
):
    url = f"/tra-cuu/{receipt.code}/"
    # One: the dossier with its procedure, agency, extension and rating, its steps and pauses.
    with django_assert_num_queries(1):
        assert client.get(url, {"key": receipt.key}).status_code == 200
    for user in (staff[(0, "specialist")], staff[(1, "specialist")]):
        services.task_complete(task=open_task(receipt.dossier), by=user, decision="approve")
    with django_assert_num_queries(1):
        assert client.get(url, {"key": receipt.key}).status_code == 200
    with django_assert_num_queries(1):  # a wrong key: the same query, a 404
        assert client.get(url, {"key": "AAAAAAAAAA"}).status_code == 404


def test_missing_fields_are_a_400_that_names_them(client):
    response = client.post("/tra-cuu/", {"code": "", "key": ""})
    assert response.status_code == 400
    assert response.content.decode().count("c-field-error") == 2


def test_no_personal_data_nor_staff_names_nor_notes(client, receipt, staff):
    specialist = staff[(0, "specialist")]
    task = open_task(receipt.dossier)
    services.task_claim(task=task, by=specialist)
    services.task_complete(
        task=task,
        by=specialist,
        decision="request_supplement",
        missing_documents=[{"name": "Bản sao sổ hộ khẩu", "kind": "copy"}],
        note="Ghi chú nội bộ của cán bộ",
    )
    html = client.get(f"/tra-cuu/{receipt.code}/", {"key": receipt.key}).content.decode()
    assert "Chờ bổ sung hồ sơ" in html and "Bản sao sổ hộ khẩu" in html
    for private in (
        APPLICANT["name"],
        APPLICANT["id_number"],
        APPLICANT["phone"],
        APPLICANT["email"],
        APPLICANT["address"],
        "Ghi chú nội bộ",
        *[user.username for user in staff.values()],
    ):
        assert private not in html, private


def test_the_page_shows_what_the_api_shows(client, receipt, staff):
    """History with verdicts, the pause, the new date after an extension: the same as the API."""
    specialist = staff[(0, "specialist")]
    services.task_complete(task=open_task(receipt.dossier), by=specialist, decision="approve")
    dossier = Dossier.objects.get(pk=receipt.dossier.pk)
    new_due = local(2031, 5, 20, 16, 30)
    extension(dossier, previous_due_at=dossier.due_at, new_due_at=new_due)
    Dossier.objects.filter(pk=dossier.pk).update(due_at=new_due, extended=True)

    api = APIClient().get(f"/api/v1/public/dossiers/{receipt.code}/", {"key": receipt.key}).json()
    html = client.get(f"/tra-cuu/{receipt.code}/", {"key": receipt.key}).content.decode()
    assert [step["step"] for step in api["history"]] == ["Thẩm định"]
    history = html[html.index('data-testid="history"') :]
    assert "Thẩm định" in history and api["history"][0]["verdict"] == "early" and "Trước hạn" in history
    assert [step["step"] for step in api["current_steps"]] == ["Lấy ý kiến Sở Xây dựng"]
    current = html[html.index('data-testid="current-steps"') : html.index('data-testid="history"')]
    assert "Lấy ý kiến Sở Xây dựng" in current and "Sở Xây dựng" in current
    assert api["extension"]["new_due_at"].startswith("2031-05-20T16:30")
    assert "20/05/2031 16:30" in html and 'data-testid="extension"' in html
