"""One interface to the national portal (``PortalClient``) and its HTTP implementation.

The exchange provincial systems implement (no public field-level specification): a session login,
then JSON calls naming a service, each answered with ``error_code`` 0 on success::

    POST <URL>/login            {"username", "password"}                       → {"error_code": 0, "session"}
    POST <URL>/<service>        {"session", "madonvi", "service", "data": [...]} → {"error_code": 0, ...}

Services: ``DongBoHoSoMC`` (a dossier), ``CapNhatTienDoHoSoMC`` (a step's progress),
``LayDanhSachHoSoTrucTuyen`` (dossiers filed online, answered in ``data``). A rejected session
(HTTP 401) logs in again once. Every error (network, timeout, HTTP, ``error_code`` ≠ 0, bad JSON)
is a ``PortalError``; timeouts are short (``ONESTOP_PORTAL_TIMEOUT``) since a row lock is held.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any, Protocol

from django.conf import settings

SYNC_DOSSIER = "DongBoHoSoMC"
SYNC_PROGRESS = "CapNhatTienDoHoSoMC"
FETCH_ONLINE = "LayDanhSachHoSoTrucTuyen"


class PortalError(Exception):
    """The portal did not accept a call; the row stays pending and is retried."""


class PortalClient(Protocol):
    def push_dossier(self, item: dict[str, Any]) -> None: ...

    def push_progress(self, item: dict[str, Any]) -> None: ...

    def fetch_online_dossiers(self) -> list[dict[str, Any]]: ...


class HttpPortalClient:
    """The JSON exchange over HTTP(S) with the standard library (no extra dependency)."""

    def __init__(self, *, url: str | None = None, username: str | None = None, password: str | None = None,
                 agency_code: str | None = None, timeout: float | None = None):  # fmt: skip
        self.url = (url or settings.ONESTOP_PORTAL_URL).rstrip("/")
        self.username = username if username is not None else settings.ONESTOP_PORTAL_USERNAME
        self.password = password if password is not None else settings.ONESTOP_PORTAL_PASSWORD
        self.agency_code = agency_code if agency_code is not None else settings.ONESTOP_PORTAL_AGENCY_CODE
        self.timeout = timeout if timeout is not None else settings.ONESTOP_PORTAL_TIMEOUT
        self.session: str | None = None

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        request = urllib.request.Request(
            f"{self.url}/{path}",
            data=json.dumps(body, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - configured URL
                answer = json.loads(response.read().decode() or "{}")
        except urllib.error.HTTPError as exc:
            raise PortalError(f"HTTP {exc.code} từ Cổng ({path})") from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise PortalError(f"Không gọi được Cổng ({path}): {exc}") from exc
        if not isinstance(answer, dict):
            raise PortalError(f"Cổng trả lời không đúng định dạng ({path})")
        if str(answer.get("error_code")) != "0":
            message = answer.get("message") or answer.get("error_message") or ""
            raise PortalError(f"Cổng từ chối {path}: error_code={answer.get('error_code')} {message}".strip())
        return answer

    def login(self) -> str:
        answer = self._post("login", {"username": self.username, "password": self.password})
        session = answer.get("session")
        if not session:
            raise PortalError("Cổng không trả phiên đăng nhập")
        self.session = str(session)
        return self.session

    def call(self, service: str, data: list[dict[str, Any]]) -> dict[str, Any]:
        for attempt in (1, 2):
            if self.session is None:
                self.login()
            body = {"session": self.session, "madonvi": self.agency_code, "service": service, "data": data}
            try:
                return self._post(service, body)
            except PortalError as exc:
                expired = isinstance(exc.__cause__, urllib.error.HTTPError) and exc.__cause__.code == 401
                if not expired or attempt == 2:
                    raise
                self.session = None
        raise AssertionError("unreachable")

    def push_dossier(self, item: dict[str, Any]) -> None:
        self.call(SYNC_DOSSIER, [item])

    def push_progress(self, item: dict[str, Any]) -> None:
        self.call(SYNC_PROGRESS, [item])

    def fetch_online_dossiers(self) -> list[dict[str, Any]]:
        data = self.call(FETCH_ONLINE, []).get("data") or []
        if not isinstance(data, list):
            raise PortalError("Danh sách hồ sơ trực tuyến không đúng định dạng")
        return [item for item in data if isinstance(item, dict)]
