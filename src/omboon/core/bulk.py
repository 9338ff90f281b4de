"""Many rows into one table in one statement: ``executemany`` of a prepared INSERT on SQLite,
COPY on PostgreSQL. No model instances, no signals, no per-row Python beyond the tuple.

For the bulk paths that own their tables (the ledger's entries and lines, contributions'
receipts): the caller has checked the rows and holds the transaction.
"""

from __future__ import annotations

from django.db import connection


def insert_rows(table: str, columns: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    ops = connection.ops
    cols = ", ".join(ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # psycopg's own cursor (Django's has no COPY): its errors wrapped as Django's
            with connection.wrap_database_errors, cursor.cursor.copy(
                    f"COPY {ops.quote_name(table)} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {ops.quote_name(table)} ({cols}) VALUES ({marks})", rows)
