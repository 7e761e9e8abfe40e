"""An in-memory portal for tests and demos (``ONESTOP_PORTAL_CLIENT=portal.fake.FakePortalClient``).

State is shared by every instance in the process (the delivery makes a new client per run):
``calls`` records what was accepted, ``online`` is what ``fetch_online_dossiers`` answers, and
``down`` makes every push fail as an unreachable portal would.
"""

from __future__ import annotations

import copy
from typing import Any

from .client import SYNC_DOSSIER, SYNC_PROGRESS, PortalError


class FakePortalClient:
    calls: list[tuple[str, dict[str, Any]]] = []
    online: list[dict[str, Any]] = []
    down: bool = False
    failures: int = 0  # pushes refused while down

    @classmethod
    def reset(cls) -> None:
        cls.calls, cls.online, cls.down, cls.failures = [], [], False, 0

    def _accept(self, service: str, item: dict[str, Any]) -> None:
        if type(self).down:
            type(self).failures += 1
            raise PortalError("Cổng không phản hồi (giả lập)")
        type(self).calls.append((service, copy.deepcopy(item)))

    def push_dossier(self, item: dict[str, Any]) -> None:
        self._accept(SYNC_DOSSIER, item)

    def push_progress(self, item: dict[str, Any]) -> None:
        self._accept(SYNC_PROGRESS, item)

    def fetch_online_dossiers(self) -> list[dict[str, Any]]:
        if type(self).down:
            raise PortalError("Cổng không phản hồi (giả lập)")
        return copy.deepcopy(type(self).online)
