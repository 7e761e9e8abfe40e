"""DossierAgency: which agencies may see a dossier (workflows.visibility), backfilled set-based
from the dossiers and their tasks before its indexes are built."""

import django.db.models.deletion
from django.db import migrations, models

# As workflows.visibility.REBUILD_SQL (a migration must not import code that may change later).
BACKFILL = (
    "INSERT INTO workflows_dossieragency (agency_id, dossier_id, received_at)"
    " SELECT receiving_agency_id, id, received_at FROM workflows_dossier"
    " UNION"
    " SELECT t.agency_id, t.dossier_id, d.received_at FROM workflows_dossiertask t"
    " JOIN workflows_dossier d ON d.id = t.dossier_id"
)


def backfill(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(BACKFILL)


def analyze(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("ANALYZE workflows_dossieragency")


class Migration(migrations.Migration):

    dependencies = [
        ('procedures', '0003_longer_procedure_name'),
        ('workflows', '0011_fk_indexes_covered_by_composites'),
    ]

    operations = [
        migrations.CreateModel(
            name='DossierAgency',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('received_at', models.DateTimeField()),
                ('agency', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='procedures.agency')),
                ('dossier', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='visibility', to='workflows.dossier')),
            ],
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name='dossieragency',
            constraint=models.UniqueConstraint(fields=('agency', 'dossier'), name='dossier_agency_unique'),
        ),
        migrations.AddIndex(
            model_name='dossieragency',
            index=models.Index(fields=['agency', '-received_at', '-dossier'], name='dossier_agency_listed'),
        ),
        migrations.RunPython(analyze, migrations.RunPython.noop, elidable=True),
    ]
