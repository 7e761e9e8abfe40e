"""EXPLAIN (ANALYZE, BUFFERS) of the desk's queries that can reach finished dossiers or their events.

    DATABASE_URL=postgres://…/<a seeded copy> .venv/bin/python benchmarks/explain_history.py

Read only. Each plan should read an index range on open work or on one dossier's id, whatever the
size of the history (docs/SIZING.md "History: indexes, not partitions"). Needs a database seeded by
``seed_bench`` (the demo staff of its busiest agency, ``benchmarks.province.staff``) and ANALYZEd.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "false")  # as in production: no query log, no debug cursor
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestop.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402


def explain(label: str, queryset) -> None:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        print(f"\n### {label}\n" + "\n".join(row[0] for row in cursor.fetchall()))


def main() -> None:
    from benchmarks import province
    from notifications.models import Notification
    from portal.models import SyncRow
    from workflows import selectors
    from workflows.models import Dossier, DossierEvent, DossierTask

    if connection.vendor != "postgresql":
        sys.exit("explain_history needs PostgreSQL (DATABASE_URL)")
    specialist, head = province.staff("specialist"), province.staff("head")
    if specialist is None or head is None:
        sys.exit("no demo staff at the busiest agency: seed the database with seed_bench first")
    newest = Dossier.objects.filter(status="returned").order_by("-id").values_list("id", flat=True).first()
    oldest = Dossier.objects.filter(status="returned").order_by("id").values_list("id", flat=True).first()
    explain("inbox: specialist, first page", selectors.inbox_for(user=specialist)[:50])
    explain("inbox: head, first page", selectors.inbox_for(user=head)[:50])
    explain(
        "detail: events of a finished dossier",
        DossierEvent.objects.filter(dossier_id__in=[newest])
        .select_related("actor", "agency", "step")
        .order_by("at", "id"),
    )
    explain(
        "detail: tasks of a finished dossier",
        DossierTask.objects.filter(dossier_id__in=[newest])
        .select_related("step", "agency", "owner")
        .order_by("created_at", "id"),
    )
    explain(
        "portal outbox: a dossier's last event",
        DossierEvent.objects.filter(dossier_id=oldest).order_by("-id")[:1],
    )
    explain("staff_has_acted: in the audit trail", DossierEvent.objects.filter(actor_id=specialist.pk)[:1])
    explain("staff_has_acted: owner of a task", DossierTask.objects.filter(owner_id=specialist.pk)[:1])
    explain(
        "a user's in-app notifications",
        Notification.objects.filter(recipient=specialist, channel="in_app").order_by("-created_at")[:20],
    )
    explain("next portal sequence", SyncRow.objects.filter(dossier_id=oldest).order_by("-sequence")[:1])


if __name__ == "__main__":
    main()
