"""PostgreSQL: the insert checks of 0002, set-based once per statement instead of once per row.

Before: a BEFORE INSERT row trigger on entries (closed month) and on lines (closed month; the
line's group and date are its entry's; account and fund of the line's group), and a DEFERRED
row trigger on BOTH entries and lines re-summing the entry's lines at commit. A COPY of n lines
ran n plpgsql calls at once and n re-sums at commit, each over all lines of its entry —
quadratic in lines per entry, far too slow for bulk history (millions of rows).

Now:

- ``ledger_journalentry_inserted`` and ``ledger_journalline_inserted``: AFTER INSERT ... FOR
  EACH STATEMENT triggers with transition tables (``REFERENCING NEW TABLE``). One statement —
  one INSERT, one ``bulk_create`` batch, one COPY — is checked with one join per rule: nothing
  in a closed month (per group, the statement's earliest date against the closed periods:
  some row is in a closed month exactly when the earliest one is); every line's group and date
  are its entry's; accounts and funds of the line's group; and, for every entry the statement's
  lines touch, the sum of ALL its lines (not only the new ones) is within its total on each
  side: SUM(debit) <= total AND SUM(credit) <= total. An exception aborts the statement, as the
  BEFORE row triggers did.
- ``ledger_journalentry_balanced`` (0002) stays: DEFERRED, per entry inserted, it checks at
  commit that the entry has two lines or more and debits = credits = total.
- ``ledger_journalline_balanced`` (the per-line re-sum at commit) is dropped.
- The UPDATE/DELETE triggers (``ledger_refuse_change``) are unchanged.

Why this is exactly as strong as before. What 0002 guaranteed at commit: every entry inserted
in the transaction, and every entry a line inserted in the transaction belongs to, has two
lines or more and debits = credits = total. The first set is checked as before, by the
deferred entry trigger. Take an entry of the second set that was not inserted in this
transaction: it was committed earlier, so it was balanced at its commit (debits = credits =
total), and lines are never updated or deleted. Every line has exactly one positive side
(``ledger_line_one_side_positive``), so any line added to it takes its debits or its credits
above the total, and the statement-level check refuses that statement at once. So no line of
this transaction belongs to such an entry, and the guarantee holds with nothing more to check.
(The converse also holds: nothing 0002 allowed is refused now. An entry that is balanced at
commit never has a side above its total at any moment, since lines only add.)

The joins go entry by entry through primary keys (a LEFT JOIN on ``e.id``, a LATERAL sum over
the entry's lines by their ``entry_id`` index): a transition table has no statistics, and the
planner, left to choose, once scanned every entry of a collection day's date (3,000 sharing one
date: 1.4 s per statement) or every line of the group for the sums.

SQLite: nothing here; its row triggers stay, lifted only inside ``guards.batch_checked``.
"""

import importlib

from django.db import migrations

initial = importlib.import_module("omboon.ledger.migrations.0002_immutability_triggers")
MSG_CLOSED, MSG_ENTRY, MSG_GROUP, MSG_TOTAL = initial.MSG_CLOSED, initial.MSG_ENTRY, initial.MSG_GROUP, initial.MSG_TOTAL

MONTH = "(EXTRACT(YEAR FROM {d})::int * 12 + EXTRACT(MONTH FROM {d})::int)"


def closed_check(new_rows: str) -> str:
    return f"""
      SELECT f.organisation_id, f.first INTO r FROM (
        SELECT organisation_id, MIN(date) AS first FROM {new_rows} GROUP BY organisation_id) f
      WHERE EXISTS (SELECT 1 FROM ledger_period p WHERE p.organisation_id = f.organisation_id
                    AND p.status = 'closed' AND p.year * 12 + p.month >= {MONTH.format(d="f.first")})
      LIMIT 1;
      IF FOUND THEN
        RAISE EXCEPTION '{MSG_CLOSED}: group %, date %', r.organisation_id, r.first USING ERRCODE = '23514';
      END IF;"""


PG_UP = [
    "DROP TRIGGER ledger_journalentry_insert ON ledger_journalentry",
    "DROP TRIGGER ledger_journalline_insert ON ledger_journalline",
    "DROP TRIGGER ledger_journalline_balanced ON ledger_journalline",
    "DROP FUNCTION ledger_entry_insert_check()",
    "DROP FUNCTION ledger_line_insert_check()",
    f"""CREATE FUNCTION ledger_entries_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE r record;
    BEGIN
      {closed_check("new_entries")}
      RETURN NULL;
    END $$""",
    """CREATE TRIGGER ledger_journalentry_inserted AFTER INSERT ON ledger_journalentry
    REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_inserted()""",
    f"""CREATE FUNCTION ledger_lines_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE r record;
    BEGIN
      {closed_check("new_lines")}
      SELECT n.entry_id INTO r FROM (SELECT DISTINCT entry_id, organisation_id, date FROM new_lines) n
      LEFT JOIN ledger_journalentry e ON e.id = n.entry_id
      WHERE e.id IS NULL OR e.organisation_id <> n.organisation_id OR e.date <> n.date
      LIMIT 1;
      IF FOUND THEN
        RAISE EXCEPTION '{MSG_ENTRY}: entry %', r.entry_id USING ERRCODE = '23514';
      END IF;
      SELECT n.account_id, n.fund_id INTO r FROM (
        SELECT DISTINCT organisation_id, account_id, fund_id FROM new_lines) n
      WHERE NOT EXISTS (SELECT 1 FROM ledger_account a WHERE a.id = n.account_id
                        AND a.organisation_id = n.organisation_id)
         OR NOT EXISTS (SELECT 1 FROM ledger_fund f WHERE f.id = n.fund_id AND f.organisation_id = n.organisation_id)
      LIMIT 1;
      IF FOUND THEN
        RAISE EXCEPTION '{MSG_GROUP}: account %, fund %', r.account_id, r.fund_id USING ERRCODE = '23514';
      END IF;
      SELECT t.entry_id, s.debit, s.credit, e.total INTO r FROM (SELECT DISTINCT entry_id FROM new_lines) t
      JOIN ledger_journalentry e ON e.id = t.entry_id
      CROSS JOIN LATERAL (SELECT SUM(l.debit) AS debit, SUM(l.credit) AS credit FROM ledger_journalline l
                          WHERE l.entry_id = t.entry_id) s
      WHERE s.debit > e.total OR s.credit > e.total
      LIMIT 1;
      IF FOUND THEN
        RAISE EXCEPTION '{MSG_TOTAL}: entry %, debit %, credit %, total %', r.entry_id, r.debit, r.credit, r.total
          USING ERRCODE = '23514';
      END IF;
      RETURN NULL;
    END $$""",
    """CREATE TRIGGER ledger_journalline_inserted AFTER INSERT ON ledger_journalline
    REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION ledger_lines_inserted()""",
]


def _from_0002(*needles: str) -> list[str]:
    found = [s for s in initial.PG_UP if any(n in s for n in needles)]
    assert len(found) == len(needles), "0002's PostgreSQL statements are not as expected"
    return found


PG_DOWN = [
    "DROP TRIGGER ledger_journalline_inserted ON ledger_journalline",
    "DROP TRIGGER ledger_journalentry_inserted ON ledger_journalentry",
    "DROP FUNCTION ledger_lines_inserted()",
    "DROP FUNCTION ledger_entries_inserted()",
    *_from_0002("CREATE FUNCTION ledger_entry_insert_check()", "CREATE TRIGGER ledger_journalentry_insert ",
                "CREATE FUNCTION ledger_line_insert_check()", "CREATE TRIGGER ledger_journalline_insert ",
                "CREATE CONSTRAINT TRIGGER ledger_journalline_balanced "),
]


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_immutability_triggers")]

    operations = [
        migrations.RunPython(initial._run({"postgresql": PG_UP}), initial._run({"postgresql": PG_DOWN})),
    ]
