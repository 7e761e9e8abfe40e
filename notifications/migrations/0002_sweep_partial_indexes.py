"""Partial indexes on the workflow tables that hold only what the sweep has not yet warned about.

Added here, not in workflows (owned by the workflow app), because only the sweep reads them. Each
index holds the open rows whose flag is still NULL, so a sweep's range scan touches only rows that
are about to be notified, not every open or already-warned row (see benchmarks/bench_sweep.py).
Plain SQL that PostgreSQL and SQLite both accept.
"""

from django.db import migrations

INDEXES = [
    ("notif_task_due_soon_todo", "workflows_dossiertask", "status = 'open' AND due_soon_notified_at IS NULL"),
    ("notif_task_overdue_todo", "workflows_dossiertask", "status = 'open' AND overdue_notified_at IS NULL"),
    (
        "notif_dossier_due_soon_todo",
        "workflows_dossier",
        "status = 'processing' AND due_soon_notified_at IS NULL",
    ),
    (
        "notif_dossier_overdue_todo",
        "workflows_dossier",
        "status = 'processing' AND overdue_notified_at IS NULL",
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("workflows", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX {name} ON {table} (due_at) WHERE {condition}",
            reverse_sql=f"DROP INDEX {name}",
        )
        for name, table, condition in INDEXES
    ]
