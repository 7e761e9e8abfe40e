"""``portal_backfill --from --to``: one snapshot row per dossier of the period, in batches."""

import io

import pytest
from django.core.management import CommandError, call_command

from portal.delivery import deliver_dossier
from portal.models import SyncRow
from tests.factories import make_procedure
from tests.workflows.conftest import APPLICANT, local
from workflows import services


def _register(procedure, reception, clock, *when):
    clock.set(*when)
    dossier, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="online", by=reception
    )
    return dossier


def test_backfill_writes_a_snapshot_after_the_rows_already_there(portal, settings, clock, agency, reception):
    procedure = make_procedure(agency=agency)
    settings.ONESTOP_PORTAL_URL = ""  # dossiers of a period before the portal was switched on
    before = _register(procedure, reception, clock, 2026, 2, 27, 16, 0)
    inside = [_register(procedure, reception, clock, 2026, 3, day, 9, 0) for day in (2, 3, 4)]
    after = _register(procedure, reception, clock, 2026, 3, 5, 0, 30)  # 5 March on the office clock
    services.dossier_withdraw(dossier=inside[1], by=reception, reason="Xin rút")
    settings.ONESTOP_PORTAL_URL = "http://portal.invalid"
    services.dossier_withdraw(dossier=inside[2], by=reception, reason="Xin rút")  # live: row 1
    out = io.StringIO()

    call_command(
        "portal_backfill", "--from", "2026-03-02", "--to", "2026-03-04", "--batch-size", "2", stdout=out
    )

    assert out.getvalue().splitlines() == [
        "2/3 hồ sơ",
        "3/3 hồ sơ",
        "Đã ghi 3 bản ghi đồng bộ (2026-03-02 – 2026-03-04).",
    ]
    rows = {(row.dossier_id, row.sequence): row.portal_status for row in SyncRow.objects.all()}
    assert rows == {(inside[0].pk, 1): 4, (inside[1].pk, 1): 8, (inside[2].pk, 1): 8, (inside[2].pk, 2): 8}
    assert not SyncRow.objects.filter(dossier__in=[before, after]).exists()
    deliver_dossier(dossier_id=inside[0].pk)
    assert portal.calls[0][1]["NgayTiepNhan"] == "20260302090000"
    assert local(2026, 3, 2, 9, 0) == inside[0].received_at


@pytest.mark.parametrize(
    "args", [["--from", "2026-03-05", "--to", "2026-03-01"], ["--from", "x", "--to", "2026-03-01"]]
)
def test_backfill_refuses_a_bad_period(args, db):
    with pytest.raises(CommandError):
        call_command("portal_backfill", *args, stdout=io.StringIO(), stderr=io.StringIO())
