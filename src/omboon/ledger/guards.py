"""The database's own refusal to change posted entries (see migrations 0002 and 0003), and the
set-based check of a batch that ``ledger.bulk`` posts (``batch_checked``).

On PostgreSQL row triggers refuse UPDATE/DELETE of entries and lines, statement-level triggers
check each INSERT or COPY as a whole (closed month, entry match, accounts and funds of the group,
no entry's lines beyond its total on either side), and a deferred constraint trigger checks at
commit that every new entry balances (0003 explains why that is as strong as before). Django's
test flush uses TRUNCATE there, which row triggers do not see.

On SQLite the UPDATE/DELETE triggers fire only while the one-row table ``ledger_guard`` says ``armed = 1``.
Nothing in the application disarms it except ``flush`` (the command that empties the whole
database, used between transactional tests), which disarms it for its own transaction and
arms it again; ``post_migrate`` arms it after every migrate and flush.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import IntegrityError, connections, transaction

# The same words as the triggers of migration 0002 raise.
MSG_CLOSED = "ledger: the month is closed / งวดบัญชีนี้ปิดแล้ว"
MSG_ENTRY = "ledger: line does not match its entry (group or date) / บรรทัดไม่ตรงกับรายการ"
MSG_GROUP = "ledger: account or fund of another group / บัญชีหรือกองทุนเป็นของกลุ่มอื่น"
MSG_UNBALANCED = "ledger: entry does not balance / รายการไม่สมดุล"
MSG_SUB_ACCOUNT = "ledger: sub-account of another group or account / บัญชีย่อยเป็นของกลุ่มหรือบัญชีอื่น"


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


# --- a batch of entries and lines, checked as a whole (SQLite) ---------------------------------
#
# Each query looks at the rows inserted inside ``batch_checked``: entries with id > e0 and lines
# with id > l0 (SQLite's AUTOINCREMENT gives every new row an id above every id before it).
# Each returns one offending row, or nothing. "%%" is a literal "%" once parameters are bound.

_MONTH = "(CAST(strftime('%%Y', {d}) AS INTEGER) * 12 + CAST(strftime('%%m', {d}) AS INTEGER))"

# A row is in a closed month when a closed period of its group is that month or later (as the
# triggers say it): per group, the batch's earliest date is the one to compare.
_CLOSED = f"""
SELECT f.organisation_id, f.first FROM (
  SELECT organisation_id, MIN(date) AS first FROM ledger_journalentry WHERE id > %s GROUP BY organisation_id
  UNION ALL
  SELECT organisation_id, MIN(date) FROM ledger_journalline WHERE id > %s GROUP BY organisation_id) f
WHERE EXISTS (SELECT 1 FROM ledger_period p WHERE p.organisation_id = f.organisation_id
              AND p.status = 'closed' AND p.year * 12 + p.month >= {_MONTH.format(d="f.first")})
LIMIT 1"""

_ENTRY = """
SELECT l.id, l.entry_id FROM ledger_journalline l
WHERE l.id > %s AND NOT EXISTS (SELECT 1 FROM ledger_journalentry e WHERE e.id = l.entry_id
                                AND e.organisation_id = l.organisation_id AND e.date = l.date)
LIMIT 1"""

_GROUP = """
SELECT l.id, l.account_id, l.fund_id FROM ledger_journalline l
WHERE l.id > %s AND (
  NOT EXISTS (SELECT 1 FROM ledger_account a WHERE a.id = l.account_id AND a.organisation_id = l.organisation_id)
  OR NOT EXISTS (SELECT 1 FROM ledger_fund f WHERE f.id = l.fund_id AND f.organisation_id = l.organisation_id))
LIMIT 1"""

_SUB_ACCOUNT = """
SELECT l.id, l.sub_account_id FROM ledger_journalline l
WHERE l.id > %s AND l.sub_account_id IS NOT NULL AND NOT EXISTS (
  SELECT 1 FROM ledger_subaccount s WHERE s.id = l.sub_account_id
  AND s.organisation_id = l.organisation_id AND s.account_id = l.account_id)
LIMIT 1"""

# Every entry the batch touched — its own entries and any entry its lines name — with all of
# its lines (not only the batch's): at least two, debits = credits = the entry's total.
_BALANCED = """
WITH touched(id) AS (
  SELECT id FROM ledger_journalentry WHERE id > %s
  UNION SELECT entry_id FROM ledger_journalline WHERE id > %s)
SELECT t.id, COUNT(l.id), COALESCE(SUM(l.debit), 0), COALESCE(SUM(l.credit), 0), e.total
FROM touched t JOIN ledger_journalentry e ON e.id = t.id LEFT JOIN ledger_journalline l ON l.entry_id = t.id
GROUP BY t.id, e.total
HAVING COUNT(l.id) < 2 OR COALESCE(SUM(l.debit), 0) <> e.total OR COALESCE(SUM(l.credit), 0) <> e.total
LIMIT 1"""


def _last_ids(cursor) -> tuple[int, int]:
    cursor.execute("SELECT (SELECT COALESCE(MAX(id), 0) FROM ledger_journalentry),"
                   " (SELECT COALESCE(MAX(id), 0) FROM ledger_journalline)")
    return cursor.fetchone()


def _check_batch(cursor, e0: int, l0: int) -> None:
    """Raise IntegrityError (the triggers' words) if a row of the batch breaks a rule."""
    checks = [
        (_CLOSED, [e0, l0], MSG_CLOSED, "group {0}, date {1}"),
        (_ENTRY, [l0], MSG_ENTRY, "line {0}, entry {1}"),
        (_GROUP, [l0], MSG_GROUP, "line {0}, account {1}, fund {2}"),
        (_SUB_ACCOUNT, [l0], MSG_SUB_ACCOUNT, "line {0}, sub-account {1}"),
        (_BALANCED, [e0, l0], MSG_UNBALANCED, "entry {0}, {1} lines, debit {2}, credit {3}, total {4}"),
    ]
    for sql, params, message, detail in checks:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        if row is not None:
            raise IntegrityError(f"{message}: {detail.format(*row)}")


# The per-row insert triggers that ``batch_checked`` lifts on SQLite (migration 0002).
SQLITE_INSERT_TRIGGERS = ("ledger_journalentry_insert", "ledger_journalline_insert")


@contextmanager
def batch_checked(connection):
    """Insert entries and lines inside this block; they are checked as a whole at its end.

    For writers of many entries at once: ``ledger.bulk`` (``network.sync`` uses it too, for
    the entries a group's device sends). Rows inserted in the block must let SQLite choose
    their ids (AUTOINCREMENT: above every id before, which is how the check finds them).
    PostgreSQL needs nothing more than the savepoint: its insert triggers are statement-level
    (migration 0003), so one COPY is checked once, set-based.

    SQLite has only row triggers, and merely having one on a table makes every inserted row
    open a statement journal (spilled to a temporary file with the default ``temp_store``):
    about 14 µs a row even for a trigger whose WHEN is false, and ~25 µs of the ~35 µs a bulk
    line took with the checks of 0002. So inside this block the two insert triggers are
    dropped, and before the block ends one set-based query per rule checks every entry and
    line inserted in it — nothing in a closed month; each line's group and date are its
    entry's; accounts and funds belong to the line's group; every entry touched has at least
    two lines and its debits and credits both equal its total (at least what the triggers
    check row by row: they allow a line while the entry's running sums stay within its total,
    here the entry must be complete) — and the triggers are created again from the very SQL
    the schema held. A broken rule raises ``IntegrityError`` with the triggers' words.

    Why no other writer ever meets the books without their triggers: SQLite's schema is
    transactional, and the drop, the inserts, the check and the re-creation all happen in
    this one transaction. SQLite lets one connection write at a time (from our first write
    until commit or rollback nobody else can write), and other connections read the
    committed schema, triggers included. Why the triggers always come back: the block is
    ``atomic`` (a savepoint inside the caller's transaction); if anything raises — a broken
    rule, a database error, a bug — leaving the block rolls the savepoint back, the dropped
    triggers and every row of the batch with it. Nothing inside may commit (Django refuses a
    commit inside ``atomic``).
    """
    with transaction.atomic(using=connection.alias):
        if connection.vendor != "sqlite":
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s) ORDER BY name",
                list(SQLITE_INSERT_TRIGGERS))
            triggers = cursor.fetchall()
            e0, l0 = _last_ids(cursor)
            for name, _sql in triggers:
                cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")
        yield
        with connection.cursor() as cursor:
            _check_batch(cursor, e0, l0)
            for _name, sql in triggers:
                cursor.execute(sql)  # no parameters: the SQL goes to SQLite as stored
