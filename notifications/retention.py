"""Retention of delivered notifications: the delivery queue is not the audit trail.

A notification row is a message queued for delivery (an e-mail, an SMS, a line in a staff member's
in-app list). What happened to a dossier is recorded in ``workflows.DossierEvent``, append-only and
never deleted; the notification only carried the news. Delivered rows older than
``ONESTOP_DELIVERED_RETENTION_DAYS`` are deleted daily (``notifications.purge_delivered``), so the
table holds a bounded window instead of every message of the system's life:

- ``sent`` e-mails and SMS whose ``sent_at`` is older than the window;
- ``sent`` in-app notifications only once read (an unread one stays in its recipient's list);
- never a ``pending`` or ``failed`` row (still to deliver, or for someone to look at).

Set based: each batch is one SELECT of ids over the ``notification_sent`` partial index and one
DELETE, in its own short transaction. 0 days keeps everything.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from core.batches import delete_in_batches

from .models import Notification, NotificationChannel, NotificationStatus

BATCH = 5000


def purgeable(cutoff: dt.datetime):
    """The delivered rows older than ``cutoff`` that may go (see the module's rules)."""
    unread_in_app = Q(channel=NotificationChannel.IN_APP, read_at__isnull=True)
    return Notification.objects.filter(status=NotificationStatus.SENT, sent_at__lt=cutoff).exclude(
        unread_in_app
    )


def purge_delivered_notifications(*, now: dt.datetime, days: int, batch_size: int = BATCH) -> int:
    """Delete the purgeable rows in batches; the number deleted."""
    if days <= 0:
        return 0
    cutoff = now - dt.timedelta(days=days)
    return delete_in_batches(purgeable(cutoff), order_by="sent_at", batch_size=batch_size)
