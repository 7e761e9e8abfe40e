"""The audit trail (DossierEvent) cannot be changed or deleted through the application: not by the
model, not by a bulk query, not by the admin (superuser included), and on PostgreSQL not even by
raw SQL on the application's connection (trigger of migration 0010)."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django.test import Client, RequestFactory

from tests.factories import make_procedure
from tests.workflows.conftest import APPLICANT
from workflows import services
from workflows.admin import DossierEventInline
from workflows.models import AuditTrailIsAppendOnly, Dossier, DossierEvent

from . import figures


@pytest.fixture
def event(clock, make_staff, agency):
    dossier, _ = services.dossier_register(
        procedure=make_procedure(agency=agency),
        applicant=APPLICANT,
        channel="online",
        by=make_staff(agency, "reception"),
    )
    return DossierEvent.objects.get(dossier=dossier)


def _unchanged(event) -> bool:
    return DossierEvent.objects.filter(pk=event.pk, action=event.action, reason=event.reason).exists()


def test_a_written_event_cannot_be_saved_again(event):
    event.reason = "sửa lại"
    with pytest.raises(AuditTrailIsAppendOnly):
        event.save()
    event.refresh_from_db()
    assert event.reason == ""


def test_an_event_cannot_be_deleted(event):
    with pytest.raises(AuditTrailIsAppendOnly):
        event.delete()
    assert DossierEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize("operation", ["update", "delete"])
def test_bulk_queries_are_refused_too(event, operation):
    queryset = DossierEvent.objects.filter(pk=event.pk)
    with pytest.raises(AuditTrailIsAppendOnly):
        queryset.update(reason="x") if operation == "update" else queryset.delete()
    assert _unchanged(event)


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE workflows_dossierevent SET reason = 'x' WHERE id = %s",
        "DELETE FROM workflows_dossierevent WHERE id = %s",
    ],
)
def test_the_database_refuses_update_and_delete(event, sql):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's (DATABASE_URL)")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [event.pk])
    assert _unchanged(event)
    figures.add(faults_injected=1, faults_survived=1)


@pytest.mark.postgres
def test_deleting_a_dossier_cannot_take_its_trail_with_it(event):
    """The cascade from a dossier would delete its events: the database refuses the whole delete."""
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's (DATABASE_URL)")
    with pytest.raises(DatabaseError), transaction.atomic():
        Dossier.objects.filter(pk=event.dossier_id).delete()
    assert _unchanged(event)


def test_the_admin_shows_events_read_only_even_to_a_superuser(event):
    root = get_user_model().objects.create_superuser("root", "root@example.vn", "x")
    assert DossierEvent not in admin.site._registry  # no page of its own to edit or delete them
    client = Client()
    client.force_login(root)
    assert client.get("/admin/workflows/dossierevent/").status_code == 404
    request = RequestFactory().get("/")
    request.user = root
    inline = DossierEventInline(Dossier, admin.site)
    assert not inline.has_add_permission(request, event.dossier)
    assert not inline.has_change_permission(request, event.dossier)
    assert not inline.can_delete
    page = client.get(f"/admin/workflows/dossier/{event.dossier_id}/change/")
    assert page.status_code == 200
    assert b'name="events-0-reason"' not in page.content  # shown as text, no input to change it
