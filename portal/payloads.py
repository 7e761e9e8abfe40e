"""The JSON the portal receives, built from the transition's in-memory dossier and event.

Built inside the transition's transaction without a query of its own: the services hand over the
locked dossier (its procedure and agency loaded) and the event (its task and actor in memory).
What needs the catalog or the online map (``MaLinhVuc``, ``MaHoSoQG``) is added at delivery.
"""

from __future__ import annotations

from typing import Any

from core.roles import Role
from workflows.models import ApplicantKind, Channel, Dossier, DossierEvent, EventAction, Result

from .codes import portal_time

APPLICANT_KINDS = {ApplicantKind.PERSON: 1, ApplicantKind.ORGANISATION: 2}
# HinhThuc: how the dossier was filed.
CHANNELS = {Channel.IN_PERSON: 0, Channel.ONLINE: 1, Channel.POSTAL: 2}
RESULT_NAMES = {Result.APPROVED: "Kết quả giải quyết", Result.REFUSED: "Văn bản từ chối giải quyết"}


def _documents(documents: list) -> list[dict[str, Any]]:
    return [
        {"TenGiayTo": item.get("name", ""), "SoLuong": item.get("count", 1)}
        for item in documents
        if isinstance(item, dict)
    ]


def _supplements(event: DossierEvent | None) -> list[dict[str, str]]:
    """The appointment moved by this event (a supplement received, an extension): old and new."""
    if event is None or event.action not in (EventAction.SUPPLEMENT_RECEIVED, EventAction.EXTENDED):
        return []
    from django.utils.dateparse import parse_datetime

    previous = parse_datetime((event.data or {}).get("previous_due_at") or "")
    return [
        {
            "NgayHenTraTruoc": portal_time(previous),
            "NgayHenTraMoi": portal_time(event.due_at),
            "NoiDung": event.reason or str(EventAction(event.action).label),
        }
    ]


def dossier_payload(dossier: Dossier, *, code: int, event: DossierEvent | None = None) -> dict[str, Any]:
    """One item of ``DongBoHoSoMC``'s data."""
    procedure = dossier.procedure
    agency = dossier.receiving_agency
    return {
        "MaHoSo": dossier.code,
        "MaTTHC": procedure.code,
        "TenTTHC": procedure.name,
        "ChuHoSo": dossier.applicant_name,
        "LoaiDoiTuong": APPLICANT_KINDS.get(dossier.applicant_kind, 1),
        "TrichYeuHoSo": procedure.name,
        "NgayTiepNhan": portal_time(dossier.received_at),
        "NgayHenTra": portal_time(dossier.due_at),
        "TrangThaiHoSo": code,
        "NgayTra": portal_time(dossier.returned_at),
        "HinhThuc": CHANNELS.get(dossier.channel, 0),
        "NgayKetThucXuLy": portal_time(dossier.finished_at or dossier.withdrawn_at),
        "DonViXuLy": agency.code,
        "TenDonViXuLy": agency.name,
        "TaiLieuNop": _documents(dossier.documents or []),
        "DanhSachHoSoBoSung": _supplements(event),
        "DanhSachGiayToKetQua": (
            [{"TenGiayTo": RESULT_NAMES[dossier.result]}] if dossier.result in RESULT_NAMES else []
        ),
    }


def _handler(user) -> str:
    if user is None:
        return ""
    return (user.get_full_name() or user.get_username()).strip()


def progress_payload(dossier: Dossier, *, code: int, event: DossierEvent) -> dict[str, Any]:
    """One item of ``CapNhatTienDoHoSoMC``'s data: who did what on which step."""
    task = event.task
    agency = dossier.receiving_agency
    content = str(EventAction(event.action).label)
    if event.reason:
        content = f"{content}: {event.reason}"
    return {
        "MaHoSo": dossier.code,
        "NguoiXuLy": _handler(event.actor) or event.actor_username,
        "ChucDanh": str(Role(task.role).label) if task is not None and task.role in Role.values else "",
        "ThoiDiemXuLy": portal_time(event.at),
        # Another agency's step (inter-agency) reads that agency's name: one query, portal on only.
        "PhongBanXuLy": agency.name if task is None or task.agency_id == agency.pk else task.agency.name,
        "NoiDungXuLy": content,
        "TrangThai": code,
        "NgayBatDau": portal_time(task.created_at if task is not None else event.at),
        "NgayKetThucTheoQuyDinh": portal_time(task.due_at if task is not None else dossier.due_at),
    }
