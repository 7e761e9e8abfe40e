"""Indexes for the dossier list's ``search`` on PostgreSQL (the ORM's case-insensitive lookups
compare ``UPPER(column::text)``, which the plain b-tree indexes cannot serve):

- ``UPPER(code)`` with ``text_pattern_ops``: a code prefix (``istartswith``) is an index range scan;
- a trigram GIN index on ``UPPER(applicant_name)``: a part of a name (``icontains``) is a bitmap
  index scan instead of reading a million rows.

Other databases (SQLite in development) get neither: the SQL is PostgreSQL's, and their lists are small.
"""

from django.db import migrations

CREATE = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS dossier_code_upper_prefix"
    " ON workflows_dossier (UPPER(code::text) text_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS dossier_applicant_name_trgm"
    " ON workflows_dossier USING gin (UPPER(applicant_name::text) gin_trgm_ops)",
)
DROP = (
    "DROP INDEX IF EXISTS dossier_applicant_name_trgm",
    "DROP INDEX IF EXISTS dossier_code_upper_prefix",
)


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("workflows", "0003_role_groups")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
