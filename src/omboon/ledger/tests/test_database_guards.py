"""The database itself refuses to change the books, whatever code (or person) sends the SQL."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from omboon.ledger import services
from omboon.ledger.models import JournalEntry, JournalLine
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
