"""The audit trail is append-only in the database too: on PostgreSQL a trigger refuses every
UPDATE and DELETE of ``workflows_dossierevent`` (the model refuses them in Python as well). A DBA
who must repair a row disables the trigger explicitly (``ALTER TABLE … DISABLE TRIGGER``), which
is itself visible in the server's log. Other databases (SQLite in development) rely on the model."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION onestop_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'workflows_dossierevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER dossierevent_append_only
    BEFORE UPDATE OR DELETE ON workflows_dossierevent
    FOR EACH ROW EXECUTE FUNCTION onestop_event_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS dossierevent_append_only ON workflows_dossierevent;
DROP FUNCTION IF EXISTS onestop_event_append_only();
"""


def _run_on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)  # no parameters: the '%' of RAISE is not a placeholder

    return run


class Migration(migrations.Migration):
    dependencies = [("workflows", "0009_rename_flow_nodes")]

    operations = [migrations.RunPython(_run_on_postgresql(FORWARD), _run_on_postgresql(BACKWARD))]
