"""Rendering and delivering one notification; the Celery task in ``tasks.py`` only wraps this."""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.text import unaccent
from notifications.models import Notification, NotificationChannel, NotificationStatus
from notifications.sms import get_sms_backend
from procedures.models import DocumentKind

logger = logging.getLogger(__name__)

SENT, SKIPPED, RETRY, FAILED = "sent", "skipped", "retry", "failed"
BACKOFF_SECONDS = 30
BACKOFF_MAX_SECONDS = 3600


def backoff_seconds(attempts: int) -> int:
    """Seconds before retry number ``attempts`` (1-based): the same curve Celery's autoretry uses."""
    return min(BACKOFF_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS)


def document_line(document) -> str:
    """One document as a line of text: ``Giấy chứng sinh (bản sao chứng thực, 2 bản)``."""
    if not isinstance(document, dict):
        return str(document)
    name = str(document.get("name") or "").strip()
    kind = document.get("kind")
    count = document.get("count") or 1
    details = [str(DocumentKind(kind).label).lower()] if kind in DocumentKind.values else []
    details.append(f"{count} bản")
    return f"{name} ({', '.join(details)})"


class DocumentLine(dict):
    """A document of the payload: ``{{ document }}`` prints its line, ``{{ document.name }}`` works."""

    def __str__(self) -> str:
        return document_line(self)


def template_context(notification: Notification) -> dict:
    """The payload, with ISO times turned back into datetimes so templates format them locally,
    and documents that print as one line each."""
    context = dict(notification.payload)
    for key, value in notification.payload.items():
        if key.endswith("_at") and isinstance(value, str):
            context[key] = parse_datetime(value) or value
        elif key.endswith("documents") and isinstance(value, list):
            context[key] = [DocumentLine(item) if isinstance(item, dict) else item for item in value]
    context["kind"] = notification.kind
    return context


def render(notification: Notification) -> tuple[str, str]:
    """(subject, text) from ``notifications/<kind>.<channel>.txt``; an e-mail's first line is its subject.

    The templates are plain text: rendered without HTML autoescaping ("&" stays "&"). An SMS is
    sent without diacritics (the names it carries included) so it fits one 160-character message.
    """
    template = get_template(f"notifications/{notification.kind}.{notification.channel}.txt")
    text = template.template.render(Context(template_context(notification), autoescape=False)).strip()
    if notification.channel == NotificationChannel.SMS:
        text = unaccent(text)
    if notification.channel == NotificationChannel.EMAIL:
        subject, _, body = text.partition("\n")
        return subject.strip(), body.strip() + "\n"
    return "", text


def send(notification: Notification) -> None:
    subject, text = render(notification)
    if notification.channel == NotificationChannel.EMAIL:
        EmailMessage(subject, text, settings.DEFAULT_FROM_EMAIL, [notification.address]).send()
    elif notification.channel == NotificationChannel.SMS:
        get_sms_backend().send(notification.address, text)


def deliver(*, notification_id: int) -> str:
    """Send one pending notification under a row lock; record the attempt whatever happens.

    A row another worker holds is skipped (it is being sent); a row already sent or failed is
    skipped. The send and the ``sent`` mark share one transaction: if the worker dies mid-send the
    row stays pending and ``deliver_pending`` queues it again.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, status=NotificationStatus.PENDING)
            .first()
        )
        if notification is None:
            return SKIPPED
        notification.attempts += 1
        now = timezone.now()
        try:
            send(notification)
        except Exception as exc:  # any backend error is a delivery failure to record and retry
            logger.warning(
                "Notification %s attempt %s failed", notification.pk, notification.attempts, exc_info=True
            )
            notification.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if notification.attempts >= settings.ONESTOP_NOTIFY_MAX_ATTEMPTS:
                notification.status = NotificationStatus.FAILED
                notification.next_attempt_at = None
                outcome = FAILED
            else:
                notification.next_attempt_at = now + dt.timedelta(
                    seconds=backoff_seconds(notification.attempts)
                )
                outcome = RETRY
        else:
            notification.status = NotificationStatus.SENT
            notification.sent_at = now
            notification.next_attempt_at = None
            outcome = SENT
        notification.save(update_fields=["attempts", "last_error", "status", "sent_at", "next_attempt_at"])
    return outcome
