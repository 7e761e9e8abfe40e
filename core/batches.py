"""Deleting many rows without one long transaction or one huge statement."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet


def delete_in_batches(rows: QuerySet, *, order_by: str, batch_size: int) -> int:
    """Delete ``rows`` ``batch_size`` at a time (one SELECT of ids in ``order_by`` order and one
    DELETE per batch, each in its own transaction); the number of rows deleted."""
    model = rows.model
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(rows.order_by(order_by).values_list("pk", flat=True)[:batch_size])
            if ids:
                deleted += model.objects.filter(pk__in=ids).delete()[0]
        if len(ids) < batch_size:
            return deleted
