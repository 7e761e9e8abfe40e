"""Drop the foreign keys' own indexes that a composite index leads with: the dossier's procedure
(``dossier_procedure_received``) and receiving agency (``dossier_agency_received``), the task's
dossier (``task_dossier_stage``), step (``task_step_finished``) and agency (``task_inbox``). Every
registration and decision wrote an entry in each (a status change is not a HOT update).

Only the indexes go: Django's own ``AlterField`` would also drop and re-add each foreign key
constraint, which re-checks every row (27 million tasks at ten million dossiers) under a lock. The
names are Django's for these columns (a hash of the table and the column: the same in every
database these migrations built); ``CONCURRENTLY`` on PostgreSQL, outside a transaction, so the desk
goes on working.
"""

import django.db.models.deletion
from django.db import migrations, models

INDEXES = [  # (name, table, column)
    ("workflows_dossier_procedure_id_06f69529", "workflows_dossier", "procedure_id"),
    ("workflows_dossier_receiving_agency_id_4877a140", "workflows_dossier", "receiving_agency_id"),
    ("workflows_dossiertask_agency_id_ecc95f24", "workflows_dossiertask", "agency_id"),
    ("workflows_dossiertask_dossier_id_c6564806", "workflows_dossiertask", "dossier_id"),
    ("workflows_dossiertask_step_id_c05ac379", "workflows_dossiertask", "step_id"),
]


def _concurrently(schema_editor) -> str:
    return " CONCURRENTLY" if schema_editor.connection.vendor == "postgresql" else ""


def drop(apps, schema_editor):
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX{_concurrently(schema_editor)} IF EXISTS {name}")


def create(apps, schema_editor):
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX{_concurrently(schema_editor)} IF NOT EXISTS {name} ON {table} ({column})"
        )


class Migration(migrations.Migration):
    atomic = False
    dependencies = [
        ("procedures", "0003_longer_procedure_name"),
        ("workflows", "0016_dossier_name_words"),
    ]

    state = [
        migrations.AlterField(
            model_name="dossier",
            name="procedure",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                to="procedures.procedure",
                verbose_name="thủ tục",
            ),
        ),
        migrations.AlterField(
            model_name="dossier",
            name="receiving_agency",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="dossiers",
                to="procedures.agency",
                verbose_name="cơ quan tiếp nhận",
            ),
        ),
        migrations.AlterField(
            model_name="dossiertask",
            name="agency",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="tasks",
                to="procedures.agency",
            ),
        ),
        migrations.AlterField(
            model_name="dossiertask",
            name="dossier",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="tasks",
                to="workflows.dossier",
            ),
        ),
        migrations.AlterField(
            model_name="dossiertask",
            name="step",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="procedures.step",
            ),
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop, create, elidable=False)], state_operations=state
        )
    ]
