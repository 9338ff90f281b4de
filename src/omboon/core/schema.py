"""Schema changes that Django's migrations would do the slow or the unsafe way.

``drop_field_indexes``: a ``ForeignKey`` changed to ``db_index=False``. On SQLite Django
rebuilds the whole table for that (copy, drop, rename), which loses any trigger on it — the
ledger's guards are triggers — and copies every row; here the one index is dropped by its
name, on both databases. Use it as the database half of ``SeparateDatabaseAndState`` whose
state half is the ``AlterField`` that ``makemigrations`` wrote.
"""

from __future__ import annotations

from django.db import migrations


def drop_field_indexes(*table_columns: tuple[str, str]) -> migrations.RunPython:
    def forwards(apps, schema_editor):
        for table, column in table_columns:
            name = schema_editor._create_index_name(table, [column])
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")

    def backwards(apps, schema_editor):
        for table, column in table_columns:
            name = schema_editor._create_index_name(table, [column])
            schema_editor.execute(f"CREATE INDEX {schema_editor.quote_name(name)} ON "
                                  f"{schema_editor.quote_name(table)} ({schema_editor.quote_name(column)})")

    return migrations.RunPython(forwards, backwards)
