"""INSERT new model instances in one statement whose text is written once per process and which
PostgreSQL plans once per connection: for the rows every registration and decision writes.

A registration writes nine rows, each through ``Model.save()`` or ``bulk_create``: Django builds
each INSERT anew (the dossier has 40 columns) and PostgreSQL parses and plans it anew. On the 2-core
benchmark machine that was more of a registration's CPU than the statements' execution. Here the
columns and the statement are those Django's ``_save_table`` and ``bulk_create`` would write
(every local concrete column, the auto primary key left out when unset, ``pre_save`` applied, so
``auto_now_add`` and viewflow's state fields behave as they do in ``save()``), the values go
through each field's ``get_db_prep_save``, and the ids come back by ``RETURNING``.

Goes through the ORM instead when someone listens to the model's ``pre_save`` or ``post_save``
(then each row is ``save()``d, which sends them, as the calls replaced here did), when a value is
an expression, or when the database cannot return the ids of a multi-row INSERT
(``bulk_create``).
"""

from __future__ import annotations

import functools

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.db.models.constants import OnConflict
from django.db.models.signals import post_save, pre_save

from core import prepared

_statements: dict[tuple, tuple[list, str]] = {}


_MAX_PARAMS = 900  # below SQLite's oldest limit on a statement's variables


@functools.cache
def _fields(model: type[Model], with_pk: bool) -> list:
    meta = model._meta.concrete_model._meta
    return [
        f for f in meta.local_concrete_fields if not f.generated and (with_pk or f is not meta.auto_field)
    ]


def _plan(
    db,
    model: type[Model],
    with_pk: bool,
    rows: int,
    ignore_conflicts: bool,
    returning: tuple[str, ...] | None = None,
) -> tuple[list, str]:
    """(fields, SQL) of an INSERT of ``rows`` rows. ``returning``: the fields whose columns it
    returns (by default the model's returned fields, none when conflicts are ignored)."""
    key = (db.vendor, model, with_pk, rows, ignore_conflicts, returning)
    if key not in _statements:
        meta = model._meta.concrete_model._meta
        fields = _fields(model, with_pk)
        ops, quote = db.ops, db.ops.quote_name
        on_conflict = OnConflict.IGNORE if ignore_conflicts else None
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        if returning is None:
            returned = [] if ignore_conflicts else meta.db_returning_fields
        else:
            returned = [meta.get_field(name) for name in returning]
        columns = ", ".join(quote(f.column) for f in returned)
        sql = (
            f"{ops.insert_statement(on_conflict=on_conflict)} {quote(meta.db_table)} "
            f"({', '.join(quote(f.column) for f in fields)}) VALUES {', '.join([row] * rows)}"
            f"{ops.on_conflict_suffix_sql(fields, on_conflict, None, None) if ignore_conflicts else ''}"
            f"{f' RETURNING {columns}' if columns else ''}"
        )
        _statements[key] = (fields, sql)
    return _statements[key]


def _params(db, objs: list[Model], fields: list) -> list | None:
    """The statement's parameters, as ``save()`` prepares them; None when a value is an
    expression (F(), Now(): the ORM must compile it)."""
    params = []
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="insert")
        for field in fields:
            value = field.pre_save(obj, True)
            if hasattr(value, "resolve_expression"):
                return None
            params.append(field.get_db_prep_save(value, connection=db))
    return params


def _listened(model: type[Model]) -> bool:
    return pre_save.has_listeners(model) or post_save.has_listeners(model)


def _orm_instead(db, model: type[Model], objs: list[Model], with_pk: bool) -> bool:
    pk = model._meta.concrete_model._meta.pk.attname
    return bool(
        not db.features.can_return_rows_from_bulk_insert
        or model._meta.concrete_model._meta.parents  # multi-table inheritance: several tables
        or any((getattr(obj, pk) is not None) != with_pk for obj in objs)  # as bulk_create splits them
        or len(objs) * len(_fields(model, with_pk)) > _MAX_PARAMS
    )


def insert(objs: list[Model], *, ignore_conflicts: bool = False) -> None:
    """Insert ``objs`` (new instances of one model) in one statement on the default database, as
    ``bulk_create`` would: their primary keys and other returned columns are set and they are
    marked saved; ``save()`` overrides are not called. With ``ignore_conflicts`` a row clashing
    with a unique constraint is skipped and no primary key is set (``bulk_create``'s
    ``ignore_conflicts``)."""
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta.concrete_model._meta
    db = connections[DEFAULT_DB_ALIAS]
    with_pk = getattr(objs[0], meta.pk.attname) is not None
    if _listened(model) and not ignore_conflicts:
        for obj in objs:
            obj.save(force_insert=True)
        return
    if _listened(model) or _orm_instead(db, model, objs, with_pk):
        model._base_manager.bulk_create(objs, ignore_conflicts=ignore_conflicts)
        return
    fields, sql = _plan(db, model, with_pk, len(objs), ignore_conflicts)
    params = _params(db, objs, fields)
    if params is None:
        model._base_manager.bulk_create(objs, ignore_conflicts=ignore_conflicts)
        return
    returning = [] if ignore_conflicts else meta.db_returning_fields
    with prepared.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall() if returning else []
    for obj, row in zip(objs, rows or [()] * len(objs), strict=True):  # in the order of VALUES
        for field, value in zip(returning, row, strict=True):
            for convert in field.get_db_converters(db):
                value = convert(value, field.get_col(meta.db_table), db)
            setattr(obj, field.attname, value)
        obj._state.adding = False
        obj._state.db = db.alias


def insert_new(objs: list[Model], returning: tuple[str, ...]) -> list[tuple]:
    """Insert ``objs`` (new instances of one model, without primary keys) on the default database,
    skipping each that clashes with a unique constraint, and return the ``returning`` fields of
    the rows actually inserted (``ON CONFLICT DO NOTHING RETURNING``, PostgreSQL and SQLite 3.35+),
    in statements below the parameter limit. ``bulk_create(ignore_conflicts=True)`` cannot say
    which rows went in. As it, no signal is sent and the instances are left as they were."""
    if not objs:
        return []
    model = type(objs[0])
    db = connections[DEFAULT_DB_ALIAS]
    per_statement = max(1, _MAX_PARAMS // len(_fields(model, False)))
    inserted: list[tuple] = []
    with prepared.cursor() as cursor:
        for start in range(0, len(objs), per_statement):
            batch = objs[start : start + per_statement]
            fields, sql = _plan(db, model, False, len(batch), True, returning)
            params = _params(db, batch, fields)
            if params is None:
                raise ValueError("insert_new() takes values, not expressions")
            cursor.execute(sql, params)
            inserted += [tuple(row) for row in cursor.fetchall()]
    return inserted
