"""The audit trail (``workflows.DossierEvent``) as an event log for process-mining tools.

Two formats, both streamed (a generator of text chunks, for ``StreamingHttpResponse``):

* **XES** (IEEE 1849): one ``<trace>`` per dossier (``concept:name`` = the dossier code), one
  ``<event>`` per audit row;
* **OCEL 2.0 JSON**: object types ``dossier`` and ``agency``; each event relates to its dossier
  (qualifier ``case``) and, when it has one, its agency (``agency``).

Per event: the activity (``concept:name``) = the step's name and the decision or action
(``"Thẩm định: Đồng ý, chuyển tiếp"``), or the action alone for events outside a step
(``"Tiếp nhận hồ sơ"``); the timestamp; the agency code (``org:group``); the resource as a ROLE
(``org:resource`` = ``org:role`` = ``specialist``…), never a person. No personal data: no applicant
field, no user name, no free-text note or reason (they may quote people) is read at all.

The rows are the events of the dossiers received in the period (whole traces), optionally of one
procedure: one query over the ``event_dossier_at`` index (dossier, at), read with a server-side
cursor in chunks, so memory stays flat whatever the period.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from django.db.models import QuerySet
from django.utils import timezone

from core.roles import Role
from workflows.models import Dossier, DossierEvent, EventAction

from .periods import Period

CHUNK = 2000

# Who acts on the events that have no task (the task's own role is used when there is one).
ACTION_ROLES = {
    EventAction.REGISTERED: Role.RECEPTION,
    EventAction.REFUSED_AT_INTAKE: Role.RECEPTION,
    EventAction.SUPPLEMENT_RECEIVED: Role.RECEPTION,
    EventAction.WITHDRAWN: Role.RECEPTION,
    EventAction.RESULT_RETURNED: Role.RECEPTION,
    EventAction.EXTENDED: Role.HEAD,
    EventAction.RATED: "applicant",
}

_FIELDS = (
    "dossier_id",
    "dossier__code",
    "dossier__procedure__code",
    "dossier__version__number",
    "dossier__version_id",
    "dossier__status",
    "id",
    "action",
    "at",
    "step_id",
    "step__name",
    "step__stage",
    "agency__code",
    "task__role",
    "to_status",
)
# Positions in _FIELDS whose NULL stays None (the others become "").
_NULLABLE = {_FIELDS.index(name) for name in ("dossier__version__number", "step_id", "step__stage")}


@dataclass(frozen=True, slots=True)
class LogEvent:
    dossier_id: int
    case: str  # the dossier code
    procedure: str
    version: int | None
    version_id: int
    status: str  # the dossier's status now
    id: int
    action: str
    at: dt.datetime
    step_id: int | None
    step: str
    stage: int | None
    agency: str
    task_role: str
    to_status: str
    activity: str = ""  # the step and the decision or action, in the active language
    role: str = ""  # the role that acted: the task's, else the action's usual one


def activity_of(step: str, label: str) -> str:
    return f"{step}: {label}" if step else label


def log_dossiers(*, period: Period, procedure: str = "") -> QuerySet:
    """The dossiers whose traces are exported: received in the period (``dossier_received`` or
    ``dossier_procedure_received`` index), of one procedure when given."""
    qs = Dossier.objects.order_by().filter(received_at__gte=period.start, received_at__lt=period.end)
    return qs.filter(procedure__code=procedure) if procedure else qs


def log_events(*, period: Period, procedure: str = "") -> Iterator[LogEvent]:
    """The events of those dossiers, ordered by dossier then time: one streamed query."""
    rows = (
        DossierEvent.objects.filter(dossier__in=log_dossiers(period=period, procedure=procedure).values("pk"))
        .order_by("dossier_id", "at", "id")
        .values_list(*_FIELDS)
    )
    labels = {value: str(label) for value, label in EventAction.choices}  # translated once
    roles = {str(action): str(role) for action, role in ACTION_ROLES.items()}
    action_at, step_at, role_at = (
        _FIELDS.index("action"),
        _FIELDS.index("step__name"),
        _FIELDS.index("task__role"),
    )
    for row in rows.iterator(chunk_size=CHUNK):
        values = [value if value is not None or i in _NULLABLE else "" for i, value in enumerate(row)]
        action = values[action_at]
        activity = activity_of(values[step_at], labels.get(action, action))
        yield LogEvent(*values, activity=activity, role=values[role_at] or roles.get(action, ""))


def _time(at: dt.datetime, tz=None) -> str:
    return at.astimezone(tz or timezone.get_default_timezone()).isoformat(timespec="milliseconds")


def _attr(kind: str, key: str, value) -> str:
    return f"<{kind} key={quoteattr(key)} value={quoteattr(str(value))}/>"


XES_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1.0" xmlns="http://www.xes-standard.org/">
<extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
<extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>
<extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>
<extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>
<global scope="trace"><string key="concept:name" value=""/></global>
<global scope="event"><string key="concept:name" value=""/><date key="time:timestamp" \
value="1970-01-01T00:00:00.000+00:00"/></global>
<classifier name="Activity" keys="concept:name"/>
<string key="concept:name" value="onestop"/>
"""


def _xes_event(event: LogEvent) -> str:
    parts = [
        _attr("string", "concept:name", event.activity),
        _attr("date", "time:timestamp", _time(event.at)),
        _attr("string", "lifecycle:transition", "complete"),
        _attr("string", "onestop:action", event.action),
        _attr("string", "onestop:status", event.to_status),
    ]
    if event.role:
        parts += [_attr("string", "org:resource", event.role), _attr("string", "org:role", event.role)]
    if event.agency:
        parts.append(_attr("string", "org:group", event.agency))
    if event.stage is not None:
        parts.append(_attr("int", "onestop:stage", event.stage))
    return "<event>" + "".join(parts) + "</event>\n"


def _xes_trace_head(event: LogEvent) -> str:
    return (
        "<trace>"
        + _attr("string", "concept:name", event.case)
        + _attr("string", "onestop:procedure", event.procedure)
        + (_attr("int", "onestop:version", event.version) if event.version is not None else "")
        + "\n"
    )


def xes_chunks(events: Iterable[LogEvent]) -> Iterator[str]:
    """XES text in chunks of about a trace each; ``events`` ordered by dossier."""
    yield XES_HEAD
    current = None
    for event in events:
        if event.dossier_id != current:
            if current is not None:
                yield "</trace>\n"
            current = event.dossier_id
            yield _xes_trace_head(event)
        yield _xes_event(event)
    if current is not None:
        yield "</trace>\n"
    yield "</log>\n"


_EPOCH = "1970-01-01T00:00:00Z"
OCEL_EVENT_ATTRIBUTES = ("action", "role", "status", "stage")


def _ocel_event(event: LogEvent) -> dict:
    attributes = [
        {"name": "action", "value": event.action},
        {"name": "role", "value": event.role},
        {"name": "status", "value": event.to_status},
    ]
    if event.stage is not None:
        attributes.append({"name": "stage", "value": event.stage})
    relationships = [{"objectId": f"dossier:{event.case}", "qualifier": "case"}]
    if event.agency:
        relationships.append({"objectId": f"agency:{event.agency}", "qualifier": "agency"})
    return {
        "id": f"e{event.id}",
        "type": event.activity,
        "time": _time(event.at),
        "attributes": attributes,
        "relationships": relationships,
    }


def _ocel_dossier(event: LogEvent) -> dict:
    return {
        "id": f"dossier:{event.case}",
        "type": "dossier",
        "attributes": [
            {"name": "procedure", "time": _EPOCH, "value": event.procedure},
            {"name": "version", "time": _EPOCH, "value": event.version},
        ],
        "relationships": [],
    }


def ocel_chunks(events: Iterable[LogEvent]) -> Iterator[str]:
    """OCEL 2.0 JSON in chunks: the events first, then the objects and the types (collected on
    the way: the activities, dossiers and agencies seen). JSON readers ignore key order."""
    activities: dict[str, None] = {}
    dossiers: list[str] = []
    agencies: dict[str, None] = {}
    yield '{"events": ['
    first, current = True, None
    for event in events:
        activities.setdefault(event.activity)
        if event.agency:
            agencies.setdefault(event.agency)
        if event.dossier_id != current:
            current = event.dossier_id
            dossiers.append(json.dumps(_ocel_dossier(event), ensure_ascii=False))
        yield ("" if first else ",\n") + json.dumps(_ocel_event(event), ensure_ascii=False)
        first = False
    yield '],\n"objects": ['
    agency_objects = [
        json.dumps({"id": f"agency:{code}", "type": "agency", "attributes": [], "relationships": []})
        for code in agencies
    ]
    yield ",\n".join(dossiers + agency_objects)
    event_types = [
        {
            "name": name,
            "attributes": [
                {"name": attr, "type": "integer" if attr == "stage" else "string"}
                for attr in OCEL_EVENT_ATTRIBUTES
            ],
        }
        for name in activities
    ]
    object_types = [
        {
            "name": "dossier",
            "attributes": [{"name": "procedure", "type": "string"}, {"name": "version", "type": "integer"}],
        },
        {"name": "agency", "attributes": []},
    ]
    yield '],\n"eventTypes": ' + json.dumps(event_types, ensure_ascii=False)
    yield ',\n"objectTypes": ' + json.dumps(object_types) + "}\n"
