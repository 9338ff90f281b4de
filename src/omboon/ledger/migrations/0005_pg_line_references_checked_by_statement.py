"""PostgreSQL: a journal line's references are checked once per statement, not once per row.

Django made the five foreign keys of ``ledger_journalline`` (entry, account, fund, member,
organisation) ``DEFERRABLE INITIALLY DEFERRED``: each inserted line queued five row-level
checks, run at commit, each a lookup that locks the referenced row. A synced group's five
years (360,010 lines) spent most of its push in them (``omboon bench sync``: 20.4 s quiet;
12.1 s without them, same run conditions).

The statement trigger of 0003 already checks, once per COPY or INSERT, more than those keys
did: every line's entry exists with the line's group and date, its account and fund exist in
the line's group. This migration adds the member (it exists in the line's group) and drops the
five keys. What the keys also did — refuse deleting a row that lines point to — is kept by
``ledger_refuse_delete_referenced``, a BEFORE DELETE trigger on accounts, funds, members and
organisations (entries cannot be deleted at all: 0002). So nothing the keys refused is accepted.

Only the database changes: the model's fields stay foreign keys (the ORM's joins and its
``on_delete=PROTECT``), and SQLite keeps its keys (immediate and cheap there; its row triggers
are lifted in batch posting, ``guards.batch_checked``, and the keys are then its guard).
``test_database_guards`` fails if a later migration puts a key back on PostgreSQL.
"""

import importlib

from django.db import migrations

initial = importlib.import_module("omboon.ledger.migrations.0002_immutability_triggers")
statement = importlib.import_module("omboon.ledger.migrations.0003_pg_statement_level_insert_checks")

MSG_MEMBER = "ledger: member of another group / สมาชิกเป็นของกลุ่มอื่น"
MSG_REFERENCED = "ledger: journal lines refer to this row / มีรายการบัญชีอ้างถึงแถวนี้ ลบไม่ได้"

# (table, the column of ledger_journalline that refers to it); DELETE triggers of lines refuse
REFERENCED = [("ledger_account", "account_id"), ("ledger_fund", "fund_id"),
              ("members_member", "member_id"), ("orgs_organisation", "organisation_id")]

KEY_COLUMNS = ("entry_id", "account_id", "fund_id", "member_id", "organisation_id")

LINES_FUNCTION = next(s for s in statement.PG_UP if s.startswith("CREATE FUNCTION ledger_lines_inserted()"))
END = "      RETURN NULL;\n    END $$"
assert LINES_FUNCTION.count(END) == 1, "0003's ledger_lines_inserted is not as expected"

MEMBER_CHECK = f"""      SELECT n.member_id INTO r FROM (
        SELECT DISTINCT organisation_id, member_id FROM new_lines WHERE member_id IS NOT NULL) n
      WHERE NOT EXISTS (SELECT 1 FROM members_member m WHERE m.id = n.member_id
                        AND m.organisation_id = n.organisation_id)
      LIMIT 1;
      IF FOUND THEN
        RAISE EXCEPTION '{MSG_MEMBER}: member %', r.member_id USING ERRCODE = '23503';
      END IF;
"""


def _keys(action: str) -> str:
    """A DO block that drops (or, going back, adds) the line's foreign keys on KEY_COLUMNS."""
    if action == "drop":
        return f"""DO $$ DECLARE c record; BEGIN
      FOR c IN SELECT k.conname FROM pg_constraint k
               JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey)
               WHERE k.conrelid = 'ledger_journalline'::regclass AND k.contype = 'f'
                 AND a.attname IN ({", ".join(f"'{c}'" for c in KEY_COLUMNS)}) LOOP
        EXECUTE format('ALTER TABLE ledger_journalline DROP CONSTRAINT %I', c.conname);
      END LOOP; END $$"""
    targets = {"entry_id": "ledger_journalentry", **{c: t for t, c in REFERENCED}}
    return "; ".join(
        f"ALTER TABLE ledger_journalline ADD CONSTRAINT ledger_journalline_{c}_fk FOREIGN KEY ({c}) "
        f"REFERENCES {targets[c]} (id) DEFERRABLE INITIALLY DEFERRED" for c in KEY_COLUMNS)


PG_UP = [
    _keys("drop"),
    LINES_FUNCTION.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION").replace(END, MEMBER_CHECK + END),
    f"""CREATE FUNCTION ledger_refuse_delete_referenced() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE found_line boolean;
    BEGIN
      EXECUTE format('SELECT EXISTS (SELECT 1 FROM ledger_journalline WHERE %I = $1)', TG_ARGV[0])
        INTO found_line USING OLD.id;
      IF found_line THEN
        RAISE EXCEPTION '{MSG_REFERENCED}: % %', TG_TABLE_NAME, OLD.id USING ERRCODE = '23503';
      END IF;
      RETURN OLD;
    END $$""",
    *(f"""CREATE TRIGGER ledger_lines_refer_{table} BEFORE DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_delete_referenced('{column}')""" for table, column in REFERENCED),
]

PG_DOWN = [
    *(f"DROP TRIGGER ledger_lines_refer_{table} ON {table}" for table, _ in REFERENCED),
    "DROP FUNCTION ledger_refuse_delete_referenced()",
    LINES_FUNCTION.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION"),
    _keys("add"),
]


class Migration(migrations.Migration):
    dependencies = [("ledger", "0004_indexes_that_lead"), ("members", "0001_initial")]

    operations = [
        migrations.RunPython(initial._run({"postgresql": PG_UP}), initial._run({"postgresql": PG_DOWN})),
    ]
