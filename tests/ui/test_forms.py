"""Every form of the staff UI posted through the test client, asserting the services' effects."""

from __future__ import annotations

import datetime as dt

import pytest

from procedures.models import RequiredDocument
from workflows.models import Dossier, DossierStatus, DossierTask, EventAction, TaskStatus

pytestmark = pytest.mark.django_db


def _open_task(dossier) -> DossierTask:
    return DossierTask.objects.get(dossier=dossier, status=TaskStatus.OPEN)


def _register_form(procedure, **extra) -> dict:
    documents = [
        str(pk)
        for pk in RequiredDocument.objects.filter(version=procedure.current_version)
        .order_by("order")
        .values_list("pk", flat=True)[:2]
    ]
    return {
        "procedure": procedure.code,
        "applicant_kind": "person",
        "applicant_name": "Trần Thị Bình",
        "applicant_id_number": "001190054321",
        "applicant_phone": "0987654321",
        "channel": "in_person",
        "documents": documents,
        **extra,
    }


def test_register_shows_code_key_and_receipt_once(procedure, staff, login, clock):
    version = procedure.current_version
    version.fee = 1250000
    version.save(update_fields=["fee"])
    client = login(staff["reception"])
    page = client.get(f"/reception/?procedure={procedure.code}").content.decode()
    assert "Tờ khai đề nghị" in page and "Bản sao chứng thực" in page
    assert "1.250.000 đ" in page  # Vietnamese number format
    assert "11/03/2026 08:00" in page  # 7 working days from Monday 2 March 08:00
    response = client.post("/reception/register/", _register_form(procedure))
    dossier = Dossier.objects.get()
    assert response.url == f"/reception/registered/{dossier.code}/"
    assert dossier.applicant_name == "Trần Thị Bình" and dossier.created_by == staff["reception"]
    assert [d["name"] for d in dossier.documents] == ["Tờ khai đề nghị", "Bản sao CCCD"]
    receipt = client.get(response.url).content.decode()
    key = receipt.split('data-testid="lookup-key">')[1].split("<")[0]
    assert len(key) == 10
    from workflows.services import hash_lookup_key

    assert hash_lookup_key(key) == dossier.lookup_key_hash
    assert f"/api/v1/dossiers/{dossier.code}/forms/receipt.pdf" in receipt
    assert key not in client.get(response.url).content.decode()  # shown once


def test_register_back_dated_and_invalid_input(procedure, staff, login, clock):
    client = login(staff["reception"])
    client.post("/reception/register/", _register_form(procedure, received_at="2026-02-27T15:30"))
    dossier = Dossier.objects.get()
    assert dossier.received_at == dt.datetime(2026, 2, 27, 15, 30, tzinfo=clock.now.tzinfo)
    response = client.post("/reception/register/", _register_form(procedure, applicant_id_number="12"))
    assert response.status_code == 400
    assert "applicant.id_number" in response.content.decode() or "id_number" in response.content.decode()
    assert Dossier.objects.count() == 1


def test_refuse_at_intake(procedure, staff, login, clock):
    client = login(staff["reception"])
    response = client.post(
        "/reception/register/",
        _register_form(procedure, action="refuse", reasons="Thiếu bản vẽ\nSai mẫu tờ khai"),
    )
    dossier = Dossier.objects.get()
    assert dossier.status == DossierStatus.REJECTED and dossier.reasons == ["Thiếu bản vẽ", "Sai mẫu tờ khai"]
    assert response.url == f"/dossiers/{dossier.code}/"
    assert "/forms/refusal.pdf" in client.get(response.url).content.decode()


def test_claim_release_approve(register, staff, login):
    dossier, _key = register()
    task = _open_task(dossier)
    client = login(staff["specialist"])
    client.post(f"/tasks/{task.pk}/claim/")
    assert DossierTask.objects.get(pk=task.pk).owner == staff["specialist"]
    client.post(f"/tasks/{task.pk}/release/")
    assert DossierTask.objects.get(pk=task.pk).owner is None
    client.post(f"/tasks/{task.pk}/claim/")
    response = client.post(f"/tasks/{task.pk}/decide/", {"decision": "approve", "note": "Đủ điều kiện"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.decision) == (TaskStatus.DONE, "approve")
    assert _open_task(dossier).agency == staff["specialist_b"].staff.agency
    # A second submit of the same decision: 409, nothing changes.
    assert client.post(f"/tasks/{task.pk}/decide/", {"decision": "approve"}).status_code == 409


def test_send_back_needs_a_reason(register, staff, login):
    dossier, _key = register()
    login(staff["specialist"]).post(f"/tasks/{_open_task(dossier).pk}/decide/", {"decision": "approve"})
    second = _open_task(dossier)
    client = login(staff["specialist_b"])
    assert client.post(f"/tasks/{second.pk}/decide/", {"decision": "send_back"}).status_code == 400
    client.post(f"/tasks/{second.pk}/decide/", {"decision": "send_back", "note": "Thiếu số liệu"})
    assert _open_task(dossier).stage == 0


def test_request_supplement_then_supplement_received(register, staff, login, procedure):
    dossier, _key = register()
    task = _open_task(dossier)
    drawing = RequiredDocument.objects.get(version=procedure.current_version, order=3)
    login(staff["specialist"]).post(
        f"/tasks/{task.pk}/decide/",
        {"decision": "request_supplement", "missing": [str(drawing.pk)], "missing_other": "Giấy ủy quyền"},
    )
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.WAITING_SUPPLEMENT
    pause = dossier.pauses.get()
    assert [d["name"] for d in pause.missing_documents] == ["Bản vẽ mặt bằng", "Giấy ủy quyền"]
    assert pause.missing_documents[0]["kind"] == "copy" and pause.missing_documents[0]["count"] == 2
    desk = login(staff["reception"])
    assert ">" + dossier.code + "</a>" in desk.get("/dossiers/?queue=supplement").content.decode()
    assert "/forms/supplement-request.pdf" in desk.get(f"/dossiers/{dossier.code}/").content.decode()
    desk.post(f"/dossiers/{dossier.code}/supplement/", {"documents": ["0", "1"]})
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.PROCESSING
    assert _open_task(dossier).stage == 0


def test_refuse_then_hand_back(register, staff, login):
    dossier, _key = register()
    client = login(staff["specialist"])
    task = _open_task(dossier)
    assert client.post(f"/tasks/{task.pk}/decide/", {"decision": "refuse"}).status_code == 400
    client.post(f"/tasks/{task.pk}/decide/", {"decision": "refuse", "reasons": "Không đủ điều kiện"})
    dossier.refresh_from_db()
    assert (dossier.status, dossier.result) == (DossierStatus.RESULT_READY, "refused")
    desk = login(staff["reception"])
    assert ">" + dossier.code + "</a>" in desk.get("/dossiers/?queue=results").content.decode()
    desk.post(f"/dossiers/{dossier.code}/return/")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RETURNED


def test_extension_by_a_head(register, staff, login, clock):
    dossier, _key = register()
    clock.set(2026, 3, 10, 9, 0)  # the day before the appointment (11 March 08:00)
    head = login(staff["head"])
    response = head.post(
        f"/dossiers/{dossier.code}/extend/",
        {"new_due_at": "2026-03-13T16:00", "reason": "Chờ ý kiến liên ngành"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    dossier.refresh_from_db()
    assert dossier.extended and dossier.due_at == dt.datetime(2026, 3, 13, 16, 0, tzinfo=clock.now.tzinfo)
    page = head.get(f"/dossiers/{dossier.code}/").content.decode()
    assert "/forms/apology.pdf" in page and "13/03/2026 16:00" in page
    again = head.post(f"/dossiers/{dossier.code}/extend/", {"new_due_at": "2026-03-16T16:00", "reason": "x"})
    assert again.status_code in (403, 409)  # the form is gone and the service refuses a second time
    assert (
        login(staff["specialist"])
        .post(f"/dossiers/{dossier.code}/extend/", {"new_due_at": "2026-03-16T16:00", "reason": "x"})
        .status_code
        == 403
    )


def test_withdrawal(register, staff, login):
    dossier, _key = register()
    login(staff["reception"]).post(f"/dossiers/{dossier.code}/withdraw/", {"reason": "Người nộp xin rút"})
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.WITHDRAWN
    assert not DossierTask.objects.filter(dossier=dossier, status=TaskStatus.OPEN).exists()
    assert dossier.events.filter(action=EventAction.WITHDRAWN, reason="Người nộp xin rút").exists()
    page = login(staff["reception"]).get("/dossiers/?queue=withdrawn").content.decode()
    assert ">" + dossier.code + "</a>" in page


def test_reassign_from_the_board(register, staff, login, make_staff, clock):
    dossier, _key = register()
    task = _open_task(dossier)
    colleague = make_staff(staff["specialist"].staff.agency, "specialist", username="specialist_a2")
    clock.set(2026, 3, 3, 16, 0)  # the step (16 working hours) is due on 4 March 08:00: due soon
    board = login(staff["supervisor"]).get("/board/").content.decode()
    assert dossier.code in board and "due-soon" in board
    page = login(staff["supervisor"]).get(f"/tasks/{task.pk}/").content.decode()
    assert 'value="specialist_a2"' in page and 'value="head_a"' not in page
    response = login(staff["supervisor"]).post(f"/tasks/{task.pk}/reassign/", {"to_user": "specialist_a2"})
    assert response.url == "/board/"
    assert DossierTask.objects.get(pk=task.pk).owner == colleague
    assert ">" + dossier.code + "</a>" in login(colleague).get("/tasks/").content.decode()


def test_rows_are_coloured_by_deadline(register, staff, login, clock):
    dossier, _key = register()
    client = login(staff["specialist"])
    assert "due-normal" in client.get("/tasks/?queue=unclaimed").content.decode()
    # 16 working hours from Monday 08:00: due Wednesday 4 March 08:00.
    clock.set(2026, 3, 3, 15, 0)
    page = client.get("/tasks/?queue=unclaimed").content.decode()
    assert "due-soon" in page and "còn 3 giờ" in page
    clock.set(2026, 3, 4, 10, 0)
    page = client.get("/tasks/?queue=unclaimed").content.decode()
    assert "due-overdue" in page and "quá hạn 2 giờ" in page


def test_control_sheet_has_one_row_per_hand_off(register, staff, login):
    from staffui.sheet import control_sheet
    from workflows import selectors, services

    dossier, _key = register()
    for user in ("specialist", "specialist_b", "head"):
        services.task_complete(task=_open_task(dossier), by=staff[user], decision="approve")
    services.dossier_return_result(dossier=dossier, by=staff["reception"])
    rows = control_sheet(selectors.dossier_detail(user=staff["supervisor"], code=dossier.code))
    assert [row.what for row in rows] == [
        "Bộ phận Một cửa",
        "Thẩm định hồ sơ",
        "Lấy ý kiến Sở Tài chính",
        "Lãnh đạo ký duyệt",
        "Đã trả kết quả",
    ]
    assert [row.agency for row in rows] == [
        "Sở Tư pháp",
        "Sở Tư pháp",
        "Sở Tài chính",
        "Sở Tư pháp",
        "Sở Tư pháp",
    ]
    assert all(row.handed_over_at for row in rows)
    assert [row.who for row in rows] == [
        "reception_a",
        "specialist_a",
        "specialist_b",
        "head_a",
        "reception_a",
    ]
    assert {row.verdict_code for row in rows[1:]} == {"early"}
    # Each hand-over is the next row's receipt.
    assert all(rows[i].handed_over_at == rows[i + 1].received_at for i in range(3))
    page = login(staff["reception"]).get(f"/dossiers/{dossier.code}/").content.decode()
    assert page.count("<tr><td>Sở T") == 5


def test_a_bad_search_date_is_reported(staff, login):
    page = login(staff["reception"]).get("/dossiers/?received_from=31/02/2026").content.decode()
    assert 'class="msg error"' in page


def test_ids_in_form_values_are_never_grouped_like_numbers(procedure, staff, login, clock, register):
    """Vietnamese formats group thousands ("1.234"): an id above 999 in a form value, a data
    attribute or a checkbox must still be the bare id, or the form posts an id that does not exist."""
    version = procedure.current_version
    document = RequiredDocument.objects.create(pk=123456, version=version, order=99, name="Giấy tờ thứ ba")
    client = login(staff["reception"])
    page = client.get(f"/reception/?procedure={procedure.code}").content.decode()
    assert 'value="123456"' in page and 'id="doc-123456"' in page and "123.456" not in page

    dossier, _key = register()
    task = dossier.tasks.get()
    client = login(staff["specialist"])
    client.post(f"/tasks/{task.pk}/claim/")
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert f'name="missing" value="{document.pk}"' in page
