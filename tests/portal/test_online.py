"""Dossiers filed online on the portal are registered by the desk's intake service, once each."""

import pytest

from portal.fake import FakePortalClient
from portal.intake import fetch_online_dossiers
from portal.models import OnlineDossier, SyncRow
from portal.tasks import fetch_online
from tests.factories import make_procedure
from tests.workflows.conftest import local
from workflows.models import Dossier, DossierEvent


@pytest.fixture
def procedure(agency):
    return make_procedure(agency=agency)


@pytest.fixture
def portal_account(make_staff, agency):
    return make_staff(agency, "reception", username=f"dvcqg.{agency.code}")


def online_item(procedure, portal_id="G22.99-260302-0001"):
    return {
        "MaHoSoQG": portal_id,
        "MaTTHC": procedure.code,
        "ChuHoSo": "Trần Thị Bình",
        "LoaiDoiTuong": 1,
        "SoGiayTo": "001190054321",
        "SoDienThoai": "0987654321",
        "Email": "binh@example.vn",
        "DiaChi": "5 Hùng Vương, Huế",
        "NgayNopHoSo": "20260302074500",
        "TaiLieuNop": [{"TenGiayTo": "Tờ khai", "SoLuong": 1}],
    }


def test_a_dossier_fetched_twice_is_registered_once(portal, clock, procedure, portal_account):
    portal.online = [online_item(procedure)]

    assert fetch_online() == {"registered": 1, "already": 0, "failed": 0}
    assert fetch_online() == {"registered": 0, "already": 1, "failed": 0}

    dossier = Dossier.objects.get()
    assert (dossier.channel, dossier.applicant_name, dossier.created_by) == (
        "online",
        "Trần Thị Bình",
        portal_account,
    )
    assert dossier.received_at == local(2026, 3, 2, 7, 45)
    assert dossier.documents == [{"name": "Tờ khai", "kind": "original", "count": 1}]
    assert DossierEvent.objects.get(dossier=dossier).actor == portal_account
    mapping = OnlineDossier.objects.get()
    assert (mapping.portal_id, mapping.dossier, mapping.status) == (
        "G22.99-260302-0001",
        dossier,
        "registered",
    )
    assert SyncRow.objects.filter(dossier=dossier).count() == 1  # its registration goes back to the portal


def test_the_portals_id_goes_back_with_the_dossier(portal, clock, procedure, portal_account):
    from portal.delivery import deliver_dossier

    portal.online = [online_item(procedure)]
    fetch_online_dossiers(FakePortalClient())
    deliver_dossier(dossier_id=Dossier.objects.get().pk)
    assert portal.calls[0][1]["MaHoSoQG"] == "G22.99-260302-0001"


def test_a_dossier_that_cannot_be_registered_is_kept_failed_and_tried_again(portal, clock, procedure, agency):
    portal.online = [online_item(procedure)]

    assert fetch_online() == {"registered": 0, "already": 0, "failed": 1}  # no portal account yet
    mapping = OnlineDossier.objects.get()
    assert mapping.status == "failed" and f"dvcqg.{agency.code}" in mapping.last_error
    assert not Dossier.objects.exists()

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from workflows.models import StaffProfile

    account = get_user_model().objects.create_user(username=f"dvcqg.{agency.code}", password="x")
    StaffProfile.objects.create(user=account, agency=agency)
    account.groups.add(Group.objects.get_or_create(name="reception")[0])
    assert fetch_online() == {"registered": 1, "already": 0, "failed": 0}
    assert OnlineDossier.objects.get().status == "registered"


def test_an_unknown_procedure_is_not_registered(portal, clock, procedure, portal_account):
    item = online_item(procedure) | {"MaTTHC": "9.999999"}
    portal.online = [item, online_item(procedure, portal_id="G22.99-260302-0002")]
    assert fetch_online() == {"registered": 1, "already": 0, "failed": 1}
    assert "9.999999" in OnlineDossier.objects.get(portal_id=item["MaHoSoQG"]).last_error


def test_with_the_portal_off_nothing_is_fetched(settings, clock, procedure, portal_account):
    settings.ONESTOP_PORTAL_URL = ""
    FakePortalClient.online = [online_item(procedure)]
    try:
        assert fetch_online() == {}
    finally:
        FakePortalClient.reset()
    assert not Dossier.objects.exists()
