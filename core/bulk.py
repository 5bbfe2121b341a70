"""Storing many new rows of one model at once, fast.

Django's ``bulk_create`` builds a model instance per row and compiles every value
through the field machinery: at 50,000 ledger rows that is three quarters of the
time (bench/results.md). On PostgreSQL ``insert_rows`` draws the primary keys from
the table's sequence in one query and streams the rows with ``COPY``; the values
the rows share (the campaign, the time, the model's defaults) are prepared once.
Elsewhere (SQLite in development and tests) it is ``bulk_create``. No signals are
sent, as with ``bulk_create``; run it inside the caller's transaction.
"""

from collections.abc import Sequence
from typing import Any

from django.db import connection, models


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[Sequence[Any]],
    **shared: Any,
) -> list[int]:
    """Insert one row of ``model`` per item of ``rows`` (values of ``fields``, by
    attribute name: ``unit_id``, not ``unit``), each also with ``shared`` and the
    model's defaults for the other fields; the new primary keys, in order."""
    if not rows:
        return []
    meta = model._meta
    if connection.vendor != "postgresql":
        made = model._default_manager.bulk_create(
            [model(**shared, **dict(zip(fields, row, strict=True))) for row in rows],
            batch_size=2000,
        )
        return [instance.pk for instance in made]
    template = model(**shared)
    fields_by_name = {field.attname: field for field in meta.concrete_fields}
    given = [fields_by_name[name] for name in fields]
    others = [
        field
        for field in meta.concrete_fields
        if not field.primary_key and field.attname not in fields
    ]
    # JSON is adapted by its field (a dict is not a value COPY knows); the rest
    # goes as it is
    adapted = {
        index: field
        for index, field in enumerate(given)
        if isinstance(field, models.JSONField)
    }
    constants = tuple(
        field.get_db_prep_save(field.pre_save(template, True), connection)
        for field in others
    )
    quote = connection.ops.quote_name
    key = meta.pk.column if meta.pk is not None else "id"
    columns = ", ".join(
        quote(str(column))
        for column in [key, *(field.column for field in (*given, *others))]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
            "FROM generate_series(1, %s)",
            [meta.db_table, key, len(rows)],
        )
        keys = [key for (key,) in cursor.fetchall()]
        with cursor.cursor.copy(
            f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
        ) as copy:
            for key, row in zip(keys, rows, strict=True):
                if adapted:
                    row = [
                        adapted[index].get_db_prep_save(value, connection)
                        if index in adapted
                        else value
                        for index, value in enumerate(row)
                    ]
                copy.write_row((key, *row, *constants))
    return keys
