"""Drop the five model permissions of 0002/0003 that nothing checked.

Who may register, process, extend, reassign or see every dossier is decided by
``workflows/permissions.py`` alone; a permission in the admin that grants nothing would mislead.
Removing the rows also removes them from the role groups.
"""

from django.db import migrations

UNUSED = ["register_dossier", "process_dossiertask", "extend_dossier", "reassign_dossiertask", "view_all_dossiers"]


def drop_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="workflows", codename__in=UNUSED).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0007_event_actor_protected"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="dossier",
            options={"verbose_name": "hồ sơ", "verbose_name_plural": "hồ sơ"},
        ),
        migrations.RunPython(drop_permissions, migrations.RunPython.noop),
    ]
