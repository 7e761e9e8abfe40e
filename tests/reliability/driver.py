"""The load driver: one worker process drives its share of dossiers through their whole life over
the HTTP API, with random valid decisions. Runs in a ``spawn``ed process (no Django, no database:
only HTTP), so it holds nothing of the test process; it returns what it did and saw."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field

import requests

APPLICANT = {
    "kind": "person",
    "name": "Nguyễn Thị Tải",
    "id_number": "079190001234",
    "phone": "0905123456",
    "email": "tai@example.vn",
    "address": "1 Lê Lợi, Huế",
}
DOCUMENTS = [{"name": "Tờ khai", "kind": "original", "count": 1}]
MAX_ACTIONS = 12  # after that many decisions a dossier is approved through: every life ends


@dataclass
class Tally:
    dossiers: int = 0
    transitions: int = 0
    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    decisions: Counter = field(default_factory=Counter)
    unexpected: list = field(default_factory=list)  # (method, path, status, body) not allowed by the driver


class Desk:
    """HTTP calls as the users whose tokens the test handed over (``tokens[(agency, role)]``)."""

    def __init__(self, base: str, tokens: dict, tally: Tally):
        self.base, self.tokens, self.tally = base, tokens, tally
        self.session = requests.Session()

    def call(self, method: str, path: str, who, body=None, ok=(200, 201), tolerated=(409,)):
        headers = {"Authorization": f"Token {self.tokens[who]}"}
        response = self.session.request(method, self.base + path, json=body, headers=headers, timeout=60)
        self.tally.requests += 1
        self.tally.statuses[response.status_code] += 1
        if response.status_code in ok:
            if method == "POST":
                self.tally.transitions += 1
            return response.json() if response.content else {}
        if response.status_code not in tolerated:
            self.tally.unexpected.append((method, path, response.status_code, response.text[:300]))
        return None


def _choose(rng: random.Random, dossier: dict, task: dict, actions: int, mode_counts: Counter) -> str:
    if actions >= MAX_ACTIONS:
        return "approve"
    roll = rng.random()
    if roll < 0.08 and dossier["current_stage"] > 1:
        return "send_back"
    if roll < 0.18:
        return "request_supplement"
    if roll < 0.22:
        return "refuse"
    return "approve"


def drive_one(desk: Desk, rng: random.Random, procedure: str, agencies: list[str]) -> None:
    own = agencies[0]
    created = desk.call(
        "POST",
        "/api/v1/dossiers/",
        (own, "reception"),
        {
            "procedure": procedure,
            "applicant": APPLICANT,
            "channel": rng.choice(["in_person", "online"]),
            "documents": DOCUMENTS,
        },
        tolerated=(),
    )
    if created is None:
        return
    desk.tally.dossiers += 1
    code = created["code"]
    actions = 0
    extended = False
    for _ in range(60):  # a bound on the loop, never reached with MAX_ACTIONS
        dossier = desk.call("GET", f"/api/v1/dossiers/{code}/", "supervisor", tolerated=())
        if dossier is None:
            return
        status = dossier["status"]
        if status == "result_ready":
            desk.call("POST", f"/api/v1/dossiers/{code}/return-result/", (own, "reception"), tolerated=())
            return
        if status in ("returned", "withdrawn", "rejected"):
            return
        if status == "waiting_supplement":
            desk.call(
                "POST",
                f"/api/v1/dossiers/{code}/supplement/",
                (own, "reception"),
                {"documents": DOCUMENTS},
                tolerated=(),
            )
            continue
        roll = rng.random()
        if roll < 0.03 and actions < MAX_ACTIONS:
            desk.tally.decisions["withdraw"] += 1
            desk.call("POST", f"/api/v1/dossiers/{code}/withdraw/", (own, "reception"), {"reason": "Rút"})
            continue
        if roll < 0.08 and not extended and dossier["due_at"]:
            extended = True
            due = dt.datetime.fromisoformat(dossier["due_at"])
            if (
                desk.call(
                    "POST",
                    f"/api/v1/dossiers/{code}/extend/",
                    (own, "head"),
                    {"new_due_at": (due + dt.timedelta(hours=1)).isoformat(), "reason": "Cần thêm thời gian"},
                )
                is not None
            ):
                desk.tally.decisions["extend"] += 1
            continue
        open_tasks = [task for task in dossier["tasks"] if task["status"] == "open"]
        if not open_tasks:
            desk.tally.unexpected.append(("STATE", code, status, "processing without an open task"))
            return
        task = rng.choice(open_tasks)
        who = (task["agency"]["code"], task["role"])
        if desk.call("POST", f"/api/v1/tasks/{task['id']}/claim/", who) is None:
            continue
        decision = _choose(rng, dossier, task, actions, desk.tally.decisions)
        body = {"decision": decision, "note": "Ý kiến"}
        if decision == "send_back":
            body["note"] = "Cần xem lại"
        elif decision == "request_supplement":
            body["missing_documents"] = [{"name": "Bản sao giấy tờ", "kind": "copy", "count": 1}]
        elif decision == "refuse":
            body["reasons"] = ["Không đủ điều kiện"]
        if desk.call("POST", f"/api/v1/tasks/{task['id']}/complete/", who, body) is not None:
            desk.tally.decisions[decision] += 1
            actions += 1


def run_worker(base: str, tokens: dict, jobs: list[tuple[str, list[str]]], seed: int) -> dict:
    """Drive every ``(procedure code, agencies)`` job in turn; the tally as plain data."""
    tally = Tally()
    desk = Desk(base, tokens, tally)
    rng = random.Random(seed)
    for procedure, agencies in jobs:
        drive_one(desk, rng, procedure, agencies)
    return {
        "dossiers": tally.dossiers,
        "transitions": tally.transitions,
        "requests": tally.requests,
        "statuses": dict(tally.statuses),
        "decisions": dict(tally.decisions),
        "unexpected": tally.unexpected[:50],
    }
