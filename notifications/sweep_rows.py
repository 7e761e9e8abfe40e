"""The notifications of one claimed batch as one ``INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING``.

The rows are what the sweep wrote in Python before (kept as the reference in
tests/notifications/reference_sweep.py and compared on random data): for each claimed row and each
recipient (``recipients.TARGETS_SQL``) an in-app row, sent at once, and an e-mail row, pending
delivery, if the user has an address and staff e-mail is on. ``dedupe_key`` and the payload are
built in SQL with the same text as Python's ``isoformat()`` of the UTC due time, so the unique
constraint still drops an event offered twice, whichever code wrote it first.

The same statement runs on PostgreSQL and SQLite (≥ 3.35 for RETURNING) except for three
expressions: the id list, the ISO time and the JSON object.
"""

from notifications.models import Notification, NotificationChannel, NotificationKind, NotificationStatus
from notifications.recipients import STAFF_SQL, TARGETS_SQL, role_params
from procedures.models import Agency, Step
from workflows.models import Dossier, DossierTask

_NOTIFICATION = Notification._meta.db_table
_TASK = DossierTask._meta.db_table
_DOSSIER = Dossier._meta.db_table
_STEP = Step._meta.db_table
_AGENCY = Agency._meta.db_table

COLUMNS = (
    "kind, channel, recipient_id, address, recipient_key, dossier_id, task_id, dedupe_key, payload,"
    " status, created_at, next_attempt_at, sent_at, attempts, last_error"
)


def ids_in(column: str, vendor: str) -> str:
    """``column`` is one of the ids of the parameter ``%(ids)s`` (see ``ids_param``)."""
    if vendor == "postgresql":
        return f"{column} = ANY(%(ids)s::bigint[])"
    return f"{column} IN (SELECT value FROM json_each(%(ids)s))"


def ids_param(ids: list[int], vendor: str):
    import json

    return list(ids) if vendor == "postgresql" else json.dumps(list(ids))


def iso_utc(column: str, vendor: str) -> str:
    """``column`` as Python's ``isoformat()`` of the aware UTC datetime Django reads back:
    ``2026-03-04T03:00:00+00:00``, with ``.ffffff`` only when there are microseconds."""
    if vendor == "postgresql":
        utc = f"({column} AT TIME ZONE 'UTC')"
        return (
            f"(to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN to_char({utc}, 'US') = '000000'"
            f" THEN '' ELSE '.' || to_char({utc}, 'US') END || '+00:00')"
        )
    # SQLite: Django stores UTC as str(naive datetime), which drops zero microseconds too.
    return f"(replace({column}, ' ', 'T') || '+00:00')"


def _json_object(pairs: list[tuple[str, str]], vendor: str) -> str:
    function = "jsonb_build_object" if vendor == "postgresql" else "json_object"
    arguments = ", ".join(f"'{key}', {value}" for key, value in pairs)
    return f"{function}({arguments})"


def _json_bool(column: str, vendor: str) -> str:
    if vendor == "postgresql":
        return column
    return f"CASE WHEN {column} THEN json('true') ELSE json('false') END"


def _claimed_sql(kind: str, vendor: str) -> str:
    """The CTE ``c``: the claimed rows with what the payload and the recipients need."""
    if kind.startswith("task"):
        return (
            f"SELECT t.id, t.dossier_id, t.agency_id, t.role, t.owner_id, t.due_at, d.code,"
            f" d.receiving_agency_id, s.name AS step_name, a.name AS agency_name"
            f" FROM {_TASK} t JOIN {_DOSSIER} d ON d.id = t.dossier_id"
            f" JOIN {_STEP} s ON s.id = t.step_id JOIN {_AGENCY} a ON a.id = t.agency_id"
            f" WHERE {ids_in('t.id', vendor)}"
        )
    return (
        f"SELECT d.id, d.code, d.receiving_agency_id, d.due_at, d.extended, d.applicant_name,"
        f" a.name AS agency_name FROM {_DOSSIER} d JOIN {_AGENCY} a ON a.id = d.receiving_agency_id"
        f" WHERE {ids_in('d.id', vendor)}"
    )


def _row_expressions(kind: str, vendor: str) -> dict[str, str]:
    due = iso_utc("c.due_at", vendor)
    if kind.startswith("task"):
        payload = [
            ("dossier_code", "c.code"),
            ("step_name", "c.step_name"),
            ("agency_name", "c.agency_name"),
            ("due_at", due),
        ]
        return {
            "kind": "%(kind)s",
            "dossier_id": "c.dossier_id",
            "task_id": "c.id",
            "dedupe_key": f"'task:' || c.id || ':' || {due}",
            "payload": _json_object(payload, vendor),
        }
    payload = [
        ("dossier_code", "c.code"),
        ("agency_name", "c.agency_name"),
        ("applicant_name", "c.applicant_name"),
        ("due_at", due),
        ("extended", _json_bool("c.extended", vendor)),
    ]
    # An extended dossier cannot be rescheduled again: warn, do not prompt for an apology.
    row_kind = "CASE WHEN c.extended THEN %(kind)s ELSE %(prompt)s END"
    if kind == "dossier_overdue":
        row_kind = "%(kind)s"
    return {
        "kind": row_kind,
        "dossier_id": "c.id",
        "task_id": "NULL",
        "dedupe_key": f"'dossier:' || c.id || ':' || {due}",
        "payload": _json_object(payload, vendor),
    }


def insert_sql(kind: str, vendor: str, *, email: bool) -> str:
    """The INSERT for one batch of ``kind``; RETURNING ``id, channel, target id`` of new rows only."""
    e = _row_expressions(kind, vendor)
    channels = "SELECT %(in_app)s AS channel" + (" UNION ALL SELECT %(email)s" if email else "")
    in_app = "ch.channel = %(in_app)s"
    target = "task_id" if kind.startswith("task") else "dossier_id"
    return (
        f"WITH c AS ({_claimed_sql(kind, vendor)}), staff AS ({STAFF_SQL})"
        f" INSERT INTO {_NOTIFICATION} ({COLUMNS})"
        f" SELECT {e['kind']}, ch.channel, x.user_id, CASE WHEN {in_app} THEN '' ELSE x.email END,"
        f" 'user:' || x.user_id, {e['dossier_id']}, {e['task_id']}, {e['dedupe_key']}, {e['payload']},"
        f" CASE WHEN {in_app} THEN %(sent)s ELSE %(pending)s END, %(now)s,"
        f" CASE WHEN {in_app} THEN NULL ELSE %(now)s END, CASE WHEN {in_app} THEN %(now)s END, 0, ''"
        f" FROM ({TARGETS_SQL[kind]}) x JOIN c ON c.id = x.target_id CROSS JOIN ({channels}) ch"
        f" WHERE {in_app} OR x.email <> ''"
        f" ON CONFLICT DO NOTHING RETURNING id, channel, {target}"
    )


def insert_params(kind: str, vendor: str, *, ids: list[int], now) -> dict:
    from django.db import connection

    row_kind = {"dossier_due_soon": NotificationKind.DOSSIER_DUE_SOON}.get(kind, kind)
    return role_params() | {
        "ids": ids_param(ids, vendor),
        "kind": str(row_kind),
        "prompt": NotificationKind.APOLOGY_PROMPT.value,
        "in_app": NotificationChannel.IN_APP.value,
        "email": NotificationChannel.EMAIL.value,
        "sent": NotificationStatus.SENT.value,
        "pending": NotificationStatus.PENDING.value,
        "now": connection.ops.adapt_datetimefield_value(now),
    }
