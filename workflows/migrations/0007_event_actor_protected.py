"""Who did what is never erased: the event's actor and the task's owner are PROTECT (staff who
have acted are deactivated, not deleted), and the event keeps the actor's username as text,
back-filled here for the events already written."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def backfill_actor_username(apps, schema_editor):
    DossierEvent = apps.get_model("workflows", "DossierEvent")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    username = User.objects.filter(pk=OuterRef("actor_id")).values("username")[:1]
    DossierEvent.objects.filter(actor__isnull=False, actor_username="").update(
        actor_username=Subquery(username)
    )


class Migration(migrations.Migration):

    dependencies = [
        ('workflows', '0006_admin_only_is_staff'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='dossierevent',
            name='actor_username',
            field=models.CharField(blank=True, max_length=150),
        ),
        migrations.AlterField(
            model_name='dossierevent',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='dossiertask',
            name='owner',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.RunPython(backfill_actor_username, migrations.RunPython.noop),
    ]
