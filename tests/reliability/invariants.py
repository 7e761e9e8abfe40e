"""The invariants the load test checks afterwards, each read straight from the rows (SQL through
the ORM), each returning the list of its violations (empty when it holds)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from django.db.models import Count

from notifications.models import Notification
from notifications.receivers import citizen_kind
from workflows.models import (
    Dossier,
    DossierEvent,
    DossierExtension,
    DossierPause,
    DossierSequence,
    DossierTask,
)

FINISHED = ("result_ready", "returned", "withdrawn", "rejected")
DECISIONS = ("approved", "sent_back", "supplement_requested", "refused")
CODE = re.compile(r"^(?P<agency>.+)-(?P<day>\d{6})-(?P<number>\d{4,})$")


def state_matches_tasks() -> list[str]:
    """Exactly one state per dossier, consistent with its tasks and pauses."""
    problems = []
    open_tasks = Counter(DossierTask.objects.filter(status="open").values_list("dossier_id", flat=True))
    open_pauses = Counter(DossierPause.objects.filter(ended_at=None).values_list("dossier_id", flat=True))
    stages = defaultdict(set)
    for dossier_id, stage in DossierTask.objects.filter(status="open").values_list("dossier_id", "stage"):
        stages[dossier_id].add(stage)
    for d in Dossier.objects.values(
        "id", "code", "status", "current_stage", "result", "finished_at", "returned_at", "withdrawn_at"
    ):
        tasks, pauses = open_tasks[d["id"]], open_pauses[d["id"]]
        wrong = []
        if d["status"] == "processing":
            wrong += ["no open task"] * (tasks == 0) + ["open pause"] * (pauses > 0)
            if stages[d["id"]] - {d["current_stage"]}:
                wrong.append(f"open tasks at stages {sorted(stages[d['id']])} not {d['current_stage']}")
        elif d["status"] == "waiting_supplement":
            wrong += ["open task while paused"] * (tasks > 0) + [f"{pauses} open pauses"] * (pauses != 1)
        elif d["status"] in FINISHED:
            wrong += [f"{tasks} open tasks when finished"] * (tasks > 0) + ["open pause"] * (pauses > 0)
            if d["status"] in ("result_ready", "returned") and not (d["result"] and d["finished_at"]):
                wrong.append("no result or finish time")
            if d["status"] == "returned" and d["returned_at"] is None:
                wrong.append("returned without returned_at")
            if d["status"] == "withdrawn" and d["withdrawn_at"] is None:
                wrong.append("withdrawn without withdrawn_at")
        else:
            wrong.append("unknown status")
        problems += [f"{d['code']} ({d['status']}): {w}" for w in wrong]
    return problems


def no_stage_ended_twice() -> list[str]:
    """Each task is decided at most once (a done task exactly once, an open or cancelled one never),
    and a dossier never has two open tasks of the same step."""
    problems = []
    decided = Counter(
        DossierEvent.objects.filter(action__in=DECISIONS, task__isnull=False).values_list(
            "task_id", flat=True
        )
    )
    for task_id, status in DossierTask.objects.values_list("id", "status"):
        expected = 1 if status == "done" else 0
        if decided[task_id] != expected:
            problems.append(f"task {task_id} ({status}) decided {decided[task_id]} times")
    doubled = (
        DossierTask.objects.filter(status="open")
        .values("dossier_id", "step_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    problems += [
        f"dossier {row['dossier_id']}: {row['n']} open tasks of step {row['step_id']}" for row in doubled
    ]
    return problems


def codes_consecutive() -> list[str]:
    """Codes unique, and numbered 1, 2, … without a gap per agency and day; the sequence row agrees."""
    problems = []
    numbers = defaultdict(list)
    for code in Dossier.objects.values_list("code", flat=True):
        match = CODE.match(code)
        if not match:
            problems.append(f"malformed code {code}")
            continue
        numbers[(match["agency"], match["day"])].append(int(match["number"]))
    last = {
        (agency, day.strftime("%y%m%d")): value
        for agency, day, value in DossierSequence.objects.values_list("agency__code", "day", "last")
    }
    for key, values in numbers.items():
        if sorted(values) != list(range(1, len(values) + 1)):
            problems.append(f"{key}: numbers not 1..{len(values)} (duplicates or gaps)")
        if last.get(key) != len(values):
            problems.append(f"{key}: sequence says {last.get(key)}, {len(values)} codes")
    return problems


def trail_replays() -> list[str]:
    """Replaying each dossier's events (in order) from nothing ends in its status: every event
    starts where the previous one ended; supplements and extensions match their rows."""
    problems = []
    events = defaultdict(list)
    for row in DossierEvent.objects.order_by("dossier_id", "at", "id").values(
        "dossier_id", "action", "from_status", "to_status"
    ):
        events[row["dossier_id"]].append(row)
    pauses = Counter(DossierPause.objects.values_list("dossier_id", flat=True))
    extensions = set(DossierExtension.objects.values_list("dossier_id", flat=True))
    for d in Dossier.objects.values("id", "code", "status", "extended"):
        trail, state = events[d["id"]], ""
        for event in trail:
            if event["from_status"] != state:
                problems.append(
                    f"{d['code']}: {event['action']} from {event['from_status']!r}, was {state!r}"
                )
            state = event["to_status"]
        if state != d["status"]:
            problems.append(f"{d['code']}: trail ends in {state!r}, dossier is {d['status']!r}")
        asked = sum(e["action"] == "supplement_requested" for e in trail)
        if asked != pauses[d["id"]]:
            problems.append(f"{d['code']}: {asked} supplement requests, {pauses[d['id']]} pauses")
        extended = sum(e["action"] == "extended" for e in trail)
        if extended != int(d["id"] in extensions) or extended != int(d["extended"]):
            problems.append(f"{d['code']}: {extended} extension events, row {d['id'] in extensions}")
    return problems


def notifications_once() -> list[str]:
    """Each event the applicant is told about wrote one row per address, and nothing else was written."""
    expected = Counter()
    addresses = {
        d["id"]: [a for a in (d["applicant_email"], d["applicant_phone"]) if a.strip()]
        for d in Dossier.objects.values("id", "applicant_email", "applicant_phone")
    }
    for dossier_id, action, to_status in DossierEvent.objects.values_list(
        "dossier_id", "action", "to_status"
    ):
        kind = citizen_kind(action=action, to_status=to_status)
        if kind is not None:
            expected[(dossier_id, kind)] += len(addresses[dossier_id])
    written = Counter(
        Notification.objects.filter(dossier__isnull=False, recipient__isnull=True).values_list(
            "dossier_id", "kind"
        )
    )
    return [
        f"dossier {key[0]} {key[1]}: {written[key]} rows, {expected[key]} due"
        for key in set(expected) | set(written)
        if written[key] != expected[key]
    ]


def report_matches_rows(totals: dict) -> list[str]:
    """The II.06a totals row (over a period holding every dossier) against counts of the rows."""
    live = Dossier.objects.exclude(status="rejected")
    direct = {
        "received_online": live.filter(channel="online").count(),
        "received_direct": live.exclude(channel="online").count(),
        "carried_over": 0,
        "resolved_total": live.filter(finished_at__isnull=False).exclude(result="").count(),
        "resolved_refused": live.filter(result="refused").count(),
        "resolved_early": live.filter(verdict="early").count(),
        "resolved_on_time": live.filter(verdict="on_time").count(),
        "resolved_late": live.filter(verdict="late").count(),
        "withdrawn": live.filter(status="withdrawn").count(),
        "in_progress_total": live.filter(status__in=("processing", "waiting_supplement")).count(),
        "waiting_supplement": live.filter(status="waiting_supplement").count(),
        "rejected": Dossier.objects.filter(status="rejected").count(),
        "late_with_apology": live.filter(verdict="late", extended=True).count(),
    }
    direct["received_total"] = direct["received_online"] + direct["received_direct"]
    flows = direct["resolved_total"] + direct["withdrawn"] + direct["in_progress_total"]
    problems = [
        f"{key}: report {totals.get(key)}, rows {value}"
        for key, value in direct.items()
        if totals.get(key) != value
    ]
    if flows != direct["received_total"]:
        problems.append(f"received {direct['received_total']} != resolved+withdrawn+in progress {flows}")
    return problems


def check_all(report_totals: dict) -> dict[str, list[str]]:
    return {
        "state matches tasks": state_matches_tasks(),
        "no stage ended twice": no_stage_ended_twice(),
        "codes unique and consecutive": codes_consecutive(),
        "audit trail replays": trail_replays(),
        "notifications written once": notifications_once(),
        "II.06a equals the rows": report_matches_rows(report_totals),
    }
