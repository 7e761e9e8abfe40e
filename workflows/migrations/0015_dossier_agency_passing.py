"""DossierAgency.passing_status and due_at (workflows.visibility.sync): the dossier's status and due
time while it passes through an open status. Added blank (no table rewrite), then backfilled for the
dossiers in a passing status only (found on ``dossier_passing_received``): the cost does not grow
with the history. Then the partial index."""

from django.db import migrations, models

# As workflows.visibility.PASSING_SQL (a migration must not import code that may change later).
BACKFILL = (
    "UPDATE workflows_dossieragency SET"
    " passing_status = (SELECT d.status FROM workflows_dossier d"
    " WHERE d.id = workflows_dossieragency.dossier_id),"
    " due_at = (SELECT d.due_at FROM workflows_dossier d WHERE d.id = workflows_dossieragency.dossier_id)"
    " WHERE dossier_id IN (SELECT id FROM workflows_dossier"
    " WHERE status IN ('processing', 'waiting_supplement', 'result_ready'))"
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
        ('workflows', '0014_task_done_finished'),
    ]

    operations = [
        migrations.AddField(
            model_name='dossieragency',
            name='due_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='dossieragency',
            name='passing_status',
            field=models.CharField(blank=True, db_default='', default='', max_length=24),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='dossieragency',
            index=models.Index(condition=models.Q(('passing_status__in', ('processing', 'waiting_supplement', 'result_ready'))), fields=['agency', 'passing_status', '-received_at', '-dossier', 'due_at'], name='dossier_agency_passing'),
        ),
        migrations.RunPython(analyze, migrations.RunPython.noop),
    ]
