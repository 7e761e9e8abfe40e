"""Drop two single-column FK indexes that composite indexes already lead with (docs/SIZING.md).

- ``DossierEvent.dossier``: ``event_dossier_at (dossier, at)`` serves every lookup by dossier; the
  extra index is 7 % of the append-only event table and one more index write per event.
- ``DossierTask.owner``: ``task_owner (owner, status)`` serves the inbox; with the plain index the
  planner may read every task a person ever finished and filter on the status.

Only the indexes go (``DROP INDEX``, the same name on PostgreSQL and SQLite). Django's own
``AlterField`` would also drop and re-add the foreign key on PostgreSQL, which re-checks every row
of the event table under a lock, and rebuild the table on SQLite.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

INDEXES = [
    ("workflows_dossierevent_dossier_id_44047ce4", "workflows_dossierevent", "dossier_id"),
    ("workflows_dossiertask_owner_id_2741e8c6", "workflows_dossiertask", "owner_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0010_reliability_event_append_only"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="dossierevent",
                    name="dossier",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="workflows.dossier",
                    ),
                ),
                migrations.AlterField(
                    model_name="dossiertask",
                    name="owner",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    sql=f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("{column}")',
                )
                for name, table, column in INDEXES
            ],
        ),
    ]
