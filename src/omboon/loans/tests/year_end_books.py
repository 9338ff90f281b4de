"""A savings group's year 2025 as the year-end tests and pages use it (small and exact).

- Books open on 31 Dec 2024 with 500,000 baht cash (the accumulated surplus brought forward).
- Savings (voluntary, VOL): A deposits 1,000 baht in December 2024 (twelve month-ends of
  2025 at 1,000), B 2,000 baht on 10 July 2025 (six month-ends: July to December).
- C borrows 20,000 baht on 15 January 2025 and repays three instalments (interest 4710).
- A donation of 10,000 baht comes in on 1 March 2025 (4600).
- Every month from December 2024 to December 2025 is closed (the year-end close moves the
  year's income to 3300).

A treasurer drafts, pays and posts; a chair and a committee member approve."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from omboon.ledger.services import Line, entry_post, period_close
from omboon.loans import services as loans
from omboon.loans.models import Repayment
from omboon.loans.schedule import Terms
from omboon.loans.tests.conftest import make_member
from omboon.orgs.models import Organisation, Role
from omboon.savings import services as savings
from omboon.testing.factories import make_group, make_user

D = dt.date
TERMS = Terms(method="declining", rate=Decimal(12), per="year", every="month", term=12, rounding=500)


@dataclass
class Books:
    group: Organisation
    treasurer: object
    chair: object
    committee: object
    a: object
    b: object
    c: object
    savings_a: object
    savings_b: object
    interest_c: int  # loan interest C paid in 2025
    net_income: int  # of 2025


def year_2025(code: str = "YE", *, close: bool = True) -> Books:
    group = make_group(code, "กลุ่มออมทรัพย์เพื่อการผลิตทดสอบ", group_type=Organisation.GroupType.SAVINGS_GROUP)
    treasurer, chair = make_user(group, Role.TREASURER), make_user(group, Role.CHAIR)
    committee = make_user(group, Role.COMMITTEE)
    entry_post(actor=None, organisation=group, date=D(2024, 12, 1), doc_type="opening",
               lines=[Line(account="1100", debit=500_000_00), Line(account="3300", credit=500_000_00)])
    a, b, c = (make_member(group) for _ in range(3))
    vol = savings.product_create(actor=chair, organisation=group, code="VOL", kind="voluntary",
                                 name_th="เงินฝากออมทรัพย์", effective_from=D(2024, 1, 1))
    savings_a = savings.account_open(actor=treasurer, organisation=group, member=a, product=vol,
                                     opened_on=D(2024, 12, 1))
    savings_b = savings.account_open(actor=treasurer, organisation=group, member=b, product=vol,
                                     opened_on=D(2024, 12, 1))
    savings.deposit(actor=treasurer, account=savings_a, amount=1_000_00, date=D(2024, 12, 20))
    savings.deposit(actor=treasurer, account=savings_b, amount=2_000_00, date=D(2025, 7, 10))
    product = loans.product_create(actor=chair, organisation=group, code="GEN", name_th="เงินกู้เพื่อการผลิต",
                                   terms=TERMS, max_amount=50_000_00, effective_from=D(2024, 1, 1))
    loan = loans.loan_apply(actor=treasurer, organisation=group, member=c, product=product, principal=20_000_00,
                            purpose="ซื้อปุ๋ย", applied_on=D(2025, 1, 10))
    loans.loan_approve(actor=chair, loan=loan)
    loans.loan_disburse(actor=treasurer, loan=loan, date=D(2025, 1, 15))
    for month in (2, 3, 4):
        loans.loan_repay(actor=treasurer, loan=loan, amount=1_775_00, date=D(2025, month, 15))
    entry_post(actor=treasurer, organisation=group, date=D(2025, 3, 1), doc_type="receipt",
               lines=[Line(account="1100", debit=10_000_00), Line(account="4600", credit=10_000_00)])
    interest = Repayment.objects.filter(loan=loan).aggregate(s=Sum("interest"))["s"]
    if close:
        close_through(group, chair, 2025, 12)
    return Books(group, treasurer, chair, committee, a, b, c, savings_a, savings_b, interest,
                 10_000_00 + interest)


def close_through(group, actor, year: int, month: int) -> None:
    y, m = 2024, 12
    while (y, m) <= (year, month):
        period_close(actor=actor, organisation=group, year=y, month=m, today=D(2026, 1, 10))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
