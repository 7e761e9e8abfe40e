"""What the citizen may see of a dossier, for the public API and the /tra-cuu/ page alike (one
function, so the two can never show different things): one SQL query, plain values.

The citizen's lookup is the one request anyone can make at any rate, so it is written for speed:
one hand-written statement over indexed columns (the dossier by its unique code; its steps and
pauses by ``dossier_id``), no model instances, no ORM compilation (compiling and building the
instances of three wide ``select_related`` queries and the serializer were most of the lookup's
time, and each round trip to the database costs a wait on a loaded machine). Only the columns the
page shows are read: no applicant data, no staff names, no staff notes.

A wrong key and an unknown code give the same ``NotFound`` after the same constant-time compare
(``key_matches``); for a wrong key, nothing of what was read leaves this module.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
from functools import cache

from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime

from core import prepared
from core.exceptions import NotFound
from procedures.models import Agency, Procedure, Step

from .keys import hash_lookup_key
from .models import (
    Dossier,
    DossierExtension,
    DossierPause,
    DossierRating,
    DossierStatus,
    DossierTask,
    Result,
    TaskStatus,
    Verdict,
)

MISSING_KEY_HASH = "0" * 64  # compared against when the code is unknown, so both cases take as long
NOT_FOUND = "Không tìm thấy hồ sơ với mã và mã tra cứu đã nhập."


@cache
def _labels_in(choices: type, language: str | None) -> dict[str, str]:
    """``{value: label}`` of ``choices`` in ``language``, built once per language (``str`` of a
    lazy label looks the catalogue up on every call)."""
    with translation.override(language):
        return {str(value): str(label) for value, label in choices.choices}


def key_matches(stored_hash: str | None, key: str | None) -> bool:
    """Whether ``key`` is the one whose hash is stored, in constant time. A dossier without a key
    (refused at intake: nothing was printed) and an unknown code (``stored_hash`` None) match no key,
    after the same compare."""
    stored = stored_hash or MISSING_KEY_HASH
    matches = hmac.compare_digest(stored, hash_lookup_key(key or ""))
    return matches and stored != MISSING_KEY_HASH


@cache
def _statement() -> str:
    """The one statement, with the tables' names from the models (built once per process).

    Three kinds of rows, each in its order: the dossier (kind 0) with its procedure, receiving
    agency, extension and whether it was rated; its steps (1); its supplement pauses (2). The
    columns line up by type: times first, then texts, the flag, the documents (as text: a column
    that is NULL in the first two parts takes the type text on PostgreSQL), the id."""
    d, p, a = Dossier._meta.db_table, Procedure._meta.db_table, Agency._meta.db_table
    ext, rating = DossierExtension._meta.db_table, DossierRating._meta.db_table
    task, step, pause = DossierTask._meta.db_table, Step._meta.db_table, DossierPause._meta.db_table
    return f"""
        SELECT 0, d.received_at, d.due_at, d.finished_at, d.returned_at, e.previous_due_at,
               e.new_due_at, d.code, p.name, d.status, d.result, d.lookup_key_hash, p.code, a.name,
               EXISTS (SELECT 1 FROM {rating} r WHERE r.dossier_id = d.id), NULL, d.id
        FROM {d} d
        JOIN {p} p ON p.id = d.procedure_id
        JOIN {a} a ON a.id = d.receiving_agency_id
        LEFT JOIN {ext} e ON e.dossier_id = d.id
        WHERE d.code = %s
        UNION ALL
        SELECT 1, t.created_at, t.due_at, t.finished_at, NULL, NULL, NULL, s.name, ag.name,
               t.status, t.verdict, NULL, NULL, NULL, NULL, NULL, t.id
        FROM {task} t
        JOIN {step} s ON s.id = t.step_id
        JOIN {a} ag ON ag.id = t.agency_id
        WHERE t.dossier_id = (SELECT id FROM {d} WHERE code = %s) AND t.status <> %s
        UNION ALL
        SELECT 2, x.started_at, x.ended_at, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
               NULL, NULL, NULL, CAST(x.missing_documents AS TEXT), x.id
        FROM {pause} x
        WHERE x.dossier_id = (SELECT id FROM {d} WHERE code = %s)
        ORDER BY 1, 2, 17"""


def _aware(value) -> dt.datetime | None:
    """A timestamp as the ORM would give it: aware, whatever the backend's cursor returned
    (PostgreSQL: aware; SQLite: naive UTC, or text where the column's type is not declared)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value


def _label(choices: type, value: str, language: str | None) -> str:
    """As ``get_FOO_display``: the choice's label in ``language`` (the active one), else the value."""
    return _labels_in(choices, language).get(value, str(value))


def _documents(raw) -> list[str]:
    """The names of the documents a pause asks for (the staff's note is not read)."""
    documents = json.loads(raw) if isinstance(raw, str | bytes) else raw
    return [str(doc.get("name", "")) if isinstance(doc, dict) else str(doc) for doc in documents or []]


def _step(row, language: str | None) -> dict:
    verdict = row[10]
    return {
        "step": row[7],
        "agency": row[8],
        "started_at": _aware(row[1]),
        "due_at": _aware(row[2]),
        "finished_at": _aware(row[3]),
        "status": row[9],
        "verdict": verdict,
        "verdict_label": _label(Verdict, verdict, language) if verdict else "",
    }


def _pause(row) -> dict:
    documents = _documents(row[15])
    return {"started_at": _aware(row[1]), "ended_at": _aware(row[2]), "missing_documents": documents}


def dossier_public_status(*, code: str, key: str) -> dict:
    """The citizen's view of the dossier ``code`` if ``key`` is its receipt's key, else ``NotFound``.

    A dict: ``code``, ``procedure`` (``code``, ``name``), ``receiving_agency`` (its name),
    ``status`` and ``status_label``, ``received_at``, ``due_at``, ``finished_at``, ``returned_at``,
    ``result`` and ``result_label``, ``current_steps`` (open tasks) and ``history`` (finished
    tasks, in order, with their verdicts), each step with ``step``, ``agency``, ``started_at``,
    ``due_at``, ``finished_at``, ``status``, ``verdict``; ``pauses`` (supplement requests: when,
    until when, which documents), ``extension`` (``previous_due_at`` / ``new_due_at``, or None) and
    ``rated``. One query, whatever the key.
    """
    code = (code or "").strip()
    with prepared.cursor() as cursor:  # planned once per connection on PostgreSQL
        cursor.execute(_statement(), [code, code, TaskStatus.CANCELLED.value, code])
        rows = cursor.fetchall()
    found = rows[0] if rows and rows[0][0] == 0 else None
    if not key_matches(found[11] if found else None, key):
        raise NotFound(NOT_FOUND)  # what was read of a dossier with another key stays here
    language = translation.get_language()
    steps = [_step(row, language) for row in rows if row[0] == 1]
    status, result = found[9], found[10]
    return {
        "code": found[7],
        "procedure": {"code": found[12], "name": found[8]},
        "receiving_agency": found[13],
        "status": status,
        "status_label": _label(DossierStatus, status, language),
        "received_at": _aware(found[1]),
        "due_at": _aware(found[2]),
        "finished_at": _aware(found[3]),
        "returned_at": _aware(found[4]),
        "result": result,
        "result_label": _label(Result, result, language) if result else "",
        "current_steps": [step for step in steps if step["status"] == TaskStatus.OPEN],
        "history": [step for step in steps if step["status"] == TaskStatus.DONE],
        "pauses": [_pause(row) for row in rows if row[0] == 2],
        "extension": (
            {"previous_due_at": _aware(found[5]), "new_due_at": _aware(found[6])}
            if found[6] is not None
            else None
        ),
        "rated": bool(found[14]),
    }
