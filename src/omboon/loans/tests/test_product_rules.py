"""The product's and the bylaws' rules, as worked examples: guarantors by amount band, a
maximum as a multiple of the member's own savings, a quorum of committee approvals, a spouse
refused as guarantor where the bylaws say so, and an overpayment credited to savings on the
same receipt. Every refusal names its field in Thai and English; nothing is half-written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from omboon.core.errors import RuleViolation
from omboon.ledger.models import JournalEntry
from omboon.loans import quorum, selectors, services
from omboon.loans.models import Loan, LoanApproval, Repayment
from omboon.loans.tests.conftest import TERMS
from omboon.members.models import Beneficiary
from omboon.orgs import services as org_services
from omboon.orgs.models import Role
from omboon.savings import selectors as savings_selectors
from omboon.savings import services as savings
from omboon.testing.factories import make_user

D = dt.date
pytestmark = pytest.mark.django_db
APPLIED, SAVED = dt.date(2026, 1, 5), dt.date(2025, 12, 1)
BANDS = [[20_000_00, 0], [50_000_00, 1], [None, 2]]  # ≤ 20,000 baht: none; ≤ 50,000: one; above: two


def product(fund, code="BAND", **kw):
    kw.setdefault("max_amount", 100_000_00)
    return services.product_create(actor=fund.chair, organisation=fund.group, code=code, name_th=f"เงินกู้ {code}",
                                   terms=TERMS, effective_from=D(2020, 1, 1), **kw)


def apply(fund, p, principal, guarantors=(), member=None, on=APPLIED):
    return services.loan_apply(actor=fund.treasurer, organisation=fund.group, member=member or fund.members[0],
                               product=p, principal=principal, purpose="ซื้อปุ๋ย", guarantors=guarantors,
                               applied_on=on)


def refused(do) -> list:
    with pytest.raises(RuleViolation) as caught:
        do()
    return caught.value.problems


# --- guarantors by amount band ---------------------------------------------------------------------

def test_guarantors_by_amount_band(fund):
    p = product(fund, guarantor_bands=BANDS)
    g1, g2 = fund.members[3:5]
    apply(fund, p, 20_000_00)  # up to 20,000: no guarantor
    (problem,) = refused(lambda: apply(fund, p, 20_000_01))
    assert problem.field == "guarantors" and problem.message_th == "เงินกู้ 20,000.01 บาท ต้องมีผู้ค้ำประกัน 1 คน"
    assert problem.message_en == "a loan of 20,000.01 baht needs 1 guarantors"
    apply(fund, p, 50_000_00, [g1])
    (problem,) = refused(lambda: apply(fund, p, 50_000_01, [g1]))
    assert "ต้องมีผู้ค้ำประกัน 2 คน" in problem.message_th
    apply(fund, p, 90_000_00, [g1, g2])
    assert Loan.objects.filter(product_version__product=p).count() == 3


def test_the_old_single_band_is_two_bands():
    assert services.bands_of(None, 20_000_00, 2) == [[20_000_00, 0], [None, 2]]
    assert services.bands_of(None, 0, 1) == [[None, 1]] and services.bands_of(None, 0, 0) == []


@pytest.mark.parametrize("bands", [
    [[20_000_00, 1]],  # the last band must be open-ended
    [[50_000_00, 1], [20_000_00, 2], [None, 2]],  # amounts ascending
    [[None, 6]],  # at most five guarantors
    [[0, 1], [None, 2]],  # an amount above zero
    "2",
])
def test_bad_bands_are_refused(fund, bands):
    (problem,) = refused(lambda: product(fund, guarantor_bands=bands))
    assert problem.field == "guarantor_bands" and "ช่วงวงเงินผู้ค้ำประกัน" in problem.message_th


# --- the maximum as a multiple of own savings ----------------------------------------------------------

def saver(fund, member, amount, on=SAVED):
    vol = savings.product_create(actor=fund.chair, organisation=fund.group, code="VOL", kind="voluntary",
                                 name_th="เงินฝากออมทรัพย์", effective_from=D(2020, 1, 1))
    account = savings.account_open(actor=fund.treasurer, organisation=fund.group, member=member, product=vol,
                                   opened_on=on)
    if amount:
        savings.deposit(actor=fund.treasurer, account=account, amount=amount, date=on)
    return account


def test_at_most_three_times_own_savings(fund):
    borrower = fund.members[0]
    saver(fund, borrower, 10_000_00)
    p = product(fund, savings_multiple=Decimal(3))
    (problem,) = refused(lambda: apply(fund, p, 30_000_01))
    assert problem.field == "principal" and problem.value == "30,000.01"
    assert problem.message_th == ("จำนวนเงินกู้เกิน 3 เท่าของเงินออมของผู้กู้ (10,000.00 บาท): "
                                  "กู้ได้ไม่เกิน 30,000.00 บาท")
    assert problem.message_en == ("the amount is above 3 times the borrower's own savings (10,000.00 baht): "
                                  "at most 30,000.00 baht")
    assert not Loan.objects.exists()
    apply(fund, p, 30_000_00)
    # shares are not savings; a member with none may not borrow under the multiple
    (problem,) = refused(lambda: apply(fund, p, 1_00, member=fund.members[1]))
    assert "at most 0.00 baht" in problem.message_en


# --- a quorum of committee approvals -----------------------------------------------------------------

def set_quorum(fund, n):
    org_services.bylaws_set(actor=None, organisation=fund.group, effective_from=D(2020, 1, 1),
                            settings={"loan_quorum": n})


def test_a_quorum_of_two_different_committee_members(fund):
    set_quorum(fund, 2)
    secretary = make_user(fund.group, Role.SECRETARY)
    loan = apply(fund, product(fund), 10_000_00)
    (problem,) = refused(lambda: services.loan_approve(actor=fund.treasurer, loan=loan))  # who entered it
    assert problem.field == "approved_by" and "ผู้บันทึกคำขอกู้" in problem.message_th
    loan = services.loan_approve(actor=fund.chair, loan=loan)
    assert loan.status == Loan.Status.APPLIED and loan.approved_by is None  # one of two
    (problem,) = refused(lambda: services.loan_approve(actor=fund.chair, loan=loan))
    assert problem.message_en == ("you have approved this application already: other committee members complete "
                                  "the quorum")
    assert LoanApproval.objects.filter(loan=loan).count() == 1
    loan = services.loan_approve(actor=secretary, loan=loan)
    assert loan.status == Loan.Status.APPROVED and loan.approved_by == secretary and loan.terms is not None
    assert [a.user for a in quorum.approvals_of(loan)] == [fund.chair, secretary]


def test_without_a_quorum_one_approval_approves(fund):
    loan = services.loan_approve(actor=fund.chair, loan=apply(fund, product(fund), 10_000_00))
    assert loan.status == Loan.Status.APPROVED and loan.approvals.count() == 1


def test_a_bad_quorum_is_refused(fund):
    with pytest.raises(RuleViolation) as caught:
        set_quorum(fund, 0)
    assert caught.value.problems[0].field == "loan_quorum"


# --- a spouse as guarantor -----------------------------------------------------------------------------

def test_a_spouse_is_refused_as_guarantor_where_the_bylaws_say_so(fund):
    borrower, wife, other = fund.members[0], fund.members[3], fund.members[4]
    Beneficiary.objects.create(organisation=fund.group, member=borrower, relation="ภรรยา", share_percent=100,
                               name=f"นาง {wife.first_name}  {wife.last_name}")
    p = product(fund, guarantor_bands=[[None, 1]])
    apply(fund, p, 5_000_00, [wife])  # the bylaws say nothing: accepted
    org_services.bylaws_set(actor=None, organisation=fund.group, effective_from=D(2026, 1, 1),
                            settings={"loan_spouse_not_guarantor": True})
    (problem,) = refused(lambda: apply(fund, p, 5_000_00, [other, wife]))
    assert problem.field == "guarantors" and problem.row == 2 and problem.value == wife.number
    assert problem.message_th == (f"ผู้ค้ำ {wife.number} เป็นคู่สมรสของผู้กู้ ตามระเบียบกลุ่มคู่สมรสค้ำประกันไม่ได้")
    # recorded on the guarantor's side instead: the same
    husband = fund.members[1]
    Beneficiary.objects.create(organisation=fund.group, member=other, name=husband.full_name, relation="คู่สมรส",
                               share_percent=100)
    (problem,) = refused(lambda: apply(fund, p, 5_000_00, [other], member=husband))
    assert problem.value == other.number and "spouse" in problem.message_en
    apply(fund, p, 5_000_00, [other])  # not her spouse
    assert Loan.objects.count() == 2


# --- an overpayment credited to savings ------------------------------------------------------------------

def test_an_overpayment_goes_to_voluntary_savings_on_the_same_receipt(fund):
    borrower = fund.members[0]
    account = saver(fund, borrower, 0)
    p = product(fund, overpayment_to_savings=True)
    loan = services.loan_approve(actor=fund.chair, loan=apply(fund, p, 12_000_00))
    loan = services.loan_disburse(actor=fund.treasurer, loan=loan, date=D(2026, 1, 15))
    owed = selectors.still_owed(loan)
    repayment = services.loan_repay(actor=fund.treasurer, loan=loan, amount=owed + 250_00, date=D(2026, 2, 15))
    loan.refresh_from_db()
    assert loan.status == Loan.Status.CLOSED
    assert repayment.amount == owed and repayment.to_savings == 250_00
    assert repayment.principal == 12_000_00 and repayment.principal + repayment.interest == owed
    assert savings_selectors.balance(account) == 250_00
    entry = repayment.entry
    lines = list(entry.lines.values_list("account__code", "debit", "credit"))
    assert ("1100", owed + 250_00, 0) in lines and ("2110", 0, 250_00) in lines
    assert sum(d for _, d, _ in lines) == sum(c for _, _, c in lines)
    assert selectors.outstanding_principal(loan) == 0


def test_an_overpayment_is_refused_without_the_setting_or_an_account(fund):
    plain = services.loan_disburse(actor=fund.treasurer, date=D(2026, 1, 15), loan=services.loan_approve(
        actor=fund.chair, loan=apply(fund, product(fund), 12_000_00)))
    owed = selectors.still_owed(plain)
    (problem,) = refused(lambda: services.loan_repay(actor=fund.treasurer, loan=plain, amount=owed + 1,
                                                     date=D(2026, 2, 15)))
    assert problem.field == "amount" and "an overpayment is refused" in problem.message_en
    credited = services.loan_disburse(actor=fund.treasurer, date=D(2026, 1, 15), loan=services.loan_approve(
        actor=fund.chair, loan=apply(fund, product(fund, "OVER", overpayment_to_savings=True), 12_000_00,
                                     member=fund.members[1])))
    (problem,) = refused(lambda: services.loan_repay(actor=fund.treasurer, loan=credited, amount=owed + 1,
                                                     date=D(2026, 2, 15)))
    assert problem.field == "amount" and "no voluntary savings account for the surplus" in problem.message_en
    assert "ไม่มีบัญชีเงินฝากออมทรัพย์" in problem.message_th
    assert not Repayment.objects.exists() and JournalEntry.objects.filter(doc_type="receipt").count() == 1
