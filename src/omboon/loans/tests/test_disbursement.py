"""Paying a loan out (issue 17 item 3: "disburse (a payment voucher; or credited to savings)").

Worked examples on the savings group of ``savings/tests/conftest.py`` (SAJ compulsory สัจจะ, VOL
voluntary savings): Somchai (the first member) borrows 12,000 baht on 15 January 2024, 12
monthly instalments at 12% a year. Paid in cash the loan is a payment voucher (PV: Dr 1300, Cr
1100); credited to his voluntary account it is a journal voucher (JV: Dr 1300, Cr the account),
checked by savings' own deposit rules. Either way the voucher prints with the amount in Thai
words and the names of who paid, who approved and the borrower."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db.models import Sum

from omboon.core.errors import RuleViolation
from omboon.ledger.models import JournalLine
from omboon.ledger.services import Line, entry_post
from omboon.loans import services as loans
from omboon.loans.models import Loan, LoanProduct
from omboon.loans.tests.conftest import TERMS
from omboon.savings import selectors as savings_selectors
from omboon.savings import services as savings
from omboon.savings.tests.conftest import START, make_savings_group
from omboon.testing.i18n import in_english

D = dt.date
LENT_ON = D(2024, 1, 15)


@pytest.fixture
def sg(db):
    sg = make_savings_group()
    entry_post(actor=None, organisation=sg.group, date=D(2024, 1, 2), doc_type="receipt",
               lines=[Line(account="1100", debit=1_000_000_00), Line(account="4400", credit=1_000_000_00)])
    loans.product_create(actor=sg.chair, organisation=sg.group, code="GEN", name_th="เงินกู้สามัญ", terms=TERMS,
                         max_amount=50_000_00, effective_from=D(2024, 1, 1))
    return sg


def approved(sg, i: int = 0) -> Loan:
    loan = loans.loan_apply(actor=sg.treasurer, organisation=sg.group, member=sg.members[i],
                            product=LoanProduct.objects.get(organisation=sg.group, code="GEN"),
                            principal=12_000_00, purpose="ซื้อปุ๋ย", applied_on=D(2024, 1, 10))
    return loans.loan_approve(actor=sg.chair, loan=loan)


def voluntary(sg, i: int = 0):
    return savings.account_open(actor=sg.treasurer, organisation=sg.group, member=sg.members[i],
                                product=sg.products["VOL"], opened_on=START)


def net(qs) -> int:
    sums = qs.aggregate(d=Sum("debit"), c=Sum("credit"))
    return (sums["d"] or 0) - (sums["c"] or 0)


def test_a_loan_credited_to_savings_is_a_deposit_on_a_journal_voucher(sg):
    """No cash leaves the box: 1300 rises by 12,000 and so does Somchai's voluntary account."""
    account = voluntary(sg)
    loan = loans.loan_disburse(actor=sg.treasurer, loan=approved(sg), date=LENT_ON, into_savings=True)
    assert (loan.status, loan.disbursed_into) == ("disbursed", account.number)
    entry = loan.disbursement
    assert entry.doc_type == "journal" and entry.document_number.startswith("JV")
    assert sorted((ln.account.code, ln.debit, ln.credit) for ln in entry.lines.all()) == [
        ("1300", 12_000_00, 0), (account.sub_account.account.code, 0, 12_000_00)]
    assert net(JournalLine.objects.filter(organisation=sg.group, account__code="1100")) == 1_000_000_00
    assert savings_selectors.balance(account) == 12_000_00


def test_in_cash_it_is_a_payment_voucher(sg):
    voluntary(sg)
    loan = loans.loan_disburse(actor=sg.treasurer, loan=approved(sg), date=LENT_ON)
    assert loan.disbursed_into == "" and loan.disbursement.document_number.startswith("PV")
    assert net(JournalLine.objects.filter(organisation=sg.group, account__code="1100")) == 988_000_00


def test_credited_to_savings_without_a_voluntary_account_is_refused_and_nothing_is_written(sg):
    loan = approved(sg)
    with pytest.raises(RuleViolation) as refused:
        loans.loan_disburse(actor=sg.treasurer, loan=loan, date=LENT_ON, into_savings=True)
    assert [(p.field, p.message_th) for p in refused.value.problems] == [
        ("paid_to", "ผู้กู้ไม่มีบัญชีเงินฝากออมทรัพย์ที่เปิดอยู่ให้โอนเงินกู้เข้า จ่ายเป็นเงินสดแทน")]
    loan.refresh_from_db()
    assert loan.status == "approved" and loan.disbursement_id is None
    assert not JournalLine.objects.filter(account__code="1300").exists()


def test_the_page_checks_then_confirms_and_the_voucher_names_the_people(sg, client):
    """The page offers the account only where there is one; the check shows where the money goes;
    the voucher prints "not yet paid" before, and after names who paid (the treasurer), who
    approved (the chair) and the borrower, in Thai — and in English on an English page."""
    account = voluntary(sg)
    loan = approved(sg)
    client.force_login(sg.treasurer)
    base = f"/o/{sg.group.code}/loans/{loan.pk}/"
    assert f"โอนเข้าบัญชีเงินฝากออมทรัพย์ {account.number}" in client.get(base).content.decode()
    before = client.get(base + "voucher/").content.decode()
    assert 'id="not-paid"' in before and "หนึ่งหมื่นสองพันบาทถ้วน" in before
    check = client.post(base + "disburse/", {"date": "15/01/2567", "paid_to": "savings", "action": "check"})
    text = check.content.decode()
    assert check.status_code == 200 and 'id="disburse-confirm-button"' in text
    assert f"โอนเข้าบัญชีเงินฝากออมทรัพย์ {account.number}" in text and "งวดแรกครบกำหนด 15 ก.พ. 2567" in text
    assert Loan.objects.get(pk=loan.pk).status == "approved"
    done = client.post(base + "disburse/", {"date": "15/01/2567", "paid_to": "savings", "action": "confirm"})
    assert done.status_code == 302
    loan.refresh_from_db()
    assert loan.disbursed_into == account.number and savings_selectors.balance(account) == 12_000_00
    voucher = client.get(base + "voucher/").content.decode()
    assert 'id="not-paid"' not in voucher and loan.disbursement.document_number in voucher
    for name in (sg.treasurer.get_full_name(), sg.chair.get_full_name(), loan.member.full_name):
        assert name in voucher
    assert f"โอนเข้าบัญชีเงินฝากออมทรัพย์ของผู้กู้ เลขที่ {account.number}" in voucher
    english = in_english(client, sg.treasurer).get(base + "voucher/").content.decode()
    assert "Loan payment voucher" in english and "twelve thousand baht" in english.lower()
    assert "ใบสำคัญ" not in english


def test_over_the_api_and_the_command_line(sg):
    account = voluntary(sg)
    first, second = approved(sg), approved(sg)
    from django.test import Client
    api = Client()
    api.force_login(sg.treasurer)
    out = api.post(f"/api/v1/loans/{sg.group.code}/{first.pk}/disburse", {"date": "2024-01-15", "paid_to": "savings"},
                   content_type="application/json")
    assert out.status_code == 200 and out.json()["disbursed_into"] == account.number
    refused = api.post(f"/api/v1/loans/{sg.group.code}/{second.pk}/disburse", {"paid_to": "bank"},
                       content_type="application/json")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "paid_to"
    printed = io.StringIO()
    call_command("loans", "disburse", "--org", sg.group.code, "--by", sg.treasurer.username,
                 "--loan", str(second.number), "--date", "2024-01-15", "--to", "savings", stdout=printed)
    assert f"เข้าบัญชีเงินฝาก {account.number}" in printed.getvalue()
    assert savings_selectors.balance(account) == 24_000_00
