"""The row locks every transition starts with: the dossier, or a task and its dossier, with the
relations the services read, as ``select_related`` gave them; one statement each, written once
and planned once per connection (``core/joined.py``: the ORM compiled the two of a task decision
in 3.8 ms of CPU and PostgreSQL planned them in 1.8 ms, on every call)."""

from __future__ import annotations

from django.db import connection

from core.exceptions import NotFound
from core.joined import Joined, Part

from ..models import Dossier, DossierTask


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _join(parts: list[Part], parent: int, name: str, alias: str) -> str:
    """Add the part ``parent.<name>`` (a forward foreign key or one-to-one) and return its JOIN."""
    source = parts[parent]
    field = source.model._meta.get_field(name)
    model = field.related_model
    parts.append(Part(model, alias, parent=parent, attach=name))
    kind = "LEFT OUTER JOIN" if field.null or source.parent is not None else "INNER JOIN"
    quote = connection.ops.quote_name
    target = quote(field.target_field.column)
    return f"{kind} {_table(model)} {alias} ON {alias}.{target} = {source.alias}.{quote(field.column)}"


def _dossier_statement(where: str, *, process: bool) -> Joined:
    """The dossier ``d`` with its version, procedure and receiving agency, and its process."""
    parts = [Part(Dossier, "d")]
    joins = [
        *([_join(parts, 0, "process", "pr")] if process else []),
        _join(parts, 0, "version", "v"),
        _join(parts, 0, "procedure", "p"),
        _join(parts, 0, "receiving_agency", "a"),
    ]
    return Joined(parts, f"FROM {_table(Dossier)} d {' '.join(joins)} WHERE {where}", lock=True)


def _task_statement() -> Joined:
    """The task ``t`` with its viewflow task and that task's process."""
    parts = [Part(DossierTask, "t")]
    joins = [_join(parts, 0, "flow_task", "f"), _join(parts, 1, "process", "pr")]
    return Joined(parts, f"FROM {_table(DossierTask)} t {' '.join(joins)} WHERE t.id = %s", lock=True)


_DOSSIER = _dossier_statement("d.id = %s", process=True)
_DOSSIER_OF_TASK = _dossier_statement(  # the task's own process comes with the task
    f"d.id = (SELECT dossier_id FROM {_table(DossierTask)} WHERE id = %s)", process=False
)
_TASK = _task_statement()


def _storable(model, pk: int) -> bool:
    """Whether the id column can hold ``pk``. The ORM's lookups find nothing for an id past the
    column's range; a hand-written statement would send it and fail (an overflow on SQLite, an
    out-of-range error on PostgreSQL), so such an id is not found without asking."""
    low, high = connection.ops.integer_field_range(model._meta.pk.get_internal_type())
    return (low is None or pk >= low) and (high is None or pk <= high)


def lock_dossier(dossier: Dossier | int) -> Dossier:
    """The dossier, row-locked, with its process, version, procedure and receiving agency."""
    pk = dossier.pk if isinstance(dossier, Dossier) else dossier
    locked = _DOSSIER.fetch([pk]) if _storable(Dossier, pk) else None
    if locked is None:
        raise NotFound("Không tìm thấy hồ sơ.")
    return locked


def lock_task(task: DossierTask | int) -> DossierTask:
    """The task and its dossier, row-locked dossier first, as every other path locks them.

    Withdrawal and a decision that cuts a stage short hold the dossier row and then update task
    rows; locking a task before its dossier here would let two officers deadlock each other.
    Two narrow statements rather than one seven-table join: PostgreSQL plans a join of seven
    tables in more than twice the time it plans these two.
    """
    pk = task.pk if isinstance(task, DossierTask) else task
    dossier = _DOSSIER_OF_TASK.fetch([pk]) if _storable(DossierTask, pk) else None
    locked = _TASK.fetch([pk]) if dossier is not None else None
    if locked is None:
        raise NotFound("Không tìm thấy bước xử lý.")
    locked.dossier = dossier
    return locked
