"""The dossier admin lists and shows dossiers but offers no way around the services."""

from django.contrib.auth import get_user_model

from tests.factories import make_procedure
from tests.workflows.conftest import APPLICANT
from workflows import services


def test_dossier_admin_is_read_only(client, clock, agency, reception):
    dossier, _ = services.dossier_register(
        procedure=make_procedure(agency=agency), applicant=APPLICANT, channel="online", by=reception
    )
    client.force_login(get_user_model().objects.create_superuser("root", password="x"))
    listing = client.get("/admin/workflows/dossier/?status=processing")
    assert listing.status_code == 200 and dossier.code in listing.content.decode()
    page = client.get(f"/admin/workflows/dossier/{dossier.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "registered" in body and reception.username in body and 'name="_save"' not in body
    assert (
        client.post(f"/admin/workflows/dossier/{dossier.pk}/change/", {"status": "returned"}).status_code
        == 403
    )
    assert client.get("/admin/workflows/dossier/add/").status_code == 403
    assert client.get("/admin/workflows/staffprofile/").status_code == 200
