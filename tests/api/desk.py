"""One pass over the desk's endpoints (issue 10 #2): what must keep working while Redis is down."""

from rest_framework.test import APIClient

from .conftest import registration


def walk_the_desk(staff, as_user) -> dict[str, int]:
    """Register, claim and complete the first task, then the citizen, catalog, due-date and login
    endpoints; the status code of each step. The receipt is in ``walk_the_desk.receipt``."""
    reception, specialist = as_user(staff[(0, "reception")]), as_user(staff[(0, "specialist")])
    anonymous = APIClient()
    statuses = {}
    registered = reception.post("/api/v1/dossiers/", registration("1.001234"), format="json")
    statuses["register"] = registered.status_code
    if registered.status_code != 201:
        return statuses
    receipt = registered.json()
    task_id = receipt["open_tasks"][0]["id"]
    statuses["claim"] = specialist.post(f"/api/v1/tasks/{task_id}/claim/").status_code
    statuses["complete"] = specialist.post(
        f"/api/v1/tasks/{task_id}/complete/", {"decision": "approve"}, format="json"
    ).status_code
    statuses["lookup"] = anonymous.get(
        f"/api/v1/public/dossiers/{receipt['code']}/", {"key": receipt["lookup_key"]}
    ).status_code
    statuses["catalog"] = anonymous.get("/api/v1/procedures/").status_code
    statuses["due_date"] = anonymous.get(
        "/api/v1/calendar/due-date/", {"start": "2026-03-02T09:00:00+07:00", "procedure": "1.001234"}
    ).status_code
    statuses["token"] = anonymous.post(
        "/api/v1/auth/token/", {"username": "reception0", "password": "x"}, format="json"
    ).status_code
    return statuses
