"""The row locks every transition starts with (``workflows/services/_locks.py``) give the instances
``select_related`` gives: every column converted the same way, the relations loaded, nothing more
to query; and they lock the dossier row where the database can."""

import pytest
from django.db import connection, transaction
from django.db.models import Subquery

from core.exceptions import NotFound
from workflows.models import Dossier, DossierTask
from workflows.services import _locks


def _columns(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_a_locked_task_is_the_orms_task_and_dossier_with_their_relations(
    registered, django_assert_num_queries
):
    task_id = DossierTask.objects.get(dossier=registered).pk
    expected = DossierTask.objects.select_related("flow_task__process").get(pk=task_id)
    expected_dossier = Dossier.objects.select_related("version", "procedure", "receiving_agency").get(
        pk=Subquery(DossierTask.objects.filter(pk=task_id).values("dossier_id"))
    )
    with transaction.atomic(), django_assert_num_queries(2):
        locked = _locks.lock_task(task_id)
        # Read without a query: what the services use next.
        related = (locked.dossier.version, locked.dossier.procedure, locked.dossier.receiving_agency)
        flow_task, process = locked.flow_task, locked.flow_task.process
    assert _columns(locked) == _columns(expected)
    assert _columns(locked.dossier) == _columns(expected_dossier)
    assert isinstance(locked.dossier.documents, list)  # the JSON column, decoded
    for mine, theirs in zip(
        related,
        (expected_dossier.version, expected_dossier.procedure, expected_dossier.receiving_agency),
        strict=True,
    ):
        assert type(mine) is type(theirs) and _columns(mine) == _columns(theirs)
    assert _columns(flow_task) == _columns(expected.flow_task)
    assert flow_task.flow_task == expected.flow_task.flow_task  # the flow reference, converted
    assert type(process) is type(expected.flow_task.process) and _columns(process) == _columns(
        expected.flow_task.process
    )
    assert not locked._state.adding and locked._state.db == "default"
    assert locked.dossier.received_at.utcoffset() is not None


def test_a_locked_dossier_has_its_process_and_catalog_rows(registered, django_assert_num_queries):
    expected = Dossier.objects.select_related("process", "version", "procedure", "receiving_agency").get(
        pk=registered.pk
    )
    with transaction.atomic(), django_assert_num_queries(1):
        locked = _locks.lock_dossier(registered.pk)
        process, agency = locked.process, locked.receiving_agency
    assert _columns(locked) == _columns(expected)
    assert _columns(process) == _columns(expected.process)
    assert agency.code == expected.receiving_agency.code


def test_a_task_without_a_viewflow_task_comes_back_with_none(registered):
    task = DossierTask.objects.get(dossier=registered)
    DossierTask.objects.filter(pk=task.pk).update(flow_task=None)
    with transaction.atomic():
        locked = _locks.lock_task(task.pk)
    assert locked.flow_task is None and locked.flow_task_id is None


@pytest.mark.django_db
@pytest.mark.parametrize("pk", [987654321, 2**63, 535537620869136663969792, -(2**63) - 1])
def test_a_missing_row_is_not_found(pk):
    # An id past the column's range (the API fuzzer's 2**63) finds nothing, as through the ORM.
    with pytest.raises(NotFound), transaction.atomic():
        _locks.lock_task(pk)
    with pytest.raises(NotFound), transaction.atomic():
        _locks.lock_dossier(pk)


@pytest.mark.django_db
def test_the_dossier_row_is_locked_where_the_database_can():
    sql = _locks._DOSSIER_OF_TASK.sql(connection)
    if connection.features.has_select_for_update_of:
        assert sql.endswith(" FOR UPDATE OF d")
        assert _locks._TASK.sql(connection).endswith(" FOR UPDATE OF t")
    else:  # SQLite locks the whole database for a write transaction
        assert "FOR UPDATE" not in sql
