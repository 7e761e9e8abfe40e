"""Reports read from the replica when one is configured (core/dbrouter.py); nothing else does.

The replica here is a second database, copied from the test database after its migrations (what a
streaming replica is: a physical copy): on PostgreSQL ``CREATE DATABASE … TEMPLATE``, on SQLite the
backup API into a second file. Rows are then written to one of the two only, and each test shows
which one a read came from: a report counts dossiers that exist only in the replica, while the desk,
authentication and every write stay on the primary.
"""

from __future__ import annotations

import copy
import datetime as dt
import sqlite3
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from core.dbrouter import REPLICA, reads_from_replica
from onestop.databases import REPLICA_ROUTER
from procedures.models import Agency, Field, Procedure, ProcedureVersion
from reports import selectors
from reports.limits import report_time_limit
from reports.periods import make_period
from tests.factories import make_procedure
from tests.reports.factories import local, make_dossier
from workflows.models import Dossier, DossierEvent, DossierStatus

BOTH = [DEFAULT_DB_ALIAS, REPLICA]
JULY = {"from": "2026-07-01", "to": "2026-07-31"}


# --- a second database ---------------------------------------------------------------------------


def _copy_postgres(primary, name: str) -> None:
    template = primary.settings_dict["NAME"]
    primary.close()  # CREATE DATABASE … TEMPLATE needs the template without sessions
    with primary._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


def _drop_postgres(primary, name: str) -> None:
    with primary._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.fixture(scope="module")
def replica_database(django_db_setup, django_db_blocker):
    """A ``replica`` alias on a copy of the migrated test database, for this module's tests."""
    with django_db_blocker.unblock():
        primary = connections[DEFAULT_DB_ALIAS]
        config = copy.deepcopy(primary.settings_dict)
        folder = None
        if primary.vendor == "postgresql":
            name = f"{config['NAME']}_replica"[:63]
            _copy_postgres(primary, name)
        else:
            folder = tempfile.TemporaryDirectory()
            name = str(Path(folder.name) / "replica.sqlite3")
            primary.ensure_connection()
            target = sqlite3.connect(name)
            primary.connection.backup(target)
            target.close()
        config["NAME"] = name
        config["TEST"] = {**config.get("TEST", {}), "NAME": name}
        previous = connections.settings.get(REPLICA)
        connections.settings[REPLICA] = config
    yield name
    with django_db_blocker.unblock():
        connections[REPLICA].close()
        del connections[REPLICA]
        if previous is None:
            del connections.settings[REPLICA]
        else:
            connections.settings[REPLICA] = previous
        if folder is not None:
            folder.cleanup()
        else:
            _drop_postgres(connections[DEFAULT_DB_ALIAS], name)


@pytest.fixture
def routed(replica_database, settings):
    """The settings a ``DATABASE_REPLICA_URL`` gives: the replica alias and the router."""
    settings.DATABASE_ROUTERS = [REPLICA_ROUTER]
    return replica_database


def _copy_to_replica(*querysets) -> None:
    for queryset in querysets:
        queryset.model.objects.using(REPLICA).bulk_create(list(queryset.using(DEFAULT_DB_ALIAS)))


@pytest.fixture
def world(db):
    """A July 2026 procedure in both databases; three dossiers and an audit event only in the replica;
    one other dossier only on the primary."""
    procedure = make_procedure(code="1.000001")
    moved = [
        make_dossier(procedure=procedure, received_at=local(2026, 7, day, 9), due_at=local(2026, 8, 1))
        for day in (2, 3, 6)
    ]
    _copy_to_replica(
        Agency.objects.all(),
        Field.objects.all(),
        Procedure.objects.all(),
        ProcedureVersion.objects.all(),
        Dossier.objects.filter(pk__in=[d.pk for d in moved]),
    )
    Dossier.objects.filter(pk__in=[d.pk for d in moved]).delete()
    DossierEvent.objects.using(REPLICA).create(  # the audit table is append-only: written to the replica only
        dossier_id=moved[0].pk,
        at=local(2026, 7, 9, 10),
        action="withdrawn",
        from_status=DossierStatus.PROCESSING,
        to_status=DossierStatus.WITHDRAWN,
    )
    primary_only = make_dossier(
        procedure=procedure, received_at=local(2026, 7, 20, 9), due_at=local(2026, 8, 5)
    )
    return {"procedure": procedure, "withdrawn": moved[0], "primary_only": primary_only}


def _supervisor():
    user = get_user_model().objects.create_user(username="giamsat", password="x")  # on the primary only
    user.groups.add(Group.objects.get(name="supervisor"))
    client = APIClient()
    client.force_authenticate(user)
    return client


def _july():
    return make_period(
        date_from=dt.date(2026, 7, 1), date_to=dt.date(2026, 7, 31), tz=timezone.get_default_timezone()
    )


@pytest.mark.django_db(databases=BOTH)
def test_a_report_in_the_scope_counts_the_rows_of_the_replica(routed, world):
    assert Dossier.objects.using(REPLICA).count() == 3 and Dossier.objects.count() == 1
    outside = selectors.processing_report(period=_july(), group_by="agency", agency_ids=None, unit="")
    with reads_from_replica():
        inside = selectors.processing_report(period=_july(), group_by="agency", agency_ids=None, unit="")
    assert outside.totals["received_direct"] == 1
    assert inside.totals["received_direct"] == 3


@pytest.mark.django_db(databases=BOTH)
def test_the_report_endpoint_reads_the_replica_and_authenticates_on_the_primary(routed, world):
    client = _supervisor()  # the user exists only on the primary
    body = client.get("/api/v1/reports/processing/", JULY).json()
    assert body["totals"]["received_direct"] == 3, body
    xlsx = client.get("/api/v1/reports/cutting/", {**JULY, "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")


@pytest.mark.django_db(databases=BOTH)
def test_the_desk_never_reads_from_the_replica(routed, world):
    client = _supervisor()
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        body = client.get("/api/v1/dossiers/").json()
        detail = client.get(f"/api/v1/dossiers/{world['primary_only'].code}/")
    assert [row["code"] for row in body["results"]] == [world["primary_only"].code]
    assert detail.status_code == 200
    assert on_replica.captured_queries == []


@pytest.mark.django_db(databases=BOTH)
def test_writes_in_the_scope_go_to_the_primary(routed, world):
    with reads_from_replica():
        agency = Agency.objects.get(pk=world["procedure"].receiving_agency_id)
        assert agency._state.db == REPLICA  # read from the replica …
        agency.name = "Tên mới"
        agency.save(update_fields=["name"])  # … written to the primary
        Field.objects.create(code="NEW", name="Lĩnh vực mới")
    assert Agency.objects.using(DEFAULT_DB_ALIAS).get(pk=agency.pk).name == "Tên mới"
    assert Agency.objects.using(REPLICA).get(pk=agency.pk).name != "Tên mới"
    assert Field.objects.using(DEFAULT_DB_ALIAS).filter(code="NEW").exists()
    assert not Field.objects.using(REPLICA).filter(code="NEW").exists()


@pytest.mark.django_db(databases=BOTH)
def test_the_open_data_feed_and_the_statistics_page_read_the_replica(routed, world, settings):
    from citizen.statistics_page import figures

    settings.ONESTOP_OPEN_DATA_MIN_CELL = 1
    body = APIClient().get("/api/v1/open-data/agency-monthly.json", JULY).json()
    assert sum(row["received"] or 0 for row in body["rows"]) == 3, body
    assert sum(month["received"] or 0 for month in figures(_july())["months"]) == 3


@pytest.mark.django_db(databases=BOTH)
def test_the_streamed_event_log_reads_the_replica(routed, world):
    response = _supervisor().get("/api/v1/reports/event-log/", JULY)
    xes = b"".join(response.streaming_content).decode()
    assert response.status_code == 200
    assert world["withdrawn"].code in xes  # its withdrawal event is only in the replica
    assert DossierEvent.objects.using(DEFAULT_DB_ALIAS).count() == 0


@pytest.mark.django_db(databases=BOTH)
def test_a_periodic_package_takes_its_figures_from_the_replica_and_is_stored_on_the_primary(routed, world):
    from periodic.models import PeriodicPackage
    from periodic.services import package_build

    package, built = package_build(kind="quarter", year=2026, number=3)
    assert built
    assert package.figures["processing_by_agency"]["totals"]["received_direct"] == 3
    assert PeriodicPackage.objects.using(DEFAULT_DB_ALIAS).filter(pk=package.pk).exists()
    assert not PeriodicPackage.objects.using(REPLICA).exists()


@pytest.mark.postgres
@pytest.mark.django_db(databases=BOTH)
def test_the_report_time_limit_is_set_on_the_replica_it_reads_from(routed):
    if connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
        pytest.skip("statement_timeout is PostgreSQL's (set DATABASE_URL)")

    def timeout(alias: str) -> str:
        with connections[alias].cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            return cursor.fetchone()[0]

    with reads_from_replica(), report_time_limit(7):
        assert (timeout(REPLICA), timeout(DEFAULT_DB_ALIAS)) == ("7s", "0")
    with report_time_limit(9):  # outside the scope: on the primary, as before
        assert timeout(DEFAULT_DB_ALIAS) == "9s"
