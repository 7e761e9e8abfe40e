"""A hot, fixed SELECT of a row and its to-one relations, written once per process instead of
compiled by the ORM on every call, and read back into the model instances ``select_related``
would give.

Every task decision starts by locking its dossier and its task (``workflows.services._common``):
two ``select_related`` queries that Django compiled anew on each call (3.8 ms of the client's CPU
on the 2-core benchmark machine, a third of a completion's CPU) and that PostgreSQL planned anew
(1.3 and 0.5 ms for the two joins). Here the statement text is built once from the models'
``_meta``, executed through ``core.prepared`` (planned once per connection), and each column goes
through the converters Django's compiler would apply (JSON, the flow references, SQLite's dates),
so the instances are the ORM's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Model

from core import prepared


@dataclass
class Part:
    """One model's columns in the statement: ``alias`` in the FROM clause, and where the instance
    goes: ``attach`` is the parent part's field name (``None`` for the row itself)."""

    model: type[Model]
    alias: str
    parent: int | None = None
    attach: str | None = None
    _converters: dict[str, list] = field(default_factory=dict, repr=False)

    def __post_init__(self):
        self.fields = self.model._meta.concrete_fields
        self._attnames = [f.attname for f in self.fields]
        self._pk_position = self.fields.index(self.model._meta.pk)

    def columns(self) -> str:
        quote = connection.ops.quote_name
        return ", ".join(f"{self.alias}.{quote(f.column)}" for f in self.fields)

    def converters(self, db) -> list:
        """[(position, converters, expression)] as ``SQLCompiler.get_converters`` finds them."""
        if db.vendor not in self._converters:
            found = []
            for position, model_field in enumerate(self.fields):
                expression = model_field.get_col(self.alias)
                convs = db.ops.get_db_converters(expression) + expression.get_db_converters(db)
                if convs:
                    found.append((position, convs, expression))
            self._converters[db.vendor] = found
        return self._converters[db.vendor]

    def build(self, db, values: list) -> Model | None:
        if values[self._pk_position] is None:
            return None  # a LEFT JOIN that found nothing
        for position, convs, expression in self.converters(db):
            for convert in convs:
                values[position] = convert(values[position], expression, db)
        return self.model.from_db(db.alias, self._attnames, values)


class Joined:
    """``SELECT <every part's columns> <from_where>`` (the FROM, the joins and the WHERE with one
    ``%s`` per parameter, written by the caller in the parts' aliases), then ``FOR UPDATE OF`` the
    first part's alias when ``lock`` and the database can. ``fetch`` returns the first part's
    instance with the others attached, or None."""

    def __init__(self, parts: list[Part], from_where: str, *, lock: bool = False):
        self.parts, self.from_where, self.lock = parts, from_where, lock
        self._sql: dict[str, str] = {}

    def sql(self, db) -> str:
        if db.vendor not in self._sql:
            text = f"SELECT {', '.join(part.columns() for part in self.parts)} {self.from_where}"
            if self.lock and db.features.has_select_for_update:
                of = db.features.has_select_for_update_of
                text += f" FOR UPDATE OF {self.parts[0].alias}" if of else " FOR UPDATE"
            self._sql[db.vendor] = text
        return self._sql[db.vendor]

    def fetch(self, params: list) -> Model | None:
        with prepared.cursor(binary=False) as cursor:
            cursor.execute(self.sql(cursor.db), params)
            row = cursor.fetchone()
            db = cursor.db
        if row is None:
            return None
        instances, start = [], 0
        for part in self.parts:
            width = len(part.fields)
            instances.append(part.build(db, list(row[start : start + width])))
            start += width
        for part, instance in zip(self.parts, instances, strict=True):
            if part.parent is not None and instances[part.parent] is not None:
                setattr(instances[part.parent], part.attach, instance)
        return instances[0]
