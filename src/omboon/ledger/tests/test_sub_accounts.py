"""Members' sub-accounts: the member-account dimension of lines on 2100/2110/2120/3400.

Somchai keeps a voluntary savings account (2110, number S-0001) in Ban Don Chai. Every line on
2110 names it; its balance is the sum of its lines; every posting path (one entry, a voucher,
a bulk batch, a reversal) checks the same rule, and the database refuses a line whose
sub-account is of another group or account.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from omboon.core.errors import RuleViolation
from omboon.ledger import chart, selectors, services
from omboon.ledger.bulk import BulkEntry, BulkLine, entries_post_bulk
from omboon.ledger.models import Account, Fund, JournalLine, SubAccount
from omboon.ledger.services import Line
from omboon.members import services as members
from omboon.members.tests.helpers import row
from omboon.testing.factories import committee_approval

D = dt.date(2024, 3, 5)


@pytest.fixture
def somchai(group):
    return members.member_create(actor=None, organisation=group, **row(1))


@pytest.fixture
def savings(group, somchai, treasurer):
    return services.sub_account_open(actor=treasurer, organisation=group, account=chart.VOLUNTARY_SAVINGS,
                                     member=somchai, number="S-0001", opened_on=D, kind="savings:voluntary")


def deposit(group, treasurer, sub, satang, day=D, **kw):
    return services.entry_post(actor=treasurer, organisation=group, date=day, doc_type="receipt", lines=[
        Line(account=chart.CASH, debit=satang), Line(account=chart.VOLUNTARY_SAVINGS, credit=satang, sub_account=sub)],
        memo="ฝากเงิน", **kw)


def messages(excinfo) -> str:
    return " | ".join(f"{p.message_th} / {p.message_en}" for p in excinfo.value.problems)


def test_the_standard_chart_has_the_savings_loans_and_year_end_accounts(group):
    codes = set(Account.objects.filter(organisation=group).values_list("code", flat=True))
    assert {"1320", "2110", "2120", "2400", "2410", "3400", "4710", "4720", "5500"} <= codes
    assert Account.objects.get(organisation=group, code="3400").type == "equity"
    assert {"2100", "2110", "2120", "3400"} == chart.SUB_ACCOUNTED


def test_a_deposit_names_the_members_account_and_its_balance_is_its_lines(group, treasurer, savings, somchai):
    entry = deposit(group, treasurer, savings, 50_000)
    line = entry.lines.get(sub_account=savings)
    assert line.member == somchai  # filled from the sub-account
    deposit(group, treasurer, savings, 20_000, day=D + dt.timedelta(days=3))
    assert selectors.sub_account_balance(savings) == 70_000
    assert selectors.sub_account_balance(savings, as_of=D) == 50_000
    assert selectors.sub_account_balances(group) == {savings.pk: 70_000}
    opening, lines = selectors.sub_account_lines(savings, start=D + dt.timedelta(days=1))
    assert opening == 50_000
    assert [(ln.deposit, ln.withdrawal, ln.balance) for ln in lines] == [(20_000, 0, 70_000)]


def test_a_line_on_a_per_member_account_without_its_sub_account_is_refused(group, treasurer):
    with pytest.raises(RuleViolation) as excinfo:
        services.entry_post(actor=treasurer, organisation=group, date=D, doc_type="receipt", lines=[
            Line(account=chart.CASH, debit=100), Line(account=chart.VOLUNTARY_SAVINGS, credit=100)])
    assert "ต้องระบุบัญชีเงินฝากหรือหุ้นของสมาชิก" in messages(excinfo)
    assert "is kept per member" in messages(excinfo)
    assert not JournalLine.objects.filter(organisation=group).exists()


def test_an_opening_trial_balance_may_carry_savings_in_total(group, treasurer):
    """The opening-balances import brings a paper ledger's 2100 as one line: no member's yet."""
    entry = services.entry_post(actor=treasurer, organisation=group, date=D, doc_type="opening", lines=[
        Line(account=chart.CASH, debit=900_00), Line(account=chart.SAVINGS_DEPOSITS, credit=900_00)])
    assert entry.lines.filter(sub_account__isnull=True).count() == 2


def test_a_sub_account_must_be_under_the_lines_account_and_of_its_member(group, treasurer, savings, tree):
    other = members.member_create(actor=None, organisation=group, **row(2))
    cases = [
        ([Line(account=chart.CASH, debit=100), Line(account=chart.FIXED_DEPOSITS, credit=100, sub_account=savings)],
         "is not under account 2120"),
        ([Line(account=chart.CASH, debit=100), Line(account=chart.VOLUNTARY_SAVINGS, credit=100,
                                                    sub_account=savings, member=other)],
         "belongs to another member"),
        ([Line(account=chart.CASH, debit=100), Line(account=chart.ENTRY_FEES, credit=100, sub_account=savings)],
         "takes no sub-account"),
    ]
    for lines, english in cases:
        with pytest.raises(RuleViolation) as excinfo:
            services.entry_post(actor=treasurer, organisation=group, date=D, doc_type="receipt", lines=lines)
        assert english in messages(excinfo)
    stranger = members.member_create(actor=None, organisation=tree.group_b, **row(3))
    with pytest.raises(RuleViolation) as excinfo:
        services.entry_post(actor=treasurer, organisation=tree.group_b, date=D, doc_type="receipt", lines=[
            Line(account=chart.CASH, debit=100),
            Line(account=chart.VOLUNTARY_SAVINGS, credit=100, sub_account=savings, member=stranger)])
    assert "another group" in messages(excinfo)


def test_opening_a_sub_account_is_checked(group, treasurer, savings, somchai):
    with pytest.raises(RuleViolation) as excinfo:
        services.sub_account_open(actor=treasurer, organisation=group, account=chart.CASH, member=somchai,
                                  number="S-0001", opened_on=D)
    text = messages(excinfo)
    assert "account 1100 is not kept per member" in text and "account number S-0001 exists" in text
    assert SubAccount.objects.filter(organisation=group).count() == 1


def test_a_reversal_takes_the_sub_account_with_it(group, treasurer, savings):
    entry = deposit(group, treasurer, savings, 30_000)
    services.entry_reverse(actor=treasurer, entry=entry, date=D, reason="ผิดบัญชี")
    assert selectors.sub_account_balance(savings) == 0
    assert JournalLine.objects.filter(sub_account=savings).count() == 2


def test_a_voucher_keeps_the_sub_account_to_its_entry(group, treasurer, committee, savings):
    deposit(group, treasurer, savings, 30_000)
    voucher = services.voucher_create(actor=treasurer, organisation=group, kind="payment", date=D, memo="ถอนเงิน",
                                      lines=[Line(account=chart.VOLUNTARY_SAVINGS, debit=10_000, sub_account=savings),
                                             Line(account=chart.CASH, credit=10_000)])
    services.voucher_approve(actor=committee, voucher=voucher)
    services.voucher_post(actor=treasurer, voucher=voucher)
    assert selectors.sub_account_balance(savings) == 20_000
    with pytest.raises(RuleViolation, match="sub_account"):
        services.voucher_create(actor=treasurer, organisation=group, kind="payment", date=D, memo="ถอนเงิน",
                                lines=[Line(account=chart.VOLUNTARY_SAVINGS, debit=10_000),
                                       Line(account=chart.CASH, credit=10_000)])


def test_bulk_posting_runs_the_same_rule_and_writes_the_sub_account(group, treasurer, savings):
    cash = Account.objects.get(organisation=group, code=chart.CASH)
    vol = Account.objects.get(organisation=group, code=chart.VOLUNTARY_SAVINGS)
    fund = Fund.objects.get(organisation=group, is_default=True)

    def batch(sub, key):
        return [BulkEntry(D, "receipt", "ฝาก", key, [BulkLine(cash, fund, debit=500),
                                                    BulkLine(vol, fund, credit=500, sub_account=sub)])]

    with pytest.raises(RuleViolation, match="sub_account"):
        entries_post_bulk(actor=treasurer, organisation=group, entries=batch(None, "b1"), source=("test", "1"))
    assert entries_post_bulk(actor=treasurer, organisation=group, entries=batch(savings, "b2"),
                             source=("test", "2")) == 1
    assert selectors.sub_account_balance(savings) == 500


def _raw_entry_with_sub_account(group, account, sub_account_id):
    """A new balanced entry of 1 baht (Dr cash, Cr ``account`` naming the sub-account): raw SQL."""
    cash = Account.objects.get(organisation=group, code=chart.CASH)
    fund = Fund.objects.get(organisation=group, is_default=True)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO ledger_journalentry (organisation_id, date, doc_type, number, fiscal_year, memo,"
                       " total, source_type, source_id, posted_at) VALUES (%s, %s, 'journal', 997, 2024, 'raw', 100,"
                       " '', '', %s) RETURNING id", [group.pk, D.isoformat(), "2024-03-05 00:00:00"])
        entry_id = cursor.fetchone()[0]
        cursor.execute("INSERT INTO ledger_journalline (organisation_id, entry_id, date, account_id, fund_id, debit,"
                       " credit, memo, sub_account_id) VALUES (%s, %s, %s, %s, %s, 100, 0, '', NULL),"
                       " (%s, %s, %s, %s, %s, 0, 100, '', %s)",
                       [group.pk, entry_id, D.isoformat(), cash.pk, fund.pk,
                        group.pk, entry_id, D.isoformat(), account.pk, fund.pk, sub_account_id])


def test_the_database_refuses_a_sub_account_of_another_account_or_group(group, savings, tree, treasurer):
    fixed = Account.objects.get(organisation=group, code=chart.FIXED_DEPOSITS)
    with pytest.raises(IntegrityError, match="sub-account of another group or account"):
        _raw_entry_with_sub_account(group, fixed, savings.pk)
    b_member = members.member_create(actor=None, organisation=tree.group_b, **row(4))
    b_savings = services.sub_account_open(actor=treasurer, organisation=tree.group_b, account="2110",
                                          member=b_member, number="S-0001", opened_on=D)
    vol = Account.objects.get(organisation=group, code=chart.VOLUNTARY_SAVINGS)
    with pytest.raises(IntegrityError, match="sub-account of another group or account"):
        _raw_entry_with_sub_account(group, vol, b_savings.pk)
    _raw_entry_with_sub_account(group, vol, savings.pk)
    assert selectors.sub_account_balance(savings) == 100


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ledger 0005/0006 are PostgreSQL's")
def test_postgresql_refuses_deleting_a_sub_account_that_lines_name(group, treasurer, savings):
    deposit(group, treasurer, savings, 100)
    with pytest.raises(IntegrityError, match="journal lines refer to this row"), \
            transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM ledger_subaccount WHERE id = %s", [savings.pk])
    assert SubAccount.objects.filter(pk=savings.pk).exists()


def test_no_posting_takes_a_members_account_below_zero_a_reversal_included(group, treasurer, savings):
    """Somchai deposits 300 and takes 250 out: reversing the deposit now would leave -250."""
    first = deposit(group, treasurer, savings, 300_00)
    approval = committee_approval(group, maker=treasurer)
    services.entry_post(actor=treasurer, organisation=group, date=D, doc_type="payment", approval=approval, lines=[
        Line(account=chart.VOLUNTARY_SAVINGS, debit=250_00, sub_account=savings), Line(account=chart.CASH,
                                                                                        credit=250_00)])
    with pytest.raises(RuleViolation) as excinfo:
        services.entry_reverse(actor=treasurer, entry=first, date=D, reason="ผิด")
    assert "account S-0001 would go below zero (-25000 satang)" in messages(excinfo)
    with pytest.raises(RuleViolation, match="sub_account"):
        services.entry_post(actor=treasurer, organisation=group, date=D, doc_type="payment", approval=approval,
                            lines=[Line(account=chart.VOLUNTARY_SAVINGS, debit=50_01, sub_account=savings),
                                   Line(account=chart.CASH, credit=50_01)])
    assert selectors.sub_account_balance(savings) == 50_00
