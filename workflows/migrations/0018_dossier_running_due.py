"""The running dossiers' due times, for the province-wide overdue list (supervisors, the board):
a partial index on ``CASE WHEN status = 'processing' THEN due_at END`` (``permissions.running_due``)
with statistics of that expression, on PostgreSQL.

Filtered on ``due_at`` itself, the planner judged "due before now" by the whole table's due times
(nearly all past: finished dossiers) and read every running dossier newest first to find the late
ones, 12,385 buffers at ten million. The expression's own statistics hold only the running
dossiers' due times, so the few late ones are read from this index (547 buffers). Built
``CONCURRENTLY`` (outside a transaction); other databases (SQLite in development) get none.
"""

from django.db import migrations

EXPRESSION = "(CASE WHEN status = 'processing' THEN due_at END)"
CREATE = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS dossier_running_due"
    f" ON workflows_dossier ({EXPRESSION}) WHERE status = 'processing'",
    f"CREATE STATISTICS IF NOT EXISTS dossier_running_due ON {EXPRESSION} FROM workflows_dossier",
    "ANALYZE workflows_dossier",
)
DROP = (
    "DROP STATISTICS IF EXISTS dossier_running_due",
    "DROP INDEX CONCURRENTLY IF EXISTS dossier_running_due",
)


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("workflows", "0017_covered_foreign_key_indexes")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
