"""``core.inserts.insert`` writes what ``bulk_create`` writes, in one statement planned once."""

import pytest
from django.db import connection
from django.db.models import Value
from django.db.models.functions import Concat
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext

from core import inserts
from procedures.models import Agency, Level
from tests.factories import make_procedure
from tests.workflows.conftest import APPLICANT
from workflows import services
from workflows.models import Dossier, DossierAgency, DossierEvent


def _columns(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


@pytest.mark.django_db
def test_the_rows_are_inserted_in_one_statement_with_their_ids_and_marked_saved():
    agencies = [Agency(code=f"000.00.0{n}.T01", name=f"Sở {n}", level=Level.PROVINCE) for n in range(3)]
    with CaptureQueriesContext(connection) as queries:
        inserts.insert(agencies)
    assert len(queries) == 1
    assert all(a.pk is not None and not a._state.adding and a._state.db == "default" for a in agencies)
    for agency in agencies:  # in the order given: the ids match the rows
        assert _columns(Agency.objects.get(pk=agency.pk)) == _columns(agency)
    assert len({a.pk for a in agencies}) == 3


def test_the_values_are_prepared_as_the_orm_prepares_them(registered):
    """The dossier's JSON list, its auto_now_add and auto_now times, an event's JSON data: what
    the database holds equals what ``save()`` would have written."""
    dossier = registered
    stored = Dossier.objects.get(pk=dossier.pk)
    assert stored.documents == dossier.documents and isinstance(stored.documents, list)
    assert stored.created_at is not None and stored.created_at == dossier.created_at
    event = DossierEvent.objects.get(dossier=dossier)
    assert event.data["version"] == 1 and event.data["tasks"]
    assert _columns(stored) == _columns(dossier)


@pytest.mark.django_db
def test_conflicting_rows_are_skipped_when_asked(clock, agency, reception):
    dossier, _ = services.dossier_register(
        procedure=make_procedure(agency=agency), applicant=APPLICANT, channel="online", by=reception
    )
    other = Agency.objects.create(code="000.00.09.T02", name="Sở khác", level=Level.PROVINCE)
    rows = [
        DossierAgency(agency_id=agency.pk, dossier_id=dossier.pk, received_at=dossier.received_at),
        DossierAgency(agency_id=other.pk, dossier_id=dossier.pk, received_at=dossier.received_at),
    ]
    inserts.insert(rows, ignore_conflicts=True)
    assert set(DossierAgency.objects.filter(dossier=dossier).values_list("agency_id", flat=True)) == {
        agency.pk,
        other.pk,
    }


@pytest.mark.django_db
def test_a_model_someone_listens_to_is_saved_so_that_they_hear_it():
    heard = []

    def listener(sender, instance, created, **kwargs):
        heard.append((instance.code, created, instance.pk is not None))

    post_save.connect(listener, sender=Agency)
    try:
        inserts.insert([Agency(code="000.00.08.T03", name="Sở", level=Level.PROVINCE)])
    finally:
        post_save.disconnect(listener, sender=Agency)
    assert heard == [("000.00.08.T03", True, True)]


@pytest.mark.django_db
def test_an_expression_value_is_left_to_the_orm():
    agency = Agency(code="000.00.07.T04", name=Concat(Value("Sở "), Value("Tư pháp")), level=Level.PROVINCE)
    inserts.insert([agency])
    assert Agency.objects.get(pk=agency.pk).name == "Sở Tư pháp"


@pytest.mark.django_db
def test_insert_new_returns_what_went_in_and_skips_the_clashes(monkeypatch):
    """``insert_new``: the returned columns of the rows inserted, none of those that clash with a
    unique constraint (given twice, or already there), in statements below the parameter limit."""
    monkeypatch.setattr(inserts, "_MAX_PARAMS", 10)  # 5 columns an agency: 2 rows a statement
    Agency.objects.create(code="000.00.07.T01", name="Có sẵn", level=Level.PROVINCE)
    codes = ["000.00.01.T01", "000.00.02.T01", "000.00.07.T01", "000.00.01.T01", "000.00.03.T01"]
    rows = [Agency(code=code, name=f"Sở {n}", level=Level.PROVINCE) for n, code in enumerate(codes)]
    with CaptureQueriesContext(connection) as queries:
        new = inserts.insert_new(rows, returning=("id", "code"))
    assert len(queries) == 3
    assert [code for _pk, code in new] == ["000.00.01.T01", "000.00.02.T01", "000.00.03.T01"]
    assert {pk for pk, _code in new} == set(
        Agency.objects.filter(code__in=codes).exclude(name="Có sẵn").values_list("pk", flat=True)
    )
    assert all(row.pk is None for row in rows)  # the instances are left as they were
    assert inserts.insert_new([], returning=("id",)) == []
