import datetime as dt

import pytest

from workflows.models import Dossier, DossierEvent, DossierTask

from .conftest import registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(staff, as_user, procedure):
    body = (
        as_user(staff[(0, "reception")])
        .post("/api/v1/dossiers/", registration("1.001234"), format="json")
        .json()
    )
    return body


def _complete(client, task_id, decision="approve", **extra):
    return client.post(f"/api/v1/tasks/{task_id}/complete/", {"decision": decision, **extra}, format="json")


def test_a_dossier_walks_through_three_agencies_steps_and_is_returned(staff, as_user, registered):
    code = registered["code"]
    own_specialist, other_specialist = as_user(staff[(0, "specialist")]), as_user(staff[(1, "specialist")])
    head = as_user(staff[(0, "head")])

    inbox = own_specialist.get("/api/v1/tasks/").json()
    assert inbox["count"] == 1 and inbox["results"][0]["dossier"] == code
    assert inbox["results"][0]["overdue"] is False
    task_id = inbox["results"][0]["id"]
    assert other_specialist.get("/api/v1/tasks/").json()["count"] == 0  # not their agency's step yet

    claimed = own_specialist.post(f"/api/v1/tasks/{task_id}/claim/")
    assert claimed.status_code == 200 and claimed.json()["owner"] == "specialist0"
    assert own_specialist.get("/api/v1/tasks/?assigned=me").json()["count"] == 1
    assert _complete(own_specialist, task_id, note="Đủ điều kiện.").status_code == 200

    consult = other_specialist.get(f"/api/v1/tasks/?dossier={code}").json()["results"]
    assert [t["step"]["name"] for t in consult] == ["Lấy ý kiến Sở Xây dựng"]
    assert _complete(other_specialist, consult[0]["id"]).status_code == 200

    approval = head.get("/api/v1/tasks/").json()["results"]
    assert [t["step"]["name"] for t in approval] == ["Phê duyệt"]
    assert _complete(head, approval[0]["id"]).status_code == 200

    detail = as_user(staff[(0, "reception")]).get(f"/api/v1/dossiers/{code}/").json()
    assert detail["status"] == "result_ready" and detail["result"] == "approved"
    assert detail["verdict"] in {"early", "on_time"}
    assert [t["status"] for t in detail["tasks"]] == ["done", "done", "done"]

    returned = as_user(staff[(0, "reception")]).post(f"/api/v1/dossiers/{code}/return-result/")
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    actions = [event["action"] for event in returned.json()["events"]]
    assert actions == ["registered", "claimed", "approved", "approved", "approved", "result_returned"]


def test_staff_of_another_agency_cannot_act_on_a_task_and_nothing_changes(staff, as_user, registered):
    task_id = registered["open_tasks"][0]["id"]
    before = list(DossierEvent.objects.values_list("id", flat=True))
    for user in (staff[(1, "specialist")], staff[(0, "reception")]):
        client = as_user(user)
        assert client.post(f"/api/v1/tasks/{task_id}/claim/").status_code == 403
        assert _complete(client, task_id).status_code == 403
    task = DossierTask.objects.get(pk=task_id)
    assert task.status == "open" and task.owner_id is None
    assert list(DossierEvent.objects.values_list("id", flat=True)) == before


def test_completing_a_task_twice_is_a_conflict(staff, as_user, registered):
    client = as_user(staff[(0, "specialist")])
    task_id = registered["open_tasks"][0]["id"]
    assert _complete(client, task_id).status_code == 200
    again = _complete(client, task_id)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_completed"
    assert DossierTask.objects.filter(dossier__code=registered["code"], status="open").count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"decision": "maybe"}, "decision"),
        ({"decision": "request_supplement"}, "missing_documents"),
        ({"decision": "refuse"}, "reasons"),
        ({"decision": "send_back", "note": "Sai."}, "decision"),  # the first stage has nothing before it
    ],
)
def test_invalid_decisions_are_400_and_change_nothing(staff, as_user, registered, payload, field):
    task_id = registered["open_tasks"][0]["id"]
    response = as_user(staff[(0, "specialist")]).post(
        f"/api/v1/tasks/{task_id}/complete/", payload, format="json"
    )
    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["fields"]
    assert DossierTask.objects.get(pk=task_id).status == "open"


def test_unknown_task_and_dossier_are_404(staff, as_user, registered):
    client = as_user(staff[(0, "specialist")])
    assert client.post("/api/v1/tasks/999999/claim/").status_code == 404
    for action in ("claim", "release"):  # an id no column holds (2**63: the fuzzer found a 500)
        assert client.post(f"/api/v1/tasks/{2**63}/{action}/", {}, format="json").status_code == 404
    assert client.get("/api/v1/dossiers/000.00.31.H57-000101-0001/").status_code == 404
    assert as_user(staff[(0, "reception")]).post("/api/v1/dossiers/NOPE/withdraw/").status_code == 404


def test_supplement_request_and_return_resume_processing(staff, as_user, registered):
    code, task_id = registered["code"], registered["open_tasks"][0]["id"]
    asked = _complete(
        as_user(staff[(0, "specialist")]),
        task_id,
        decision="request_supplement",
        missing_documents=[{"name": "Giấy chứng sinh", "kind": "copy", "count": 1}],
    )
    assert asked.status_code == 200
    reception = as_user(staff[(0, "reception")])
    assert reception.get(f"/api/v1/dossiers/{code}/").json()["status"] == "waiting_supplement"
    empty = reception.post(f"/api/v1/dossiers/{code}/supplement/", {"documents": []}, format="json")
    assert empty.status_code == 400
    back = reception.post(
        f"/api/v1/dossiers/{code}/supplement/", {"documents": [{"name": "Giấy chứng sinh"}]}, format="json"
    )
    assert back.status_code == 200, back.json()
    body = back.json()
    assert body["status"] == "processing"
    assert [t["status"] for t in body["tasks"]] == ["done", "open"]
    assert body["pauses"][0]["ended_at"] is not None


def test_extension_once_by_a_head_and_withdrawal_by_reception(staff, as_user, registered):
    code = registered["code"]
    # Two calendar days after the appointment: well within the legal 10 working days after it.
    due = dt.datetime.fromisoformat(registered["due_at"])
    new_due = (due + dt.timedelta(days=2)).isoformat()
    too_far = (due + dt.timedelta(days=60)).isoformat()
    assert (
        as_user(staff[(0, "specialist")])
        .post(
            f"/api/v1/dossiers/{code}/extend/",
            {"new_due_at": new_due, "reason": "Chờ xác minh."},
            format="json",
        )
        .status_code
        == 403
    )
    head = as_user(staff[(0, "head")])
    rejected = head.post(f"/api/v1/dossiers/{code}/extend/", {"new_due_at": too_far, "reason": "Xa."})
    assert rejected.status_code == 400 and "new_due_at" in rejected.json()["error"]["fields"]
    first = head.post(f"/api/v1/dossiers/{code}/extend/", {"new_due_at": new_due, "reason": "Chờ xác minh."})
    assert first.status_code == 200, first.json()
    assert first.json()["extended"] is True and first.json()["due_at"] == new_due
    second = head.post(f"/api/v1/dossiers/{code}/extend/", {"new_due_at": new_due, "reason": "Lần hai."})
    assert second.status_code == 409 and second.json()["error"]["code"] == "already_extended"
    assert head.post(f"/api/v1/dossiers/{code}/extend/", {"reason": "x"}).status_code == 400

    withdrawn = as_user(staff[(0, "reception")]).post(
        f"/api/v1/dossiers/{code}/withdraw/", {"reason": "Rút."}
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert all(task["status"] == "cancelled" for task in withdrawn.json()["tasks"])
    again = as_user(staff[(0, "reception")]).post(f"/api/v1/dossiers/{code}/withdraw/")
    assert again.status_code == 409


def test_supervisor_reassigns_to_an_officer_of_the_tasks_agency(staff, as_user, registered):
    task_id = registered["open_tasks"][0]["id"]
    supervisor = as_user(staff["supervisor"])
    unknown = supervisor.post(f"/api/v1/tasks/{task_id}/reassign/", {"to_user": "ghost"})
    assert unknown.status_code == 400 and "to_user" in unknown.json()["error"]["fields"]
    wrong_agency = supervisor.post(f"/api/v1/tasks/{task_id}/reassign/", {"to_user": "specialist1"})
    assert wrong_agency.status_code == 400
    done = supervisor.post(f"/api/v1/tasks/{task_id}/reassign/", {"to_user": "specialist0"})
    assert done.status_code == 200 and done.json()["owner"] == "specialist0"
    not_supervisor = as_user(staff[(0, "head")]).post(
        f"/api/v1/tasks/{task_id}/reassign/", {"to_user": "head0"}
    )
    assert not_supervisor.status_code == 403
    released = as_user(staff[(0, "specialist")]).post(f"/api/v1/tasks/{task_id}/release/")
    assert released.status_code == 200 and released.json()["owner"] is None


def test_dossier_list_filters_and_agency_scope(staff, as_user, registered, procedure):
    reception = as_user(staff[(0, "reception")])
    reception.post("/api/v1/dossiers/refusals/", registration("1.001234", reasons=["Thiếu."]), format="json")
    everything = reception.get("/api/v1/dossiers/").json()
    assert everything["count"] == 2
    assert reception.get("/api/v1/dossiers/?status=rejected").json()["count"] == 1
    assert reception.get("/api/v1/dossiers/?search=Trần Thị").json()["count"] == 2
    assert reception.get(f"/api/v1/dossiers/?search={registered['code']}").json()["count"] == 1
    assert reception.get("/api/v1/dossiers/?overdue=true").json()["count"] == 0
    assert reception.get("/api/v1/dossiers/?agency=000.00.31.H57&procedure=1.001234").json()["count"] == 2
    assert (
        reception.get("/api/v1/dossiers/?received_from=2000-01-01&received_to=2000-01-02").json()["count"]
        == 0
    )
    # Agency 1 has no task on these dossiers yet: its staff see none of them, nor their details.
    other = as_user(staff[(1, "specialist")])
    assert other.get("/api/v1/dossiers/").json()["count"] == 0
    assert other.get(f"/api/v1/dossiers/{registered['code']}/").status_code == 403
    assert as_user(staff["supervisor"]).get("/api/v1/dossiers/").json()["count"] == 2


@pytest.mark.parametrize(
    "query",
    [
        "status=lost",
        "overdue=perhaps",
        "received_from=2026-13-01",
        "received_from=2026-02-02&received_to=2026-02-01",
        "agency=999.99.99.X99",
    ],
)
def test_bad_list_filters_are_400(staff, as_user, registered, query):
    response = as_user(staff[(0, "reception")]).get(f"/api/v1/dossiers/?{query}")
    assert response.status_code == 400, response.json()
    assert response.json()["error"]["fields"]


def test_lists_use_a_constant_number_of_queries(staff, as_user, procedure):
    reception = as_user(staff[(0, "reception")])
    specialist = as_user(staff[(0, "specialist")])

    def counts():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        result = []
        for client, url in ((reception, "/api/v1/dossiers/"), (specialist, "/api/v1/tasks/")):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            result.append(len(ctx.captured_queries))
        return result

    reception.post("/api/v1/dossiers/", registration("1.001234"), format="json")
    few = counts()
    for _ in range(5):
        reception.post("/api/v1/dossiers/", registration("1.001234"), format="json")
    assert counts() == few
    assert Dossier.objects.count() == 6
