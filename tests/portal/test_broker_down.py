"""A broker that cannot be reached never blocks the desk: the transition commits, its row waits."""

from unittest import mock

import pytest

from core.outage import broker_breaker
from portal import outbox
from portal.models import SyncRow
from tests.factories import make_procedure
from tests.workflows.conftest import APPLICANT
from workflows import services


@pytest.fixture(autouse=True)
def _breaker():
    broker_breaker.reset()
    yield
    broker_breaker.reset()


def test_a_broker_error_after_the_commit_is_swallowed(
    portal, clock, agency, reception, django_capture_on_commit_callbacks
):
    procedure = make_procedure(agency=agency)
    publish = mock.Mock(side_effect=OSError("Connection refused"))
    with mock.patch.object(outbox.deliver_dossier_task, "apply_async", publish):
        with django_capture_on_commit_callbacks(execute=True):
            dossier, _ = services.dossier_register(
                procedure=procedure, applicant=APPLICANT, channel="online", by=reception
            )
        with django_capture_on_commit_callbacks(execute=True):
            services.dossier_withdraw(dossier=dossier, by=reception, reason="Xin rút")

    assert publish.call_count == 1  # the second dispatch is skipped while the breaker is open
    assert not broker_breaker.available()
    assert list(SyncRow.objects.values_list("sequence", "status")) == [(1, "pending"), (2, "pending")]
    assert portal.calls == []


def test_after_the_commit_the_dossier_is_handed_to_the_delivery(
    portal, clock, agency, reception, django_capture_on_commit_callbacks
):
    procedure = make_procedure(agency=agency)
    with django_capture_on_commit_callbacks(execute=True):  # eager Celery in tests
        dossier, _ = services.dossier_register(
            procedure=procedure, applicant=APPLICANT, channel="online", by=reception
        )
    assert [(service, item["MaHoSo"]) for service, item in portal.calls] == [("DongBoHoSoMC", dossier.code)]
