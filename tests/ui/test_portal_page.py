"""The board's national portal page (/board/portal/): rows waiting or failed, in Vietnamese, retry."""

import pytest

from portal.fake import FakePortalClient
from portal.models import SyncRow


@pytest.fixture
def portal_on(settings):
    settings.ONESTOP_PORTAL_URL = "http://portal.invalid"
    settings.ONESTOP_PORTAL_CLIENT = "portal.fake.FakePortalClient"
    FakePortalClient.reset()
    yield FakePortalClient
    FakePortalClient.reset()


def test_supervisors_see_failed_rows_and_send_them_again(
    portal_on, register, staff, login, django_capture_on_commit_callbacks
):
    dossier, _key = register()
    row = SyncRow.objects.get(dossier=dossier)
    SyncRow.objects.filter(pk=row.pk).update(
        status="failed", next_attempt_at=None, last_error="HTTP 503 từ Cổng"
    )

    board = login(staff["supervisor"]).get("/board/").content.decode()
    assert 'href="/board/portal/"' in board and "Đồng bộ Cổng DVC quốc gia" in board
    page = login(staff["supervisor"]).get("/board/portal/?state=failed").content.decode()
    assert dossier.code in page and "HTTP 503 từ Cổng" in page and "Gửi lỗi (1)" in page
    assert f'action="/board/portal/{row.pk}/retry/"' in page and "Gửi lại" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = login(staff["supervisor"]).post(f"/board/portal/{row.pk}/retry/")
    assert response.status_code == 302 and response.url == "/board/portal/"
    assert SyncRow.objects.get(pk=row.pk).status == "sent"  # eager Celery: delivered after the commit
    assert [item["MaHoSo"] for _, item in portal_on.calls] == [dossier.code]
    assert (
        "Không có gì chờ gửi lên Cổng." in login(staff["supervisor"]).get("/board/portal/").content.decode()
    )


def test_other_staff_are_refused_and_an_off_portal_says_so(register, staff, login):
    assert login(staff["reception"]).get("/board/portal/").status_code == 403
    assert login(staff["reception"]).post("/board/portal/1/retry/").status_code == 403
    page = login(staff["supervisor"]).get("/board/portal/").content.decode()
    assert "Chưa bật kết nối với Cổng dịch vụ công quốc gia" in page
