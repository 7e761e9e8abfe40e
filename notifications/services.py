"""Writes: citizen notifications on dossier events, and marking an in-app notification read."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from core.exceptions import InvalidInput, NotFound
from notifications.models import (
    CITIZEN_KINDS,
    Notification,
    NotificationChannel,
    NotificationKind,
)
from notifications.outbox import store_notifications
from workflows.models import Dossier


def _iso(value: dt.datetime | None) -> str | None:
    """UTC ISO time, as read back from the database: a dossier in memory may hold office-clock
    times, and the dedupe key must not depend on where the dossier came from."""
    return value.astimezone(dt.UTC).isoformat() if value is not None else None


def _event_key(dossier: Dossier, kind: str) -> str:
    """What makes the event unique: a dossier is received once, but may be asked for supplements
    several times (one per pause) and gets one apology (one extension)."""
    if kind == NotificationKind.SUPPLEMENT_REQUESTED:
        return f"dossier:{dossier.pk}:supplement:{_iso(dossier.paused_at) or ''}"
    if kind == NotificationKind.RESULT_READY:
        return f"dossier:{dossier.pk}:result:{_iso(dossier.finished_at) or ''}"
    if kind == NotificationKind.APOLOGY:
        return f"dossier:{dossier.pk}:apology:{_iso(dossier.due_at) or ''}"
    return f"dossier:{dossier.pk}:{kind}"


def _payload(dossier: Dossier, kind: str) -> dict:
    payload = {
        "dossier_code": dossier.code,
        "applicant_name": dossier.applicant_name,
        "procedure_name": dossier.procedure.name,
        "agency_name": dossier.receiving_agency.name,
        "received_at": _iso(dossier.received_at),
        "due_at": _iso(dossier.due_at),
    }
    if kind == NotificationKind.SUPPLEMENT_REQUESTED:
        pause = dossier.pauses.order_by("-started_at").first()
        payload["missing_documents"] = list(pause.missing_documents) if pause else []
        payload["note"] = pause.note if pause else ""
    elif kind == NotificationKind.RESULT_READY:
        payload["result"] = dossier.result
    elif kind == NotificationKind.APOLOGY:
        extension = getattr(dossier, "extension", None)
        if extension is not None:
            payload["previous_due_at"] = _iso(extension.previous_due_at)
            payload["new_due_at"] = _iso(extension.new_due_at)
            payload["reason"] = extension.reason
    return payload


def _names_loaded(dossier: Dossier) -> bool:
    return Dossier.procedure.is_cached(dossier) and Dossier.receiving_agency.is_cached(dossier)


def notify_dossier_event(*, dossier_id: int, kind: str, dossier: Dossier | None = None) -> int:
    """Tell the applicant about ``kind`` by e-mail and SMS (whichever addresses the dossier has).

    Called inside the transition's transaction (an outbox). ``dossier`` is the transition's own
    up-to-date instance, if the caller has it: with its procedure and agency loaded, no query
    reads it again. Calling it twice for the same event creates nothing new (unique constraint).
    Returns how many rows were offered: one per address the dossier has, 0 without addresses.
    """
    if kind not in CITIZEN_KINDS:
        raise InvalidInput(f"Loại thông báo cho người dân không hợp lệ: {kind}", fields={"kind": [kind]})
    if dossier is None or dossier.pk != dossier_id or not _names_loaded(dossier):
        dossier = (
            Dossier.objects.select_related("procedure", "receiving_agency", "extension")
            .filter(pk=dossier_id)
            .first()
        )
    if dossier is None:
        raise NotFound(f"Không tìm thấy hồ sơ {dossier_id}.")
    now = timezone.now()
    key = _event_key(dossier, kind)
    payload = _payload(dossier, kind)
    rows = [
        Notification(
            kind=kind,
            channel=channel,
            address=address,
            recipient_key=f"addr:{address}",
            dossier=dossier,
            dedupe_key=key,
            payload=payload,
            created_at=now,
            next_attempt_at=now,
        )
        for channel, address in (
            (NotificationChannel.EMAIL, dossier.applicant_email.strip()),
            (NotificationChannel.SMS, dossier.applicant_phone.strip()),
        )
        if address
    ]
    # One statement that cannot fail on a duplicate: no savepoint needed inside a transition.
    with transaction.atomic(savepoint=False):
        return store_notifications(rows)


def notification_mark_read(*, notification_id: int, user) -> Notification:
    """Mark one of the user's in-app notifications read; marking it again keeps the first time."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .filter(pk=notification_id, recipient=user, channel=NotificationChannel.IN_APP)
            .first()
        )
        if notification is None:
            raise NotFound("Không tìm thấy thông báo.")
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
    return notification


def notify_staff_in_app(*, user_ids, kind: str, dedupe_key: str, payload: dict) -> int:
    """An in-app notice about no single dossier (e.g. a periodic report package) to each user.
    Offering the same ``dedupe_key`` again creates nothing new (unique constraint)."""
    if kind != NotificationKind.PERIODIC_REPORT:
        raise InvalidInput(f"Loại thông báo không hợp lệ: {kind}", fields={"kind": [kind]})
    now = timezone.now()
    rows = [
        Notification(
            kind=kind,
            channel=NotificationChannel.IN_APP,
            recipient_id=user_id,
            recipient_key=f"user:{user_id}",
            dedupe_key=dedupe_key,
            payload=payload,
            status="sent",
            sent_at=now,
            created_at=now,
        )
        for user_id in sorted(set(user_ids))
    ]
    with transaction.atomic(savepoint=False):
        return store_notifications(rows)
