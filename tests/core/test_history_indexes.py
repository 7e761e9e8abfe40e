"""History never slows the desk (docs/SIZING.md): the indexes the desk's reads of finished rows rely on.

A single-column index that a composite index already leads with is dropped (migration
workflows 0011), on every backend: on the task owner it let the planner read every task a person
ever finished for an inbox; on the event table it cost 7 % of the table. The delivery queues'
purge reads partial indexes on ``sent_at``.
"""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def _indexes(table: str) -> dict[str, dict]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {name: c for name, c in constraints.items() if c["index"] and not c["primary_key"]}


def _columns(table: str) -> list[list[str]]:
    return [c["columns"] for c in _indexes(table).values()]


@pytest.mark.parametrize(
    ("table", "column", "composite"),
    [
        ("workflows_dossierevent", "dossier_id", ["dossier_id", "at"]),
        ("workflows_dossiertask", "owner_id", ["owner_id", "status"]),
    ],
)
def test_no_single_column_index_where_a_composite_leads_with_the_column(table, column, composite):
    columns = _columns(table)
    assert [column] not in columns, f"{table}.{column} has an index of its own again"
    assert composite in columns


def test_the_purges_read_partial_indexes_on_sent_at():
    for table, name in (
        ("notifications_notification", "notification_sent"),
        ("portal_syncrow", "portal_sync_sent"),
    ):
        index = _indexes(table).get(name)
        assert index is not None and index["columns"] == ["sent_at"], (table, _indexes(table).keys())
