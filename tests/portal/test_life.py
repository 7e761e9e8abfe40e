"""With the fake portal: a dossier's whole life reaches the portal as ordered calls, once each."""

import datetime as dt
import re

import pytest

from portal.delivery import BLOCKED, DONE, RETRY, WAITING, deliver_dossier
from portal.models import SyncRow
from portal.tasks import deliver_pending
from tests.factories import make_procedure
from tests.workflows.conftest import APPLICANT, local
from workflows import services
from workflows.models import DossierTask

STAMP = re.compile(r"^\d{14}$")


@pytest.fixture
def procedure(agency):
    return make_procedure(
        agency=agency,
        committed=(5, "working_days"),
        steps=[
            {"name": "Thẩm định", "budget_hours": 8},
            {"name": "Phê duyệt", "budget_hours": 4, "role": "head"},
        ],
    )


def live_a_whole_life(clock, procedure, reception, specialist, head):
    clock.set(2026, 3, 2, 9, 0)
    dossier, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="in_person", by=reception,
        received_at=local(2026, 3, 2, 7, 30),
    )  # fmt: skip
    first = DossierTask.objects.get(dossier=dossier)
    services.task_claim(task=first, by=specialist)
    clock.set(2026, 3, 2, 10, 15)
    services.task_complete(task=first, by=specialist, decision="request_supplement", missing_documents=["A"])
    clock.set(2026, 3, 3, 9, 0)
    services.dossier_supplement_received(dossier=dossier, by=reception, documents=["A"])
    again = DossierTask.objects.get(dossier=dossier, status="open")
    services.task_complete(task=again, by=specialist, decision="approve", note="Đủ điều kiện")
    approval = DossierTask.objects.get(dossier=dossier, status="open")
    services.dossier_extend(dossier=dossier, by=head, new_due_at=local(2026, 3, 20, 17, 0), reason="Chậm")
    clock.set(2026, 3, 4, 14, 0)
    services.task_complete(task=approval, by=head, decision="approve")
    clock.set(2026, 3, 5, 8, 30)
    services.dossier_return_result(dossier=dossier, by=reception)
    return dossier


EXPECTED_LIFE = [
    ("DongBoHoSoMC", 2),  # registered: received
    ("CapNhatTienDoHoSoMC", 4),  # claimed
    ("DongBoHoSoMC", 5),  # supplement requested
    ("DongBoHoSoMC", 4),  # supplement received: processing again, appointment moved
    ("CapNhatTienDoHoSoMC", 4),  # first stage approved
    ("DongBoHoSoMC", 4),  # extended: new appointment
    ("DongBoHoSoMC", 9),  # last stage approved: done
    ("DongBoHoSoMC", 10),  # result returned
]


def _codes(calls):
    return [(service, item.get("TrangThaiHoSo", item.get("TrangThai"))) for service, item in calls]


def test_a_whole_life_is_sent_in_order_with_the_portals_codes(
    portal, clock, procedure, reception, specialist, head
):
    dossier = live_a_whole_life(clock, procedure, reception, specialist, head)
    assert portal.calls == []  # nothing is sent inside a transition

    assert deliver_dossier(dossier_id=dossier.pk) == (DONE, 0)

    assert _codes(portal.calls) == EXPECTED_LIFE
    assert all(item["MaHoSo"] == dossier.code for _, item in portal.calls)
    registered = portal.calls[0][1]
    assert registered["NgayTiepNhan"] == "20260302073000"  # Asia/Ho_Chi_Minh, yyyyMMddHHmmss
    assert registered["MaTTHC"] == procedure.code and registered["MaLinhVuc"] == procedure.field.code
    assert registered["LoaiDoiTuong"] == 1 and registered["HinhThuc"] == 0
    assert STAMP.match(registered["NgayHenTra"])
    claimed = portal.calls[1][1]
    assert claimed["NguoiXuLy"] == specialist.username
    assert claimed["ThoiDiemXuLy"] == "20260302090000" and STAMP.match(claimed["NgayKetThucTheoQuyDinh"])
    requested = portal.calls[2][1]
    assert requested["NgayHenTra"] == registered["NgayHenTra"]
    back = portal.calls[3][1]["DanhSachHoSoBoSung"]
    assert back[0]["NgayHenTraTruoc"] == registered["NgayHenTra"]
    assert back[0]["NgayHenTraMoi"] == portal.calls[3][1]["NgayHenTra"] != registered["NgayHenTra"]
    extended = portal.calls[5][1]
    assert extended["NgayHenTra"] == "20260320170000"
    assert extended["DanhSachHoSoBoSung"][0]["NgayHenTraMoi"] == "20260320170000"
    done = portal.calls[6][1]
    assert done["NgayKetThucXuLy"] == "20260304140000"
    assert done["DanhSachGiayToKetQua"] == [{"TenGiayTo": "Kết quả giải quyết"}]
    assert portal.calls[7][1]["NgayTra"] == "20260305083000"
    rows = list(SyncRow.objects.filter(dossier=dossier).order_by("sequence"))
    assert [row.sequence for row in rows] == list(range(1, 9))
    assert {(row.status, row.attempts) for row in rows} == {("sent", 1)}

    assert deliver_dossier(dossier_id=dossier.pk) == (DONE, 0)  # delivered again: nothing resent
    assert len(portal.calls) == len(EXPECTED_LIFE)


def test_a_withdrawn_dossier_stops_with_code_8(portal, clock, procedure, reception, specialist):
    dossier, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="online", by=reception
    )
    services.dossier_withdraw(dossier=dossier, by=reception, reason="Xin rút")
    deliver_dossier(dossier_id=dossier.pk)
    assert _codes(portal.calls) == [("DongBoHoSoMC", 2), ("DongBoHoSoMC", 8)]
    assert portal.calls[0][1]["HinhThuc"] == 1
    assert STAMP.match(portal.calls[1][1]["NgayKetThucXuLy"])


def test_a_refusal_at_intake_is_sent_as_not_received(portal, clock, procedure, reception):
    services.dossier_refuse_at_intake(
        procedure=procedure, applicant=APPLICANT, channel="in_person", by=reception, reasons=["Thiếu giấy tờ"]
    )
    row = SyncRow.objects.get()
    deliver_dossier(dossier_id=row.dossier_id)
    assert _codes(portal.calls) == [("DongBoHoSoMC", 3)]


def test_a_portal_down_for_a_while_then_back_gets_everything_once_in_order(
    portal, clock, procedure, reception, specialist, head
):
    dossier = live_a_whole_life(clock, procedure, reception, specialist, head)
    other, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="online", by=reception
    )
    services.dossier_withdraw(dossier=other, by=reception, reason="Xin rút")
    portal.down = True
    start = dt.datetime.now(dt.UTC)

    assert deliver_dossier(dossier_id=dossier.pk, now=start) == (RETRY, 30)
    assert deliver_dossier(dossier_id=dossier.pk, now=start) == (WAITING, 30)  # backoff: not tried
    assert deliver_dossier(dossier_id=dossier.pk, now=start + dt.timedelta(seconds=30)) == (RETRY, 60)
    assert deliver_dossier(dossier_id=other.pk, now=start) == (RETRY, 30)
    head_row = SyncRow.objects.get(dossier=dossier, sequence=1)
    assert (head_row.status, head_row.attempts, head_row.last_error) == (
        "pending",
        2,
        "Cổng không phản hồi (giả lập)",
    )
    assert SyncRow.objects.filter(dossier=dossier, attempts=0).count() == 7  # later rows never tried
    assert portal.failures == 3 and portal.calls == []

    portal.down = False
    assert deliver_pending() == 0  # both heads are still in their backoff
    later = start + dt.timedelta(minutes=5)
    assert deliver_dossier(dossier_id=dossier.pk, now=later) == (DONE, 0)
    assert deliver_dossier(dossier_id=other.pk, now=later) == (DONE, 0)

    sent = [
        (item["MaHoSo"], service, item.get("TrangThaiHoSo", item.get("TrangThai")))
        for service, item in portal.calls
    ]
    assert [(s, c) for code, s, c in sent if code == dossier.code] == EXPECTED_LIFE
    assert [(s, c) for code, s, c in sent if code == other.code] == [("DongBoHoSoMC", 2), ("DongBoHoSoMC", 8)]
    assert len(portal.calls) == len(EXPECTED_LIFE) + 2
    assert not SyncRow.objects.exclude(status="sent").exists()


def test_a_row_out_of_attempts_holds_its_dossier_until_retried(
    portal, settings, clock, procedure, reception, head
):
    settings.ONESTOP_PORTAL_MAX_ATTEMPTS = 1
    dossier, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="online", by=reception
    )
    services.dossier_withdraw(dossier=dossier, by=reception, reason="Xin rút")
    portal.down = True
    assert deliver_dossier(dossier_id=dossier.pk)[0] == "failed"
    portal.down = False
    assert deliver_dossier(dossier_id=dossier.pk) == (BLOCKED, 0)
    assert portal.calls == []  # the second row waits behind the failed first

    from portal.services import sync_retry

    supervisor = _supervisor(head)
    sync_retry(row_id=SyncRow.objects.get(dossier=dossier, sequence=1).pk, by=supervisor)
    assert deliver_dossier(dossier_id=dossier.pk) == (DONE, 0)
    assert _codes(portal.calls) == [("DongBoHoSoMC", 2), ("DongBoHoSoMC", 8)]


def _supervisor(user):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get_or_create(name="supervisor")[0])
    return get_user_model().objects.get(pk=user.pk)


def test_with_the_portal_off_transitions_write_nothing(settings, clock, procedure, reception):
    settings.ONESTOP_PORTAL_URL = ""
    dossier, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="online", by=reception
    )
    services.dossier_withdraw(dossier=dossier, by=reception, reason="Xin rút")
    assert not SyncRow.objects.exists()
