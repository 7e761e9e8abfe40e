from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite has no INCLUDE; its reports read the table (small installs)
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS reports_dossier_resolved ON workflows_dossier (finished_at) "
        "INCLUDE (processing_hours, procedure_id, version_id, receiving_agency_id) "
        "WHERE result IN ('approved', 'refused')"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS reports_dossier_resolved")


class Migration(migrations.Migration):
    """The medians and p90 of the cutting report are not additive: they read the period's resolved
    dossiers. This partial covering index lets PostgreSQL read them index-only (a few columns of
    the resolved dossiers in finished_at order) instead of fetching a million wide rows. It is
    written once per dossier, when it finishes with a result (a dossier is inserted with an empty
    result, so registration does not touch it)."""

    dependencies = [("reports", "0001_rollup")]
    operations = [migrations.RunPython(create, drop)]
