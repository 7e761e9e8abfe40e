"""Drop the single-column indexes of ``recipient`` and ``dossier``: the composite indexes
``notification_inbox`` (recipient, channel, -created_at) and ``notification_dossier_kind``
(dossier, kind) start with the same column and serve every lookup, and each index is one more
write per notification (a day's sweep writes ten thousand).

Only the indexes are dropped: Django's AlterField would also drop and re-add the foreign keys,
which revalidates the whole table under a lock.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

INDEXES = {
    "notifications_notification_dossier_id_01c78d01": "dossier_id",
    "notifications_notification_recipient_id_d055f3f0": "recipient_id",
}


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_whatif_periodic_report"),
        ("workflows", "0010_reliability_event_append_only"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {name}",
                    reverse_sql=f"CREATE INDEX {name} ON notifications_notification ({column})",
                )
                for name, column in INDEXES.items()
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="notification",
                    name="dossier",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to="workflows.dossier",
                        verbose_name="hồ sơ",
                    ),
                ),
                migrations.AlterField(
                    model_name="notification",
                    name="recipient",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="cán bộ nhận",
                    ),
                ),
            ],
        )
    ]
