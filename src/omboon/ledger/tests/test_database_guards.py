"""The database itself refuses to change the books, whatever code (or person) sends the SQL."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from omboon.ledger import services
from omboon.ledger.models import JournalEntry, JournalLine
from omboon.members import services as members
from omboon.members.tests.helpers import row
from omboon.orgs.models import Role
from omboon.testing.factories import make_group, make_user

from .conftest import journal

D = dt.date(2024, 3, 5)


def _raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_raw_update_of_a_posted_line_is_refused(post):
    entry = post(D, "Dr 1100 50\nCr 4100 50")
    with pytest.raises(IntegrityError, match="immutable"):
        _raw("UPDATE ledger_journalline SET debit = debit + 100 WHERE entry_id = %s", [entry.pk])
    with pytest.raises(IntegrityError, match="immutable"):
        _raw("UPDATE ledger_journalentry SET memo = 'x' WHERE id = %s", [entry.pk])
    assert sorted(JournalLine.objects.filter(entry=entry).values_list("debit", flat=True)) == [0, 5000]


def test_raw_delete_of_a_posted_line_is_refused(post):
    entry = post(D, "Dr 1100 50\nCr 4100 50")
    with pytest.raises(IntegrityError, match="immutable"):
        _raw("DELETE FROM ledger_journalline WHERE entry_id = %s", [entry.pk])
    with pytest.raises(IntegrityError, match="immutable"):
        _raw("DELETE FROM ledger_journalentry WHERE id = %s", [entry.pk])
    assert JournalLine.objects.filter(entry=entry).count() == 2


def test_raw_insert_into_a_closed_month_is_refused(post, group, treasurer):
    entry = post(dt.date(2024, 1, 10), "Dr 1100 50\nCr 4100 50")
    services.period_close(actor=treasurer, organisation=group, year=2024, month=1)
    line = entry.lines.first()
    with pytest.raises(IntegrityError, match="closed"):
        _raw("INSERT INTO ledger_journalline (organisation_id, entry_id, date, account_id, fund_id, debit, credit, "
             "memo)"
             " VALUES (%s, %s, %s, %s, %s, 100, 0, '')",
             [group.pk, entry.pk, "2024-01-10", line.account_id, line.fund_id])


def test_raw_line_of_another_group_is_refused(post, group, tree):
    entry = post(D, "Dr 1100 50\nCr 4100 50")
    other = post(D, "Dr 1100 50\nCr 4100 50", org=tree.group_b).lines.first()
    with pytest.raises(IntegrityError, match=r"another group|does not match"):
        _raw("INSERT INTO ledger_journalline (organisation_id, entry_id, date, account_id, fund_id, debit, credit, "
             "memo)"
             " VALUES (%s, %s, %s, %s, %s, 100, 0, '')",
             [group.pk, entry.pk, D.isoformat(), other.account_id, other.fund_id])


# PostgreSQL only: there the keys of a line are checked by the ledger's triggers (ledger 0005);
# SQLite keeps Django's foreign keys, which are deferred to the commit a rolled-back test never reaches.
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="ledger 0005 is PostgreSQL's")


def _insert_entry_for(group, like, member_id):
    """A new balanced entry of 1 baht, its credit line naming a member: raw SQL, one statement a table."""
    debit, credit = like.lines.order_by("id")
    _raw("INSERT INTO ledger_journalentry (organisation_id, date, doc_type, number, fiscal_year, memo, total,"
         " source_type, source_id, posted_at) VALUES (%s, %s, 'journal', 998, 2024, 'raw', 100, '', '', %s);"
         " INSERT INTO ledger_journalline (organisation_id, entry_id, date, account_id, fund_id, member_id, debit,"
         " credit, memo) VALUES (%s, currval(pg_get_serial_sequence('ledger_journalentry', 'id')), %s, %s, %s,"
         " NULL, 100, 0, ''), (%s, currval(pg_get_serial_sequence('ledger_journalentry', 'id')), %s, %s, %s, %s,"
         " 0, 100, '')",
         [group.pk, D.isoformat(), "2024-03-05 00:00:00",
          group.pk, D.isoformat(), debit.account_id, debit.fund_id,
          group.pk, D.isoformat(), credit.account_id, credit.fund_id, member_id])


@postgresql_only
def test_raw_line_of_a_member_who_does_not_exist_or_is_of_another_group_is_refused(post, group, tree):
    like = post(D, "Dr 1100 50\nCr 4100 50")
    stranger = members.member_create(actor=None, organisation=tree.group_b, **row(7))
    for member_id in (987654, stranger.pk):
        with pytest.raises(IntegrityError, match="member of another group"):
            _insert_entry_for(group, like, member_id)
    assert not JournalEntry.objects.filter(number=998).exists()
    own = members.member_create(actor=None, organisation=group, **row(8))
    _insert_entry_for(group, like, own.pk)
    assert JournalEntry.objects.get(number=998).lines.get(credit=100).member == own


@postgresql_only
def test_raw_delete_of_an_account_fund_member_or_group_that_lines_refer_to_is_refused(group, treasurer):
    member = members.member_create(actor=None, organisation=group, **row(8))
    lines = journal("Dr 1100 50\nCr 4100 50")
    lines[1].member = member
    entry = services.entry_post(actor=treasurer, organisation=group, date=D, doc_type="journal", lines=lines)
    line = entry.lines.get(member=member)
    for table, pk in [("ledger_account", line.account_id), ("ledger_fund", line.fund_id),
                      ("members_member", member.pk), ("orgs_organisation", group.pk)]:
        with pytest.raises(IntegrityError, match="journal lines refer to this row"):
            _raw(f"DELETE FROM {table} WHERE id = %s", [pk])
    assert entry.lines.count() == 2


@postgresql_only
def test_postgresql_checks_a_lines_references_by_statement_not_by_foreign_keys(db):
    """ledger 0005: the statement trigger checks entry, account, fund and member in the line's
    group, once per COPY; a foreign key put back by a later migration would cost five row
    checks a line at commit again (a synced group's push: 12 s → 20 s)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT conname FROM pg_constraint WHERE conrelid = 'ledger_journalline'::regclass"
                       " AND contype = 'f'")
        assert cursor.fetchall() == [], (
            "a foreign key on journal lines: check the new column in ledger_lines_inserted (once per "
            "statement) and refuse deleting what it refers to with ledger_refuse_delete_referenced instead")


def _insert_unbalanced(group, entry_like):
    """A new entry of 100 baht with only its debit line: raw SQL, bypassing the service."""
    line = entry_like.lines.first()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ledger_journalentry (organisation_id, date, doc_type, number, fiscal_year, memo, total,"
            " source_type, source_id, posted_at) VALUES (%s, %s, 'journal', 999, 2024, 'raw', 10000, '', '', %s)",
            [group.pk, D.isoformat(), "2024-03-05 00:00:00"])
        entry_id = JournalEntry.objects.get(number=999).pk
        cursor.execute(
            "INSERT INTO ledger_journalline (organisation_id, entry_id, date, account_id, fund_id, debit, credit, memo)"
            " VALUES (%s, %s, %s, %s, %s, 10000, 0, '')",
            [group.pk, entry_id, D.isoformat(), line.account_id, line.fund_id])
        return entry_id, line


# Real commits on PostgreSQL (the deferred check runs at COMMIT); a rolled-back test on SQLite.
@pytest.mark.django_db(transaction=connection.vendor == "postgresql")
def test_an_unbalanced_entry_never_stands():
    """PostgreSQL: a deferred constraint trigger refuses the unbalanced entry at COMMIT.
    SQLite (no deferred triggers): a line that pushes a posted entry beyond its total is refused
    at once, so a raw insert can never unbalance an entry the service posted."""
    group = make_group("PGB", "กลุ่มทดสอบ")
    treasurer = make_user(group, Role.TREASURER)
    sample = services.entry_post(actor=treasurer, organisation=group, date=D, doc_type="journal",
                                 lines=journal("Dr 1100 50\nCr 4100 50"))
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
            _insert_unbalanced(group, sample)
            # still inside the transaction: nothing has been checked yet
            assert JournalEntry.objects.filter(number=999).exists()
        assert not JournalEntry.objects.filter(number=999).exists()
        assert JournalEntry.objects.count() == 1
    else:
        line = sample.lines.first()
        with pytest.raises(IntegrityError, match="exceed"):
            _raw("INSERT INTO ledger_journalline (organisation_id, entry_id, date, account_id, fund_id, debit,"
                 " credit, memo) VALUES (%s, %s, %s, %s, %s, 10000, 0, '')",
                 [group.pk, sample.pk, D.isoformat(), line.account_id, line.fund_id])
        assert sample.lines.count() == 2


@pytest.mark.django_db(transaction=True)
def test_transactional_tests_can_still_empty_the_database_between_tests():
    """Django's flush (TRUNCATE on PostgreSQL; DELETE on SQLite, with the guard lifted for
    that one command) empties the books after this test, and the guard is armed again."""
    group = make_group("FLU", "กลุ่มทดสอบ")
    entry = services.entry_post(actor=None, organisation=group, date=D, doc_type="journal",
                                lines=journal("Dr 1100 50\nCr 4100 50"))
    with pytest.raises(IntegrityError, match="immutable"):
        _raw("DELETE FROM ledger_journalline WHERE entry_id = %s", [entry.pk])
    from django.core.management import call_command
    call_command("flush", verbosity=0, interactive=False)
    assert not JournalLine.objects.exists()
    group = make_group("FLU", "กลุ่มทดสอบ")
    entry = services.entry_post(actor=None, organisation=group, date=D, doc_type="journal",
                                lines=journal("Dr 1100 50\nCr 4100 50"))
    with pytest.raises(IntegrityError, match="immutable"):
        _raw("DELETE FROM ledger_journalline WHERE entry_id = %s", [entry.pk])
