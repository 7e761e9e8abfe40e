"""Our statuses and events → the portal's status codes and calls: ONE table, pure functions.

The portal's codes (DVCQG): 1 new, 2 received, 3 not received, 4 processing, 5 supplement
requested, 6 financial obligation, 7 withdrawal requested, 8 stopped, 9 done, 10 result returned.

A row ``(action, to_status, kind, code)``: the transition ``action`` that leaves the dossier in
``to_status`` (``None``: any status) is sent as call ``kind`` carrying ``code``. A row with
``action=None`` is the snapshot of a dossier in that status (``portal_backfill``). Choices:

* a refusal to resolve is a decision: 9 (done) with the refusal as the result, then 10 when returned;
* our withdrawal is final (the applicant asked, the desk recorded it): 8 (stopped), not 7, which
  the portal uses for a request not yet accepted;
* step-level events (claim, release, reassign, approve within processing, send back) are progress
  calls with 4; events that change what the applicant sees are dossier calls;
* ratings are not sent (the portal collects its own); 1 and 6 are never sent (we do not have
  unreceived drafts or fees).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from workflows.models import DossierStatus as S
from workflows.models import EventAction as E

PORTAL_TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FORMAT = "%Y%m%d%H%M%S"

DOSSIER, PROGRESS = "dossier", "progress"

SYNC_TABLE: tuple[tuple[str | None, str | None, str, int], ...] = (
    (E.REGISTERED, S.PROCESSING, DOSSIER, 2),
    (E.REFUSED_AT_INTAKE, S.REJECTED, DOSSIER, 3),
    (E.CLAIMED, None, PROGRESS, 4),
    (E.RELEASED, None, PROGRESS, 4),
    (E.REASSIGNED, None, PROGRESS, 4),
    (E.APPROVED, S.PROCESSING, PROGRESS, 4),
    (E.SENT_BACK, S.PROCESSING, PROGRESS, 4),
    (E.APPROVED, S.RESULT_READY, DOSSIER, 9),
    (E.REFUSED, S.RESULT_READY, DOSSIER, 9),
    (E.SUPPLEMENT_REQUESTED, S.WAITING_SUPPLEMENT, DOSSIER, 5),
    (E.SUPPLEMENT_RECEIVED, S.PROCESSING, DOSSIER, 4),
    (E.EXTENDED, S.PROCESSING, DOSSIER, 4),
    (E.EXTENDED, S.WAITING_SUPPLEMENT, DOSSIER, 5),
    (E.WITHDRAWN, S.WITHDRAWN, DOSSIER, 8),
    (E.RESULT_RETURNED, S.RETURNED, DOSSIER, 10),
    (None, S.PROCESSING, DOSSIER, 4),
    (None, S.WAITING_SUPPLEMENT, DOSSIER, 5),
    (None, S.RESULT_READY, DOSSIER, 9),
    (None, S.RETURNED, DOSSIER, 10),
    (None, S.REJECTED, DOSSIER, 3),
    (None, S.WITHDRAWN, DOSSIER, 8),
)

_EXACT = {(action, status): (kind, code) for action, status, kind, code in SYNC_TABLE if status}
_ANY = {action: (kind, code) for action, status, kind, code in SYNC_TABLE if status is None}


def sync_call(action: str | None, to_status: str) -> tuple[str, int] | None:
    """``(kind, code)`` for a transition (or a snapshot when ``action`` is None); None: nothing sent."""
    return _EXACT.get((action, to_status)) or (_ANY.get(action) if action is not None else None)


def status_code(status: str) -> int:
    """The code of a dossier's current status (what a snapshot carries)."""
    return _EXACT[(None, status)][1]


def portal_time(value: dt.datetime | None) -> str:
    """``yyyyMMddHHmmss`` on the office clock; empty for no time."""
    return value.astimezone(PORTAL_TZ).strftime(DATE_FORMAT) if value is not None else ""


def parse_portal_time(text: str | None) -> dt.datetime | None:
    """The portal's ``yyyyMMddHHmmss`` (office clock) as an aware datetime; None when empty or bad."""
    if not text:
        return None
    try:
        return dt.datetime.strptime(str(text), DATE_FORMAT).replace(tzinfo=PORTAL_TZ)
    except ValueError:
        return None
