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
