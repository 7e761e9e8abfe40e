"""The word index of the dossier list's name search on PostgreSQL (``workflows.name_search``): a GIN
index on ``to_tsvector('simple', applicant_name)``, which finds a name by its whole words (and the
start of its last word) in a few index pages however long the table. The trigram index of 0004 stays
for one-word fragments. Built ``CONCURRENTLY`` (outside a transaction): the desk goes on registering
dossiers while a long table is indexed. Other databases (SQLite in development) get none.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS dossier_applicant_name_words"
    " ON workflows_dossier USING gin (to_tsvector('simple'::regconfig, applicant_name::text))",
)
DROP = ("DROP INDEX CONCURRENTLY IF EXISTS dossier_applicant_name_words",)


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("workflows", "0015_dossier_agency_passing")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
