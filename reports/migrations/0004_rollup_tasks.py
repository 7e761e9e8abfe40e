import datetime as dt

from django.db import migrations, models
from django.utils import timezone

INDEXES = {
    kind: (
        f"CREATE INDEX IF NOT EXISTS reports_task_{kind[:4]} ON workflows_dossiertask "
        f"(step_id, agency_id, floor({kind}), finished_at) INCLUDE ({kind}) WHERE status = 'done'"
    )
    for kind in ("wait_hours", "work_hours")
}
# The late dossiers finished since a period began (the report's distinct late dossiers, not
# additive, still read directly): a few percent of the dossiers finished since then.
INDEXES["late"] = (
    "CREATE INDEX IF NOT EXISTS reports_dossier_late ON workflows_dossier (finished_at) WHERE verdict = 'late'"
)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":  # SQLite: small installs read the table
        for sql in INDEXES.values():
            schema_editor.execute(sql)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS reports_task_wait")
        schema_editor.execute("DROP INDEX IF EXISTS reports_task_work")
        schema_editor.execute("DROP INDEX IF EXISTS reports_dossier_late")


def fill(apps, schema_editor):
    """A database already rolled up gets the tasks of the same days at once (the next refresh
    only adds the days after its watermark)."""
    from reports.rollup_tasks import BATCH, buckets_by_cell, sums_by_cell

    state = apps.get_model("reports", "RollupState").objects.order_by("pk").first()
    if state is None or state.rolled_until is None:
        return
    tz = timezone.get_default_timezone()
    until = dt.datetime.combine(state.rolled_until, dt.time.min, tzinfo=tz)
    tasks = apps.get_model("workflows", "DossierTask").objects.order_by().filter(
        status="done", finished_at__lt=until
    )
    rollup, hours = apps.get_model("reports", "RollupTasks"), apps.get_model("reports", "RollupTaskHours")
    rollup.objects.bulk_create(
        [rollup(month=m, step_id=s, agency_id=a, **v) for (m, s, a), v in sums_by_cell(tasks, tz).items()],
        batch_size=BATCH,
    )
    hours.objects.bulk_create(
        [
            hours(kind=k, month=m, step_id=s, agency_id=a, bucket=b, n=n, lo=lo, hi=hi)
            for (k, m, s, a, b), (n, lo, hi) in buckets_by_cell(tasks, tz).items()
        ],
        batch_size=BATCH,
    )


class Migration(migrations.Migration):
    """The bottleneck report from the rollup: ``RollupTasks`` (done tasks per month, step and
    agency: counts and exact sums of hours), ``RollupTaskHours`` (per whole hour of wait and of
    work) and, on PostgreSQL, the partial indexes that read the exact hours of one (step, agency)
    and bucket over a period: the few values around each percentile's rank; and the late dossiers
    by finish, for the distinct late dossiers."""

    dependencies = [
        ("reports", "0003_rollup_hours"),
        ("workflows", "0014_task_done_finished"),
    ]

    operations = [
        migrations.CreateModel(
            name="RollupTasks",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField()),
                ("step_id", models.IntegerField()),
                ("agency_id", models.IntegerField()),
                ("tasks", models.IntegerField(default=0)),
                ("late_tasks", models.IntegerField(default=0)),
                ("over_budget", models.IntegerField(default=0)),
                ("wait_n", models.IntegerField(default=0)),
                ("wait_micro", models.BigIntegerField(default=0)),
                ("work_n", models.IntegerField(default=0)),
                ("work_micro", models.BigIntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("month", "step_id", "agency_id"), name="rollup_tasks_key")
                ],
            },
        ),
        migrations.CreateModel(
            name="RollupTaskHours",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=10)),
                ("month", models.DateField()),
                ("step_id", models.IntegerField()),
                ("agency_id", models.IntegerField()),
                ("bucket", models.IntegerField()),
                ("n", models.IntegerField()),
                ("lo", models.FloatField()),
                ("hi", models.FloatField()),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "month", "step_id", "agency_id", "bucket"), name="rollup_task_hours_key"
                    )
                ],
            },
        ),
        migrations.RunPython(create_indexes, drop_indexes),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
