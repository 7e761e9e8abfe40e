"""GET /api/v1/portal/outbox/ and POST …/{id}/retry/: supervisors see what waits or failed, and retry."""

import pytest
from rest_framework.test import APIClient

from portal.models import SyncRow
from tests.factories import make_procedure
from tests.workflows.conftest import APPLICANT
from workflows import services

URL = "/api/v1/portal/outbox/"


@pytest.fixture
def supervisor(make_staff, agency):
    return make_staff(agency, "supervisor")


@pytest.fixture
def rows(portal, clock, agency, reception):
    procedure = make_procedure(agency=agency)
    first, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="online", by=reception
    )
    second, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="online", by=reception
    )
    services.dossier_withdraw(dossier=second, by=reception, reason="Xin rút")
    SyncRow.objects.filter(dossier=first).update(status="failed", attempts=20, last_error="HTTP 503 từ Cổng")
    return first, second


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_supervisors_list_waiting_and_failed_rows_with_filters(rows, supervisor):
    first, second = rows
    answer = _client(supervisor).get(URL)
    assert answer.status_code == 200
    assert answer.data["count"] == 3
    assert [(r["dossier_code"], r["sequence"], r["status"]) for r in answer.data["results"]] == [
        (second.code, 2, "pending"), (second.code, 1, "pending"), (first.code, 1, "failed"),
    ]  # fmt: skip
    failed = _client(supervisor).get(URL, {"status": "failed"}).data["results"]
    assert [(r["dossier"], r["last_error"], r["portal_status"], r["kind"]) for r in failed] == [
        (first.pk, "HTTP 503 từ Cổng", 2, "dossier")
    ]
    assert _client(supervisor).get(URL, {"dossier": second.pk}).data["count"] == 2
    assert _client(supervisor).get(URL, {"status": "sent"}).data["count"] == 0


def test_bad_filters_and_other_roles_are_refused(rows, supervisor, reception):
    bad = _client(supervisor).get(URL, {"status": "lost", "dossier": "x"})
    assert bad.status_code == 400 and set(bad.data["error"]["fields"]) == {"status", "dossier"}
    refused = _client(reception).get(URL)
    assert refused.status_code == 403
    assert refused.data["error"]["message"] == (
        "Chỉ quản lý Một cửa và quản trị được xem và gửi lại hàng chờ đồng bộ Cổng."
    )
    assert APIClient().get(URL).status_code == 401


def test_a_failed_row_is_retried_then_delivered(
    rows, supervisor, reception, portal, django_capture_on_commit_callbacks
):
    first, _ = rows
    row = SyncRow.objects.get(dossier=first)
    assert _client(reception).post(f"{URL}{row.pk}/retry/").status_code == 403

    with django_capture_on_commit_callbacks(execute=True):  # the delivery is queued after the commit
        answer = _client(supervisor).post(f"{URL}{row.pk}/retry/")

    assert answer.status_code == 200 and answer.data["id"] == row.pk
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 1)  # eager Celery in tests: delivered at once
    assert [item["MaHoSo"] for _, item in portal.calls] == [first.code]
    again = _client(supervisor).post(f"{URL}{row.pk}/retry/")
    assert again.status_code == 409 and again.data["error"]["code"] == "already_sent"
    assert _client(supervisor).post(f"{URL}999999/retry/").status_code == 404
