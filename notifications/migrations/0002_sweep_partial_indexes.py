"""Partial indexes on the workflow tables that hold only what the sweep has not yet warned about.

Added here, not in workflows (owned by the workflow app), because only the sweep reads them. Each
index holds the open rows whose flag is still NULL, so a sweep's range scan touches only rows that
are about to be notified, not every open or already-warned row (see benchmarks/bench_sweep.py).

On PostgreSQL the key is the expression ``timezone('UTC', due_at)`` (immutable), which the sweep's
SQL uses too: only these indexes can serve the sweep's range, and ANALYZE keeps statistics on the
expression over the indexed (not yet flagged) rows only, so the planner's estimate is right.
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


def create(apps, schema_editor):
    key = "(timezone('UTC', due_at))" if schema_editor.connection.vendor == "postgresql" else "due_at"
    for name, table, condition in INDEXES:
        schema_editor.execute(f"CREATE INDEX {name} ON {table} ({key}) WHERE {condition}")


def drop(apps, schema_editor):
    for name, _table, _condition in INDEXES:
        schema_editor.execute(f"DROP INDEX {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("workflows", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
