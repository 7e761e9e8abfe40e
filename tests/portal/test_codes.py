"""The one table from our events and statuses to the portal's calls and codes, and its dates."""

import datetime as dt

import pytest

from portal.codes import SYNC_TABLE, parse_portal_time, portal_time, status_code, sync_call
from workflows.models import DossierStatus, EventAction


@pytest.mark.parametrize(
    ("action", "to_status", "expected"),
    [
        ("registered", "processing", ("dossier", 2)),
        ("refused_at_intake", "rejected", ("dossier", 3)),
        ("claimed", "processing", ("progress", 4)),
        ("released", "processing", ("progress", 4)),
        ("reassigned", "processing", ("progress", 4)),
        ("approved", "processing", ("progress", 4)),
        ("sent_back", "processing", ("progress", 4)),
        ("approved", "result_ready", ("dossier", 9)),
        ("refused", "result_ready", ("dossier", 9)),
        ("supplement_requested", "waiting_supplement", ("dossier", 5)),
        ("supplement_received", "processing", ("dossier", 4)),
        ("extended", "processing", ("dossier", 4)),
        ("extended", "waiting_supplement", ("dossier", 5)),
        ("withdrawn", "withdrawn", ("dossier", 8)),
        ("result_returned", "returned", ("dossier", 10)),
        ("rated", "returned", None),
        (None, "processing", ("dossier", 4)),
        (None, "returned", ("dossier", 10)),
    ],
)
def test_each_transition_maps_to_one_call(action, to_status, expected):
    assert sync_call(action, to_status) == expected


def test_every_status_has_a_snapshot_code_and_every_code_is_the_portals():
    assert {status: status_code(status) for status in DossierStatus.values} == {
        "processing": 4, "waiting_supplement": 5, "result_ready": 9, "returned": 10,
        "rejected": 3, "withdrawn": 8,
    }  # fmt: skip
    assert {code for *_, code in SYNC_TABLE} <= set(range(1, 11))
    assert {action for action, *_ in SYNC_TABLE} - {None} == set(EventAction.values) - {"rated"}


def test_dates_are_office_clock_yyyymmddhhmmss():
    utc = dt.datetime(2026, 3, 2, 17, 5, 9, tzinfo=dt.UTC)
    assert portal_time(utc) == "20260303000509"  # UTC+7: already the next day
    assert portal_time(None) == ""
    assert parse_portal_time("20260303000509") == utc
    assert parse_portal_time("2026-03-03") is None and parse_portal_time("") is None
