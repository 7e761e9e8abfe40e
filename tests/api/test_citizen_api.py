import json

import pytest
from rest_framework.test import APIClient

from workflows.models import DossierRating

from .conftest import APPLICANT, registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def receipt(staff, as_user, procedure):
    return (
        as_user(staff[(0, "reception")])
        .post("/api/v1/dossiers/", registration("1.001234"), format="json")
        .json()
    )


def _finish_and_return(staff, as_user, code):
    for user in (staff[(0, "specialist")], staff[(1, "specialist")], staff[(0, "head")]):
        client = as_user(user)
        task = client.get(f"/api/v1/tasks/?dossier={code}").json()["results"][0]
        assert (
            client.post(f"/api/v1/tasks/{task['id']}/complete/", {"decision": "approve"}).status_code == 200
        )
    assert as_user(staff[(0, "reception")]).post(f"/api/v1/dossiers/{code}/return-result/").status_code == 200


def test_the_citizen_sees_status_and_steps_but_no_personal_data(receipt, staff, as_user):
    client = APIClient()
    task_id = receipt["open_tasks"][0]["id"]
    as_user(staff[(0, "specialist")]).post(f"/api/v1/tasks/{task_id}/claim/")
    response = client.get(f"/api/v1/public/dossiers/{receipt['code']}/", {"key": receipt["lookup_key"]})
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == receipt["code"]
    assert body["procedure"]["code"] == "1.001234"
    assert body["status"] == "processing" and body["status_label"] == "Đang xử lý"
    assert [step["step"] for step in body["current_steps"]] == ["Thẩm định"]
    assert body["current_steps"][0]["agency"] == "Sở Tư pháp"
    text = json.dumps(body, ensure_ascii=False)
    for private in (
        APPLICANT["name"],
        APPLICANT["id_number"],
        APPLICANT["phone"],
        APPLICANT["email"],
        APPLICANT["address"],
        "specialist0",
        "reception0",
    ):
        assert private not in text
    # The key is typed from paper: case and surrounding spaces do not matter.
    lower = client.get(
        f"/api/v1/public/dossiers/{receipt['code']}/", {"key": f" {receipt['lookup_key'].lower()} "}
    )
    assert lower.status_code == 200


def test_a_wrong_key_and_an_unknown_code_get_the_same_404(receipt):
    client = APIClient()
    wrong_key = client.get(f"/api/v1/public/dossiers/{receipt['code']}/", {"key": "AAAAAAAAAA"})
    unknown = client.get("/api/v1/public/dossiers/000.00.31.H57-990101-0001/", {"key": receipt["lookup_key"]})
    assert wrong_key.status_code == unknown.status_code == 404
    assert wrong_key.json() == unknown.json()
    missing = client.get(f"/api/v1/public/dossiers/{receipt['code']}/")
    assert missing.status_code == 400 and "key" in missing.json()["error"]["fields"]


def test_a_refused_at_intake_dossier_cannot_be_looked_up_with_an_empty_key(staff, as_user, procedure):
    refused = (
        as_user(staff[(0, "reception")])
        .post("/api/v1/dossiers/refusals/", registration("1.001234", reasons=["Thiếu."]), format="json")
        .json()
    )
    blank = APIClient().get(f"/api/v1/public/dossiers/{refused['code']}/", {"key": " "})
    assert blank.status_code == 400
    # It has no key at all (nothing was printed for it): any key is a 404.
    guessed = APIClient().get(f"/api/v1/public/dossiers/{refused['code']}/", {"key": "AAAAAAAAAA"})
    assert guessed.status_code == 404


def test_rating_once_and_only_after_the_result_is_returned(receipt, staff, as_user):
    client = APIClient()
    url = f"/api/v1/public/dossiers/{receipt['code']}/rating/"
    early = client.post(url, {"key": receipt["lookup_key"], "score": 5}, format="json")
    assert early.status_code == 409
    _finish_and_return(staff, as_user, receipt["code"])
    assert client.post(url, {"key": receipt["lookup_key"], "score": 6}, format="json").status_code == 400
    assert client.post(url, {"key": "WRONGKEY22", "score": 5}, format="json").status_code == 404
    rated = client.post(url, {"key": receipt["lookup_key"], "score": 4, "comment": "Tốt."}, format="json")
    assert rated.status_code == 201 and rated.json()["score"] == 4
    twice = client.post(url, {"key": receipt["lookup_key"], "score": 1}, format="json")
    assert twice.status_code == 409
    assert list(DossierRating.objects.values_list("score", flat=True)) == [4]
    status = client.get(f"/api/v1/public/dossiers/{receipt['code']}/", {"key": receipt["lookup_key"]}).json()
    assert status["status"] == "returned" and status["rated"] is True
    assert len(status["history"]) == 3
    assert all(step["verdict"] in {"early", "on_time"} and step["finished_at"] for step in status["history"])


def test_public_endpoints_are_rate_limited_per_address(receipt, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"public": "3/minute"}}
    client = APIClient(REMOTE_ADDR="203.0.113.9")
    url = f"/api/v1/public/dossiers/{receipt['code']}/"
    codes = [client.get(url, {"key": receipt["lookup_key"]}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    blocked = client.get(url, {"key": receipt["lookup_key"]})
    assert int(blocked["Retry-After"]) > 0
    # Another address is not affected.
    assert APIClient(REMOTE_ADDR="203.0.113.10").get(url, {"key": receipt["lookup_key"]}).status_code == 200


def test_the_citizen_sees_a_supplement_pause_and_no_staff_note(receipt, staff, as_user):
    specialist = as_user(staff[(0, "specialist")])
    task_id = receipt["open_tasks"][0]["id"]
    response = specialist.post(
        f"/api/v1/tasks/{task_id}/complete/",
        {
            "decision": "request_supplement",
            "missing_documents": [{"name": "Bản sao sổ hộ khẩu", "kind": "copy"}],
            "note": "Ghi chú nội bộ của cán bộ",
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = (
        APIClient().get(f"/api/v1/public/dossiers/{receipt['code']}/", {"key": receipt["lookup_key"]}).json()
    )
    assert body["status"] == "waiting_supplement"
    assert [p["missing_documents"] for p in body["pauses"]] == [["Bản sao sổ hộ khẩu"]]
    assert body["pauses"][0]["ended_at"] is None
    assert body["extension"] is None
    assert "Ghi chú nội bộ" not in json.dumps(body, ensure_ascii=False)
