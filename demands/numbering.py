"""A demand's primary key, and so its tracking number, known before its row is
written: one INSERT files it, with no UPDATE afterwards to write the number."""

from django.db import connection

from demands.models import Demand


def reserve_demand_pk() -> int:
    """A primary key no other demand has or will get. On PostgreSQL it comes from
    the column's own sequence, which never hands a value out twice, even to
    concurrent transactions; a rolled-back submission leaves a gap, which tracking
    numbers tolerate. On SQLite every write transaction holds the database's write
    lock from its start (``transaction_mode`` IMMEDIATE), so one above the highest
    key ever given out stays free until this transaction ends."""
    table = Demand._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
            return int(cursor.fetchone()[0])
        if connection.vendor != "sqlite":
            raise NotImplementedError(connection.vendor)
        if not connection.in_atomic_block:
            raise RuntimeError("reserve a demand's key inside its transaction")
        # AUTOINCREMENT keeps the highest key ever used in sqlite_sequence (so a
        # deleted demand's key is not reused); the table has no row there before
        # its first INSERT.
        cursor.execute(
            f'SELECT MAX(n) FROM (SELECT MAX(id) AS n FROM "{table}" '
            "UNION ALL SELECT seq FROM sqlite_sequence WHERE name = %s)",
            [table],
        )
        return int(cursor.fetchone()[0] or 0) + 1
