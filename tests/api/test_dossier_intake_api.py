import re

import pytest

from workflows.models import Dossier, DossierEvent, DossierTask

from .conftest import registration

pytestmark = pytest.mark.django_db


def test_reception_registers_a_dossier_and_gets_the_receipt_data(staff, as_user, procedure):
    response = as_user(staff[(0, "reception")]).post(
        "/api/v1/dossiers/", registration("1.001234"), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert re.fullmatch(r"000\.00\.31\.H57-\d{6}-0001", body["code"])
    assert body["status"] == "processing"
    assert re.fullmatch(r"[A-Z2-9]{10}", body["lookup_key"])
    assert body["received_at"].endswith("+07:00") and body["due_at"].endswith("+07:00")
    assert [task["step"]["name"] for task in body["open_tasks"]] == ["Thẩm định"]
    assert body["open_tasks"][0]["agency"]["code"] == "000.00.31.H57"
    dossier = Dossier.objects.get(code=body["code"])
    assert dossier.lookup_key_hash != body["lookup_key"]  # only the hash is stored
    assert DossierEvent.objects.filter(dossier=dossier, action="registered").count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"procedure": "9.999999"}, "procedure"),
        ({"channel": "fax"}, "channel"),
        ({"applicant": {"name": "A", "id_number": "123", "phone": "0905123456"}}, "applicant.id_number"),
        ({"applicant": {"name": "A", "id_number": "079190001234", "phone": "12ab"}}, "applicant.phone"),
        ({"applicant": {"id_number": "079190001234", "phone": "0905123456"}}, "applicant.name"),
        ({"received_at": "2999-01-01T08:00:00+07:00"}, "received_at"),
        ({"received_at": "not a date"}, "received_at"),
        ({"documents": [{"name": "Tờ khai", "kind": "photo"}]}, "documents[0].kind"),
    ],
)
def test_invalid_registration_is_a_400_naming_the_field_and_writes_nothing(
    staff, as_user, procedure, change, field
):
    response = as_user(staff[(0, "reception")]).post(
        "/api/v1/dossiers/", registration("1.001234", **change), format="json"
    )
    assert response.status_code == 400, response.json()
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"], error
    assert (
        not Dossier.objects.exists()
        and not DossierEvent.objects.exists()
        and not DossierTask.objects.exists()
    )


def test_only_reception_of_the_receiving_agency_may_register(staff, as_user, procedure):
    for user in (staff[(0, "specialist")], staff[(1, "reception")]):
        response = as_user(user).post("/api/v1/dossiers/", registration("1.001234"), format="json")
        assert response.status_code == 403, response.json()
        assert response.json()["error"]["code"] == "permission_denied"
    assert as_user(None).post("/api/v1/dossiers/", registration("1.001234"), format="json").status_code == 401
    assert not Dossier.objects.exists()


def test_a_refusal_at_intake_is_recorded_with_its_reasons(staff, as_user, procedure):
    client = as_user(staff[(0, "reception")])
    response = client.post(
        "/api/v1/dossiers/refusals/", registration("1.001234", reasons=["Thiếu tờ khai."]), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "rejected" and body["reasons"] == ["Thiếu tờ khai."]
    assert "lookup_key" not in body
    missing = client.post("/api/v1/dossiers/refusals/", registration("1.001234"), format="json")
    assert missing.status_code == 400 and "reasons" in missing.json()["error"]["fields"]
    assert Dossier.objects.count() == 1


def test_malformed_json_is_a_400_not_a_500(staff, as_user, procedure):
    response = as_user(staff[(0, "reception")]).post(
        "/api/v1/dossiers/", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"
