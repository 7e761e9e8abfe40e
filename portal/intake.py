"""Dossiers filed online on the portal, registered through the desk's own intake service.

Each portal dossier is registered once: its ``portal_id`` is unique on ``OnlineDossier``, the row
is locked (or created) in the same transaction as the registration, and a row that already has
its dossier is skipped, so a second fetch, or two fetches at once, register nothing new.

The acting user is the agency's system reception account, named by
``ONESTOP_PORTAL_RECEPTION_USERNAME`` (default ``dvcqg.{agency}``: ``{agency}`` is the receiving
agency's code): an active staff account with the reception role at that agency, created by an
administrator. The audit trail then says that the portal, not an officer, filed the dossier.
A dossier that cannot be registered (unknown procedure, no account, bad applicant) keeps its row
``failed`` with the reason, and is tried again at the next fetch.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.exceptions import DomainError, InvalidInput, NotAllowed
from procedures.models import Procedure
from workflows import clock, services
from workflows.models import Channel

from .codes import parse_portal_time
from .models import OnlineDossier, OnlineStatus

logger = logging.getLogger(__name__)

KINDS = {1: "person", 2: "organisation", "1": "person", "2": "organisation"}


@dataclass
class FetchResult:
    registered: int = 0
    already: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"registered": self.registered, "already": self.already, "failed": self.failed}


def applicant_of(item: dict[str, Any]) -> dict[str, str]:
    """The portal's applicant fields as the intake service's ``applicant``."""
    return {
        "kind": KINDS.get(item.get("LoaiDoiTuong"), "person"),
        "name": str(item.get("ChuHoSo") or ""),
        "id_number": str(item.get("SoGiayTo") or ""),
        "phone": str(item.get("SoDienThoai") or ""),
        "email": str(item.get("Email") or ""),
        "address": str(item.get("DiaChi") or ""),
    }


def documents_of(item: dict[str, Any]) -> list[dict[str, Any]]:
    documents = item.get("TaiLieuNop") or []
    return [
        {"name": str(doc.get("TenGiayTo") or "").strip(), "count": int(doc.get("SoLuong") or 1)}
        for doc in documents
        if isinstance(doc, dict) and str(doc.get("TenGiayTo") or "").strip()
    ]


def reception_account(procedure: Procedure):
    username = settings.ONESTOP_PORTAL_RECEPTION_USERNAME.format(agency=procedure.receiving_agency.code)
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise NotAllowed(f"Chưa có tài khoản tiếp nhận của Cổng cho cơ quan: {username}.")
    return user


def _register(item: dict[str, Any]):
    code = str(item.get("MaTTHC") or "")
    procedure = Procedure.objects.select_related("receiving_agency").filter(code=code).first()
    if procedure is None:
        raise InvalidInput(f"Không có thủ tục {code!r}.", fields={"MaTTHC": ["Không tồn tại."]})
    received = parse_portal_time(item.get("NgayNopHoSo"))
    now = clock.now()
    dossier, _key = services.dossier_register(
        procedure=procedure,
        applicant=applicant_of(item),
        channel=Channel.ONLINE,
        documents=documents_of(item),
        received_at=min(received, now) if received else None,
        by=reception_account(procedure),
    )
    return dossier


def _claim_row(portal_id: str, item: dict[str, Any]) -> OnlineDossier:
    """The map row, locked: created if new (a concurrent fetch waits on the unique index)."""
    now = timezone.now()
    try:
        with transaction.atomic():
            return OnlineDossier.objects.create(
                portal_id=portal_id, payload=item, status=OnlineStatus.FAILED, fetched_at=now
            )
    except IntegrityError:
        return OnlineDossier.objects.select_for_update().get(portal_id=portal_id)


def register_online_dossier(item: dict[str, Any]) -> str:
    """Register one fetched dossier once: ``registered``, ``already`` or ``failed``."""
    portal_id = str(item.get("MaHoSoQG") or "").strip()
    if not portal_id:
        logger.warning("An online dossier without MaHoSoQG was ignored")
        return "failed"
    with transaction.atomic():
        row = _claim_row(portal_id, item)
        if row.dossier_id is not None:
            return "already"
        try:
            with transaction.atomic():
                dossier = _register(item)
        except DomainError as exc:
            row.status, row.last_error, row.payload = OnlineStatus.FAILED, str(exc)[:2000], item
            row.save(update_fields=["status", "last_error", "payload"])
            logger.warning("Online dossier %s not registered: %s", portal_id, exc)
            return "failed"
        row.dossier, row.status, row.last_error = dossier, OnlineStatus.REGISTERED, ""
        row.registered_at = timezone.now()
        row.save(update_fields=["dossier", "status", "last_error", "registered_at"])
    return "registered"


def fetch_online_dossiers(client) -> FetchResult:
    """Fetch the portal's new online dossiers and register each once."""
    result = FetchResult()
    for item in client.fetch_online_dossiers():
        outcome = register_online_dossier(item)
        setattr(result, outcome, getattr(result, outcome) + 1)
    return result
