"""The database refuses what the ORM refuses: posted entries and lines never change, lines
never land in a closed month or cross groups, and (PostgreSQL) every entry balances at commit.

SQLite has no deferred triggers: there, an insert that would push an entry's lines beyond its
declared total is refused at once, which stops a line being added to a posted entry.
"""

from django.db import migrations

MSG_IMMUTABLE = "ledger: posted entries are immutable / รายการที่ลงบัญชีแล้วแก้ไขหรือลบไม่ได้"
MSG_CLOSED = "ledger: the month is closed / งวดบัญชีนี้ปิดแล้ว"
MSG_ENTRY = "ledger: line does not match its entry (group or date) / บรรทัดไม่ตรงกับรายการ"
MSG_GROUP = "ledger: account or fund of another group / บัญชีหรือกองทุนเป็นของกลุ่มอื่น"
MSG_TOTAL = "ledger: lines exceed the entry total / ยอดบรรทัดเกินยอดรวมของรายการ"
MSG_UNBALANCED = "ledger: entry does not balance / รายการไม่สมดุล"

SQLITE_MONTH = "(CAST(strftime('%Y', NEW.date) AS INTEGER) * 12 + CAST(strftime('%m', NEW.date) AS INTEGER))"
SQLITE_CLOSED = (
    "EXISTS (SELECT 1 FROM ledger_period p WHERE p.organisation_id = NEW.organisation_id "
    f"AND p.status = 'closed' AND p.year * 12 + p.month >= {SQLITE_MONTH})"
)
ARMED = "(SELECT armed FROM ledger_guard) = 1"

SQLITE_UP = [
    "CREATE TABLE ledger_guard (armed integer NOT NULL)",
    "INSERT INTO ledger_guard (armed) VALUES (1)",
    *[
        f"""CREATE TRIGGER ledger_{table}_no_{op.lower()} BEFORE {op} ON ledger_{table}
        WHEN {ARMED} BEGIN SELECT RAISE(ABORT, '{MSG_IMMUTABLE}'); END"""
        for table in ("journalentry", "journalline") for op in ("UPDATE", "DELETE")
    ],
    f"""CREATE TRIGGER ledger_journalentry_insert BEFORE INSERT ON ledger_journalentry
    WHEN {SQLITE_CLOSED} BEGIN SELECT RAISE(ABORT, '{MSG_CLOSED}'); END""",
    f"""CREATE TRIGGER ledger_journalline_insert BEFORE INSERT ON ledger_journalline
    BEGIN
      SELECT RAISE(ABORT, '{MSG_CLOSED}') WHERE {SQLITE_CLOSED};
      SELECT RAISE(ABORT, '{MSG_ENTRY}') WHERE NOT EXISTS (
        SELECT 1 FROM ledger_journalentry e WHERE e.id = NEW.entry_id
        AND e.organisation_id = NEW.organisation_id AND e.date = NEW.date);
      SELECT RAISE(ABORT, '{MSG_GROUP}') WHERE NOT EXISTS (
        SELECT 1 FROM ledger_account a WHERE a.id = NEW.account_id AND a.organisation_id = NEW.organisation_id)
        OR NOT EXISTS (
        SELECT 1 FROM ledger_fund f WHERE f.id = NEW.fund_id AND f.organisation_id = NEW.organisation_id);
      SELECT RAISE(ABORT, '{MSG_TOTAL}') WHERE
        (SELECT COALESCE(SUM(debit), 0) FROM ledger_journalline WHERE entry_id = NEW.entry_id) + NEW.debit
          > (SELECT total FROM ledger_journalentry WHERE id = NEW.entry_id)
        OR (SELECT COALESCE(SUM(credit), 0) FROM ledger_journalline WHERE entry_id = NEW.entry_id) + NEW.credit
          > (SELECT total FROM ledger_journalentry WHERE id = NEW.entry_id);
    END""",
]
SQLITE_DOWN = [
    *[f"DROP TRIGGER IF EXISTS ledger_{t}_no_{op}" for t in ("journalentry", "journalline")
      for op in ("update", "delete")],
    "DROP TRIGGER IF EXISTS ledger_journalentry_insert",
    "DROP TRIGGER IF EXISTS ledger_journalline_insert",
    "DROP TABLE IF EXISTS ledger_guard",
]

PG_MONTH = "(EXTRACT(YEAR FROM NEW.date)::int * 12 + EXTRACT(MONTH FROM NEW.date)::int)"
PG_CLOSED = (
    "EXISTS (SELECT 1 FROM ledger_period p WHERE p.organisation_id = NEW.organisation_id "
    f"AND p.status = 'closed' AND p.year * 12 + p.month >= {PG_MONTH})"
)
PG_UP = [
    f"""CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '{MSG_IMMUTABLE} (% %)', TG_OP, TG_TABLE_NAME USING ERRCODE = '23514';
    END $$""",
    *[
        f"""CREATE TRIGGER ledger_{table}_immutable BEFORE UPDATE OR DELETE ON ledger_{table}
        FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()"""
        for table in ("journalentry", "journalline")
    ],
    f"""CREATE FUNCTION ledger_entry_insert_check() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF {PG_CLOSED} THEN RAISE EXCEPTION '{MSG_CLOSED}' USING ERRCODE = '23514'; END IF;
      RETURN NEW;
    END $$""",
    """CREATE TRIGGER ledger_journalentry_insert BEFORE INSERT ON ledger_journalentry
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_insert_check()""",
    f"""CREATE FUNCTION ledger_line_insert_check() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF {PG_CLOSED} THEN RAISE EXCEPTION '{MSG_CLOSED}' USING ERRCODE = '23514'; END IF;
      IF NOT EXISTS (SELECT 1 FROM ledger_journalentry e WHERE e.id = NEW.entry_id
                     AND e.organisation_id = NEW.organisation_id AND e.date = NEW.date) THEN
        RAISE EXCEPTION '{MSG_ENTRY}' USING ERRCODE = '23514';
      END IF;
      IF NOT EXISTS (SELECT 1 FROM ledger_account a WHERE a.id = NEW.account_id
                     AND a.organisation_id = NEW.organisation_id)
         OR NOT EXISTS (SELECT 1 FROM ledger_fund f WHERE f.id = NEW.fund_id
                        AND f.organisation_id = NEW.organisation_id) THEN
        RAISE EXCEPTION '{MSG_GROUP}' USING ERRCODE = '23514';
      END IF;
      RETURN NEW;
    END $$""",
    """CREATE TRIGGER ledger_journalline_insert BEFORE INSERT ON ledger_journalline
    FOR EACH ROW EXECUTE FUNCTION ledger_line_insert_check()""",
    f"""CREATE FUNCTION ledger_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      eid bigint; d bigint; c bigint; n int; t bigint;
    BEGIN
      IF TG_TABLE_NAME = 'ledger_journalline' THEN eid := NEW.entry_id; ELSE eid := NEW.id; END IF;
      SELECT COALESCE(SUM(debit), 0), COALESCE(SUM(credit), 0), COUNT(*) INTO d, c, n
        FROM ledger_journalline WHERE entry_id = eid;
      SELECT total INTO t FROM ledger_journalentry WHERE id = eid;
      IF n < 2 OR d <> c OR d <> t THEN
        RAISE EXCEPTION '{MSG_UNBALANCED}: entry %, % lines, debit %, credit %, total %', eid, n, d, c, t
          USING ERRCODE = '23514';
      END IF;
      RETURN NULL;
    END $$""",
    *[
        f"""CREATE CONSTRAINT TRIGGER ledger_{table}_balanced AFTER INSERT ON ledger_{table}
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_entry_balanced()"""
        for table in ("journalentry", "journalline")
    ],
]
PG_DOWN = [
    *[f"DROP TRIGGER IF EXISTS ledger_{t}_{kind} ON ledger_{t}" for t in ("journalentry", "journalline")
      for kind in ("immutable", "insert", "balanced")],
    "DROP FUNCTION IF EXISTS ledger_refuse_change()",
    "DROP FUNCTION IF EXISTS ledger_entry_insert_check()",
    "DROP FUNCTION IF EXISTS ledger_line_insert_check()",
    "DROP FUNCTION IF EXISTS ledger_entry_balanced()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [
        migrations.RunPython(_run({"sqlite": SQLITE_UP, "postgresql": PG_UP}),
                             _run({"sqlite": SQLITE_DOWN, "postgresql": PG_DOWN})),
    ]
