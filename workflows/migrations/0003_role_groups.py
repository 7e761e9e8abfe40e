"""Create one Django group per ``core.roles.Role`` with the permissions that role needs.

Who may act on a dossier is decided by workflows/permissions.py; these permissions drive the Django admin and
viewflow's own pages (which need ``view_process``, docs/viewflow.md, note 2).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "reception": [
        "workflows.register_dossier",
        "workflows.view_dossier",
        "workflows.view_dossiertask",
        "workflows.view_dossierevent",
        "procedures.view_procedure",
        "procedures.view_agency",
        "viewflow.view_process",
    ],
    "specialist": [
        "workflows.view_dossier",
        "workflows.view_dossiertask",
        "workflows.view_dossierevent",
        "workflows.process_dossiertask",
        "procedures.view_procedure",
        "viewflow.view_process",
    ],
    "head": [
        "workflows.view_dossier",
        "workflows.view_dossiertask",
        "workflows.view_dossierevent",
        "workflows.process_dossiertask",
        "workflows.extend_dossier",
        "procedures.view_procedure",
        "viewflow.view_process",
    ],
    "supervisor": [
        "workflows.view_dossier",
        "workflows.view_dossiertask",
        "workflows.view_dossierevent",
        "workflows.view_all_dossiers",
        "workflows.reassign_dossiertask",
        "workflows.view_staffprofile",
        "procedures.view_procedure",
        "procedures.view_agency",
        "viewflow.view_process",
        "viewflow.manage_process",
    ],
    "admin": [
        "workflows.view_dossier",
        "workflows.view_dossiertask",
        "workflows.view_dossierevent",
        "workflows.view_all_dossiers",
        "workflows.add_staffprofile",
        "workflows.change_staffprofile",
        "workflows.view_staffprofile",
        "auth.add_user",
        "auth.change_user",
        "auth.view_user",
        "auth.view_group",
        "procedures.*",
        "viewflow.view_process",
        "viewflow.manage_process",
    ],
}


def _permission(apps, label: str):
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    app_label, codename = label.split(".")
    found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    if found is None and codename == "manage_process":
        # viewflow adds "manage" to Process at runtime, so migrations never create it.
        content_type, _ = ContentType.objects.get_or_create(app_label="viewflow", model="process")
        found = Permission.objects.create(
            content_type=content_type, codename="manage_process", name="Can manage process"
        )
    return found


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for app_label in ("auth", "contenttypes", "viewflow", "procedures", "workflows"):
        config = apps.get_app_config(app_label)
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
    for role, labels in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        permissions = []
        for label in labels:
            if label.endswith(".*"):
                permissions += list(Permission.objects.filter(content_type__app_label=label[:-2]))
            else:
                permission = _permission(apps, label)
                if permission is not None:
                    permissions.append(permission)
        group.permissions.add(*permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLE_PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0002_dossier_flow_fields"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("viewflow", "0015_task_scheduled"),
        ("procedures", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
