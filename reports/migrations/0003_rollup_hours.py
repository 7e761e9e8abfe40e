import datetime as dt

from django.db import migrations, models
from django.utils import timezone

INDEX = (
    "CREATE INDEX IF NOT EXISTS reports_dossier_hours ON workflows_dossier "
    "(receiving_agency_id, procedure_id, version_id, floor(processing_hours), finished_at) "
    "INCLUDE (processing_hours) WHERE result IN ('approved', 'refused')"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":  # SQLite: small installs read the table
        schema_editor.execute(INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS reports_dossier_hours")


def fill(apps, schema_editor):
    """A database already rolled up gets the hours of the same days at once (the next refresh
    only adds the days after its watermark)."""
    from reports.rollup_hours import BATCH, month_counts

    state = apps.get_model("reports", "RollupState").objects.order_by("pk").first()
    if state is None or state.rolled_until is None:
        return
    tz = timezone.get_default_timezone()
    until = dt.datetime.combine(state.rolled_until, dt.time.min, tzinfo=tz)
    counts = month_counts(None, until, tz, apps.get_model("workflows", "Dossier").objects)
    hours = apps.get_model("reports", "RollupHours")
    hours.objects.bulk_create(
        [
            hours(month=month, agency_id=a, procedure_id=p, version_id=v, bucket=b, n=n)
            for (month, a, p, v, b), n in counts.items()
        ],
        batch_size=BATCH,
    )


class Migration(migrations.Migration):
    """The cutting report's exact medians and p90 from the rollup: ``RollupHours`` (resolved
    dossiers per month, cell and whole working hour) and, on PostgreSQL, the partial index that
    reads the exact hours of one cell and bucket over a period (a range of its last column): the
    few values around each percentile's rank. Written once per dossier, when it finishes with a
    result."""

    dependencies = [
        ("reports", "0002_resolved_hours_index"),
        ("workflows", "0013_dossier_passing_received"),
    ]

    operations = [
        migrations.CreateModel(
            name="RollupHours",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField()),
                ("agency_id", models.IntegerField()),
                ("procedure_id", models.IntegerField()),
                ("version_id", models.IntegerField()),
                ("bucket", models.IntegerField()),
                ("n", models.IntegerField()),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("month", "agency_id", "procedure_id", "version_id", "bucket"),
                        name="rollup_hours_key",
                    )
                ],
            },
        ),
        migrations.RunPython(create_index, drop_index),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
