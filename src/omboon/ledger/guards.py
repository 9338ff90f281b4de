"""The database's own refusal to change posted entries (see migration 0002).

On PostgreSQL row triggers refuse UPDATE/DELETE of entries and lines, and a deferred constraint
trigger checks at commit that every entry balances. Django's test flush uses TRUNCATE there,
which row triggers do not see.

On SQLite the triggers fire only while the one-row table ``ledger_guard`` says ``armed = 1``.
Nothing in the application disarms it except ``flush`` (the command that empties the whole
database, used between transactional tests), which disarms it for its own transaction and
arms it again; ``post_migrate`` arms it after every migrate and flush.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connections


def _has_guard(connection) -> bool:
    return connection.vendor == "sqlite" and "ledger_guard" in connection.introspection.table_names()


def arm(connection) -> None:
    if _has_guard(connection):
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM ledger_guard")
            cursor.execute("INSERT INTO ledger_guard (armed) VALUES (1)")


def arm_after_migrate(sender, using="default", **kwargs) -> None:
    if getattr(sender, "label", None) == "ledger":
        arm(connections[using])


@contextmanager
def disarmed(connection):
    """Only for emptying the whole database (flush)."""
    if not _has_guard(connection):
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_guard SET armed = 0")
    try:
        yield
    finally:
        arm(connection)
