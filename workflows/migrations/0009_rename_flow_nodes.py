"""DossierFlow's nodes renamed to read as the process diagram: viewflow stores each task's node
as ``workflows/flows.DossierFlow.<name>``, so the tasks already written follow the new names."""

from django.db import migrations

PREFIX = "workflows/flows.DossierFlow."
RENAMED = {
    "route_stage": "what_next",
    "join_stage": "all_steps_decided",
    "wait_supplement": "wait_for_supplement",
    "end": "result_ready",
}


def _rename(schema_editor, pairs):
    table = schema_editor.quote_name("viewflow_task")
    for old, new in pairs:
        schema_editor.execute(
            f"UPDATE {table} SET flow_task = %s WHERE flow_task = %s", [PREFIX + new, PREFIX + old]
        )


def forwards(apps, schema_editor):
    _rename(schema_editor, RENAMED.items())


def backwards(apps, schema_editor):
    _rename(schema_editor, [(new, old) for old, new in RENAMED.items()])


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0008_drop_unused_model_permissions"),
        ("viewflow", "0015_task_scheduled"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
