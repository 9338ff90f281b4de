"""The database's own rules for new lines, on both databases, and bulk posting under them.

Raw SQL stands for any code (or person) that goes around the services. Bulk posting
(``ledger.bulk.entries_post_bulk``) has the rules checked for its whole batch at once: by
statement-level triggers on PostgreSQL, by ``guards.batch_checked`` on SQLite. Where a test
makes a batch slip past the application's own checks (as a bug would), the database must still
refuse it, write nothing, and leave every trigger in place.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db import IntegrityError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omboon.core.errors import RuleViolation
from omboon.ledger import bulk, guards, rules, selectors, services
from omboon.ledger.bulk import BulkEntry, BulkLine, entries_post_bulk
from omboon.ledger.models import Account, DocumentSequence, Fund, JournalEntry, JournalLine
from omboon.testing.factories import committee_approval, make_group

from .conftest import journal

D = dt.date(2024, 3, 5)
LINE_SQL = ("INSERT INTO ledger_journalline (organisation_id, entry_id, date, account_id, fund_id, debit, credit,"
            " memo) VALUES (%s, %s, %s, %s, %s, %s, %s, '')")


def _raw_line(org_id, entry_id, day, account_id, fund_id, debit=0, credit=0):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(LINE_SQL, [org_id, entry_id, day.isoformat(), account_id, fund_id, debit, credit])


def _account(org, code):
    return Account.objects.get(organisation=org, code=code)


def _fund(org):
    return Fund.objects.get(organisation=org, is_default=True)


def _triggers() -> list[tuple[str, str]]:
    """The ledger's triggers as the schema holds them (name and definition)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'ledger%%'"
                           " ORDER BY name")
        else:
            cursor.execute("SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal"
                           " AND tgrelid::regclass::text LIKE 'ledger%%' ORDER BY tgname")
        return cursor.fetchall()


def _receipts(org, day, amounts, *, key="r", cash="1100", income="4300"):
    """One receipt entry per amount: Dr cash, Cr income, in the group's default fund."""
    fund = _fund(org)
    cash, income = _account(org, cash), _account(org, income)
    return [BulkEntry(date=day, doc_type="receipt", memo=f"รับเงิน {i}", idempotency_key=f"{key}-{i}",
                      lines=[BulkLine(account=cash, fund=fund, debit=amount),
                             BulkLine(account=income, fund=fund, credit=amount)])
            for i, amount in enumerate(amounts)]


# --- raw SQL: each rule, refused ----------------------------------------------------------------

def test_a_line_in_a_closed_month_is_refused(post, group, treasurer):
    entry = post(dt.date(2024, 1, 10), "Dr 1100 50\nCr 4100 50")
    services.period_close(actor=treasurer, organisation=group, year=2024, month=1)
    with pytest.raises(IntegrityError, match="closed"):
        _raw_line(group.pk, entry.pk, dt.date(2024, 1, 10), _account(group, "1100").pk, _fund(group).pk, debit=1)


def test_a_line_dated_otherwise_than_its_entry_is_refused(post, group):
    entry = post(D, "Dr 1100 50\nCr 4100 50")
    with pytest.raises(IntegrityError, match="does not match"):
        _raw_line(group.pk, entry.pk, D + dt.timedelta(days=1), _account(group, "1100").pk, _fund(group).pk, debit=1)


def test_a_line_of_another_group_than_its_entry_is_refused(post, group, tree):
    entry = post(D, "Dr 1100 50\nCr 4100 50")
    other = tree.group_b
    with pytest.raises(IntegrityError, match="does not match"):
        _raw_line(other.pk, entry.pk, D, _account(other, "1100").pk, _fund(other).pk, debit=1)


def test_an_account_or_a_fund_of_another_group_is_refused(post, group, tree):
    entry = post(D, "Dr 1100 50\nCr 4100 50")
    other = tree.group_b
    with pytest.raises(IntegrityError, match="another group"):
        _raw_line(group.pk, entry.pk, D, _account(other, "1100").pk, _fund(group).pk, debit=1)
    with pytest.raises(IntegrityError, match="another group"):
        _raw_line(group.pk, entry.pk, D, _account(group, "1100").pk, _fund(other).pk, debit=1)


@pytest.mark.parametrize("side", ["debit", "credit"])
def test_a_line_added_later_to_a_posted_entry_is_refused_at_once(post, group, side):
    """A posted entry balances (debits = credits = total): any further line, on either side,
    takes that side beyond the total, and the database refuses it at once."""
    entry = post(D, "Dr 1100 50\nCr 4100 50")
    amounts = {"debit": 1, "credit": 0} if side == "debit" else {"debit": 0, "credit": 1}
    with pytest.raises(IntegrityError, match="exceed"):
        _raw_line(group.pk, entry.pk, D, _account(group, "1100").pk, _fund(group).pk, **amounts)
    assert entry.lines.count() == 2


@pytest.mark.parametrize("side", ["debit", "credit"])
def test_several_lines_added_in_one_statement_are_refused_together(post, group, side):
    """One INSERT of two lines (one per side) keeps debits = credits but both beyond the total."""
    entry = post(D, "Dr 1100 50\nCr 4100 50")
    a, f = _account(group, "1100").pk, _fund(group).pk
    rows = [(group.pk, entry.pk, D.isoformat(), a, f, 100, 0), (group.pk, entry.pk, D.isoformat(), a, f, 0, 100)]
    if side == "credit":
        rows.reverse()
    with pytest.raises(IntegrityError, match="exceed"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO ledger_journalline (organisation_id, entry_id, date, account_id, fund_id, debit,"
                       " credit, memo) VALUES (%s, %s, %s, %s, %s, %s, %s, ''), (%s, %s, %s, %s, %s, %s, %s, '')",
                       [*rows[0], *rows[1]])
    assert entry.lines.count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("case", ["credits short of debits", "one line"])
def test_a_bulk_entry_that_does_not_balance_never_commits(case):
    """Debits 100 baht and credits 90, or a lone debit line of 100: neither side is beyond the
    total (100), so nothing stops it while the transaction runs on PostgreSQL — the deferred
    check (two lines or more, debits = credits = total) refuses it at COMMIT. On SQLite, the
    batch check refuses it before the batch ends. Either way nothing is written. (A raw
    unbalanced entry at commit: test_database_guards.test_an_unbalanced_entry_never_stands.)"""
    group = make_group("UNB", "กลุ่มทดสอบ")
    fund = _fund(group)
    lines = [BulkLine(account=_account(group, "1100"), fund=fund, debit=10000)]
    if case == "credits short of debits":
        lines.append(BulkLine(account=_account(group, "4100"), fund=fund, credit=9000))
    entry = BulkEntry(date=D, doc_type="journal", memo="ไม่สมดุล", idempotency_key="unbalanced", lines=lines)
    with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
        _post_slipping_past(group, [entry])
    assert not JournalEntry.objects.exists()
    assert not JournalLine.objects.exists()


# --- bulk posting -------------------------------------------------------------------------------

def _post_slipping_past(org, entries, *checks):
    """Post as a bug would: with the named application checks (``rules``) finding nothing."""
    saved = {name: getattr(rules, name) for name in checks or ("check_amounts", "check_accounts", "check_open_date")}
    try:
        for name in saved:
            setattr(rules, name, lambda *args, **kwargs: [])
        return entries_post_bulk(actor=None, organisation=org, entries=entries, source=("test", "slip"))
    finally:
        for name, fn in saved.items():
            setattr(rules, name, fn)


def _books(org):
    return (JournalEntry.objects.filter(organisation=org).count(), JournalLine.objects.filter(organisation=org).count(),
            sorted(DocumentSequence.objects.filter(organisation=org).values_list("doc_type", "fiscal_year",
                                                                                 "last_number")))


def test_bulk_posts_a_batch_and_leaves_every_trigger_as_it_was(group):
    before = _triggers()
    assert entries_post_bulk(actor=None, organisation=group, entries=_receipts(group, D, [3000, 6000, 9000]),
                             source=("test", "1")) == 3
    assert _triggers() == before
    assert sorted(JournalEntry.objects.filter(organisation=group).values_list("number", "total")) == [
        (1, 3000), (2, 6000), (3, 9000)]
    assert JournalLine.objects.filter(organisation=group).count() == 6
    # the per-row guards are back: a line beyond a posted entry's total is refused at once
    entry = JournalEntry.objects.filter(organisation=group).first()
    with pytest.raises(IntegrityError, match="exceed"):
        _raw_line(group.pk, entry.pk, D, _account(group, "1100").pk, _fund(group).pk, debit=1)


def test_bulk_checks_the_books_not_only_the_batch(group, treasurer):
    """Idempotency keys already in the books are left out; a RuleViolation writes nothing."""
    entries_post_bulk(actor=None, organisation=group, entries=_receipts(group, D, [3000]), source=("test", "1"))
    assert entries_post_bulk(actor=None, organisation=group, entries=_receipts(group, D, [3000, 5000]),
                             source=("test", "2")) == 1
    services.period_close(actor=treasurer, organisation=group, year=2024, month=3)
    before = _books(group)
    with pytest.raises(RuleViolation):
        entries_post_bulk(actor=None, organisation=group, entries=_receipts(group, D, [100], key="late"),
                          source=("test", "3"))
    assert _books(group) == before


@pytest.mark.parametrize("case", ["closed month", "account of another group", "fund of another group",
                                  "credits beyond debits"])
def test_the_database_refuses_a_bad_batch_that_slipped_past_the_application(group, tree, treasurer, case):
    """Whatever the application misses, the database refuses the batch at once; the
    caller catches the error and goes on in the same transaction: nothing of the batch is
    written, document numbers are not taken, and the triggers are all still there."""
    fund, other = _fund(group), tree.group_b
    cash, income = _account(group, "1100"), _account(group, "4300")
    good = _receipts(group, D, [3000, 6000], key="good")
    day, lines = D, [BulkLine(account=cash, fund=fund, debit=500), BulkLine(account=income, fund=fund, credit=500)]
    expected = {"closed month": "closed", "account of another group": "another group",
                "fund of another group": "another group", "credits beyond debits": "exceed|does not balance"}[case]
    if case == "closed month":
        post_day = dt.date(2024, 1, 10)
        services.entry_post(actor=treasurer, organisation=group, date=post_day, doc_type="journal",
                            lines=journal("Dr 1100 50\nCr 4100 50"))
        services.period_close(actor=treasurer, organisation=group, year=2024, month=1)
        day = post_day
    elif case == "account of another group":
        lines[1] = BulkLine(account=_account(other, "4300"), fund=fund, credit=500)
    elif case == "fund of another group":
        lines[1] = BulkLine(account=income, fund=_fund(other), credit=500)
    else:  # credits beyond debits: the entry's total is its debits
        lines[1] = BulkLine(account=income, fund=fund, credit=600)
    bad = BulkEntry(date=day, doc_type="receipt", memo="ผิด", idempotency_key="bad", lines=lines)
    before, triggers = _books(group), _triggers()
    with transaction.atomic():
        with pytest.raises(IntegrityError, match=expected):
            _post_slipping_past(group, [*good, bad])
        # still in the caller's transaction, which goes on
        assert _books(group) == before
        assert _triggers() == triggers
    assert _books(group) == before
    # and the next batch posts as usual
    assert entries_post_bulk(actor=None, organisation=group, entries=good, source=("test", "again")) == 2


def test_an_error_in_the_middle_of_a_batch_leaves_the_triggers_in_place(group, monkeypatch):
    """Entries written, then the lines' insert fails (here: a bug): the savepoint rolls back the
    entries and, on SQLite, the lifted triggers come back with it."""
    triggers, before = _triggers(), _books(group)
    real_insert = bulk.insert_rows

    def failing(table, columns, rows):
        if table == JournalLine._meta.db_table:
            raise RuntimeError("the disk is full")
        real_insert(table, columns, rows)

    monkeypatch.setattr(bulk, "insert_rows", failing)
    with transaction.atomic():
        with pytest.raises(RuntimeError, match="disk"):
            entries_post_bulk(actor=None, organisation=group, entries=_receipts(group, D, [3000]),
                              source=("test", "1"))
        assert _books(group) == before
        assert _triggers() == triggers
        entry = services.entry_post(actor=None, organisation=group, date=D, doc_type="journal",
                                    lines=journal("Dr 1100 50\nCr 4100 50"))
        with pytest.raises(IntegrityError, match="exceed"):
            _raw_line(group.pk, entry.pk, D, _account(group, "1100").pk, _fund(group).pk, credit=1)


def test_the_batch_check_sees_every_line_of_an_entry_it_touches(group, treasurer):
    """``guards.batch_checked`` checks all lines of each entry a batch touches, old ones too:
    lines added to an entry posted before, even two that balance each other, are refused."""
    entry = services.entry_post(actor=treasurer, organisation=group, date=D, doc_type="journal",
                                lines=journal("Dr 1100 50\nCr 4100 50"))
    a, f = _account(group, "1100").pk, _fund(group).pk
    with (pytest.raises(IntegrityError, match=r"exceed|does not balance"), guards.batch_checked(connection),
          connection.cursor() as cursor):
        cursor.executemany(LINE_SQL, [[group.pk, entry.pk, D.isoformat(), a, f, 700, 0],
                                      [group.pk, entry.pk, D.isoformat(), a, f, 0, 700]])
    assert entry.lines.count() == 2


# --- the property: whatever balanced batches, the books stay balanced and add up -----------------

CODES = ["1100", "1200", "2300", "4100", "4300", "5120", "5200"]
legs = st.lists(st.tuples(st.sampled_from(CODES), st.integers(min_value=1, max_value=2_000_000)),
                min_size=1, max_size=4)
entry_specs = st.tuples(st.integers(min_value=0, max_value=90), legs, legs)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=st.lists(st.lists(entry_specs, min_size=1, max_size=8), min_size=1, max_size=3))
def test_random_balanced_batches_keep_the_trial_balance_at_zero(batches):
    """Each entry: some debit legs and some credit legs, the credits scaled so both sides add up
    to the same total. After the batches: debits = credits in the trial balance, and each
    account's balance is the sum of what the batches put on it."""
    with transaction.atomic():
        group = make_group("PROP", "กลุ่มทดสอบ")
        accounts = {a.code: a for a in Account.objects.filter(organisation=group, code__in=CODES)}
        fund = _fund(group)
        approval = committee_approval(group)  # batches that take cash out come approved
        expected: Counter[str] = Counter()
        posted_total = 0
        for b, batch in enumerate(batches):
            entries = []
            for i, (day_offset, debits, credits) in enumerate(batch):
                total = sum(amount for _, amount in debits)
                credit_amounts = _split(total, [amount for _, amount in credits])
                lines = [BulkLine(account=accounts[code], fund=fund, debit=amount) for code, amount in debits]
                lines += [BulkLine(account=accounts[code], fund=fund, credit=amount)
                          for (code, _), amount in zip(credits, credit_amounts) if amount]
                for code, amount in debits:
                    expected[code] += amount
                for (code, _), amount in zip(credits, credit_amounts):
                    expected[code] -= amount
                entries.append(BulkEntry(date=dt.date(2024, 1, 1) + dt.timedelta(days=day_offset),
                                         doc_type="journal", memo=f"ชุด {b} รายการ {i}",
                                         idempotency_key=f"{b}-{i}", lines=lines))
                posted_total += total
            assert entries_post_bulk(actor=None, organisation=group, entries=entries,
                                     source=("test", str(b)), approval=approval) == len(entries)
        tb = selectors.trial_balance(group, dt.date(2024, 12, 31))
        assert tb.total_debit == tb.total_credit
        assert {r.account.code: r.debit - r.credit for r in tb.rows} == {c: v for c, v in expected.items() if v}
        assert sum(JournalEntry.objects.filter(organisation=group).values_list("total", flat=True)) == posted_total
        transaction.set_rollback(True)


def _split(total: int, weights: list[int]) -> list[int]:
    """``total`` in parts proportional to ``weights`` (whole satang, the last part takes the rest)."""
    parts = [total * w // sum(weights) for w in weights[:-1]]
    return [*parts, total - sum(parts)]
