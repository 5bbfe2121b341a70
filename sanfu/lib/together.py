"""New rows, and statements that go with them, written by one PostgreSQL statement.

A change that writes several rows in a transaction pays a round trip for each
statement, and two more for Django's BEGIN and COMMIT. PostgreSQL runs the
data-modifying statements of a ``WITH`` as one statement, atomic by itself (in
autocommit mode its own transaction), each to completion whether or not the query
reads its rows. ``insert_together`` writes the rows that way, each by the INSERT
``Model.save()`` would send (the ORM's own compiler, the fields' ``pre_save`` and
``get_db_prep_save`` included) and with ``pre_save`` and ``post_save`` sent for
each as ``save()`` sends them, then the further statements (``Step``), in one
round trip.

The statements of a ``WITH`` see the same snapshot and run in no set order: a
step that must come after another (to take row locks in one order) reads the
other's rows (see ``demands.rollup``). Foreign keys are checked at the end
(Django makes them deferrable), so the rows may refer to one another.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.db.models.signals import post_save, pre_save
from django.db.models.sql import InsertQuery


@dataclass(frozen=True)
class Step:
    """A data-modifying statement with ``RETURNING``, named so that a later step can
    read its rows (``SELECT … FROM name``)."""

    name: str
    sql: str
    params: Sequence[Any]


def _insert_step(name: str, row: Model, using: str) -> Step:
    meta = row._meta
    fields = [
        f
        for f in meta.local_concrete_fields
        if not f.generated and (row.pk is not None or f is not meta.auto_field)
    ]
    query = InsertQuery(type(row))
    query.insert_values(fields, [row])
    compiler = query.get_compiler(using=using)
    compiler.returning_fields = [meta.pk]
    [(sql, params)] = compiler.as_sql()
    return Step(name, sql, params)


def insert_together(
    rows: Sequence[Model], then: Sequence[Step] = (), *, using: str = DEFAULT_DB_ALIAS
) -> None:
    """Write ``rows`` (new ones), then the statements of ``then``, as one statement
    (PostgreSQL only); each row gets its primary key as ``save()`` gives it."""
    if not rows and not then:
        raise ValueError("nothing to write")
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise NotImplementedError(connection.vendor)
    for row in rows:
        if row._meta.parents or not row._state.adding:
            raise ValueError(f"{row!r}: only a new row of a model with one table")
    names = [f"row{n}" for n in range(len(rows))] + [step.name for step in then]
    if len(set(names)) != len(names):
        raise ValueError(f"two steps share a name: {names}")
    for row in rows:
        row._prepare_related_fields_for_save(operation_name="save")
        pre_save.send(
            sender=type(row), instance=row, raw=False, using=using, update_fields=None
        )
    steps = [
        _insert_step(name, row, using) for name, row in zip(names, rows, strict=False)
    ]
    steps += then
    withs = ", ".join(f"{step.name} AS ({step.sql})" for step in steps)
    params = [value for step in steps for value in step.params]
    # each INSERT writes one row, so their cross join is one row of the new keys
    keys = ", ".join(
        f"{step.name}.{connection.ops.quote_name(row._meta.pk.column)}"
        for step, row in zip(steps, rows, strict=False)
    )
    sources = ", ".join(step.name for step in steps[: len(rows)])
    query = f"SELECT {keys} FROM {sources}" if rows else "SELECT 1"
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {withs} {query}", params)
        found = cursor.fetchone()
    for row, key in zip(rows, found[: len(rows)], strict=True):
        row.pk = key
        row._state.adding = False
        row._state.db = using
        post_save.send(
            sender=type(row),
            instance=row,
            created=True,
            update_fields=None,
            raw=False,
            using=using,
        )
