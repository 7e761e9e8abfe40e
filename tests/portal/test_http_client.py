"""The real HTTP client against the loopback portal: login, session, body shape, errors, timeouts."""

import socket

import pytest

from portal.client import HttpPortalClient, PortalError
from tests.portal.loopback import loopback_portal


def _client(url, **kw):
    return HttpPortalClient(url=url, username="motcua", password="mk", agency_code="000.00.31.H57", **kw)


def test_login_then_calls_with_the_session_and_agency():
    with loopback_portal() as (url, recorder):
        client = _client(url)
        client.push_dossier({"MaHoSo": "A-1", "TrangThaiHoSo": 2})
        client.push_progress({"MaHoSo": "A-1", "TrangThai": 4})
        recorder.online = [{"MaHoSoQG": "G-1"}]
        assert client.fetch_online_dossiers() == [{"MaHoSoQG": "G-1"}]
    assert [path for path, _ in recorder.calls] == [
        "login", "DongBoHoSoMC", "CapNhatTienDoHoSoMC", "LayDanhSachHoSoTrucTuyen",
    ]  # fmt: skip
    assert recorder.calls[0][1] == {"username": "motcua", "password": "mk"}
    assert recorder.calls[1][1] == {
        "session": "phien-1", "madonvi": "000.00.31.H57", "service": "DongBoHoSoMC",
        "data": [{"MaHoSo": "A-1", "TrangThaiHoSo": 2}],
    }  # fmt: skip


def test_an_expired_session_logs_in_again_once():
    with loopback_portal() as (url, recorder):
        client = _client(url)
        client.session = "het-han"
        client.push_dossier({"MaHoSo": "A-1"})
    assert [path for path, _ in recorder.calls] == ["login", "DongBoHoSoMC"]


def test_errors_are_portal_errors():
    with loopback_portal() as (url, recorder):
        recorder.fail_next = 1
        with pytest.raises(PortalError, match="HTTP 503"):
            _client(url).push_dossier({"MaHoSo": "A-1"})
    with socket.socket() as listener:  # a port that accepts but never answers: the timeout
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        with pytest.raises(PortalError, match="Không gọi được Cổng"):
            _client(f"http://127.0.0.1:{listener.getsockname()[1]}", timeout=0.2).push_dossier({})


def test_a_portal_down_then_back_gets_the_rows_once_in_order_over_http(settings, db, monkeypatch):
    """The real client through the outbox: two refused calls, then the backoff ends and all goes."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from portal.delivery import DONE, RETRY, deliver_dossier
    from portal.models import SyncRow
    from tests.factories import make_procedure
    from tests.workflows.conftest import APPLICANT
    from workflows import services
    from workflows.models import StaffProfile

    with loopback_portal() as (url, recorder):
        settings.ONESTOP_PORTAL_URL = url
        procedure = make_procedure()
        reception = get_user_model().objects.create_user(username="tiepnhan", password="x")
        StaffProfile.objects.create(user=reception, agency=procedure.receiving_agency)
        reception.groups.add(Group.objects.get_or_create(name="reception")[0])
        reception = get_user_model().objects.get(pk=reception.pk)
        dossier, _ = services.dossier_register(
            procedure=procedure, applicant=APPLICANT, channel="online", by=reception
        )
        services.dossier_withdraw(dossier=dossier, by=reception, reason="Xin rút")
        recorder.fail_next = 2
        now = dt.datetime.now(dt.UTC)

        assert deliver_dossier(dossier_id=dossier.pk, now=now) == (RETRY, 30)
        assert deliver_dossier(dossier_id=dossier.pk, now=now + dt.timedelta(seconds=30)) == (RETRY, 60)
        assert recorder.services() == []
        assert deliver_dossier(dossier_id=dossier.pk, now=now + dt.timedelta(seconds=90)) == (DONE, 0)

    statuses = [(body["service"], body["data"][0]["TrangThaiHoSo"]) for body in recorder.services()]
    assert statuses == [("DongBoHoSoMC", 2), ("DongBoHoSoMC", 8)]
    first = SyncRow.objects.get(dossier=dossier, sequence=1)
    assert (first.status, first.attempts, first.last_error) == ("sent", 3, "HTTP 503 từ Cổng (DongBoHoSoMC)")
