"""A running loan brought forward at the cut-over (the ``loans`` import): ``BRING_FORWARD``;
a repayment from a file (the ``loan-repayments`` import): ``IMPORTED_REPAY``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from omboon.core.errors import Problem, RuleViolation
from omboon.core.money import format_baht, is_whole
from omboon.loans import schedule
from omboon.loans.rules.application import Application, borrower_is_member, guarantors_eligible
from omboon.loans.rules.lifecycle import _repay_disbursed, amount_not_over, not_written_off, repaid_after_disbursement
from omboon.loans.rules.terms import problems_of_schedule


@dataclass(frozen=True)
class BroughtForward:
    """A loan running at the cut-over date ``as_of``: lent on ``disbursed_on`` under ``terms``
    (the product's, or the file's), ``paid`` in all so far (principal and interest) and
    ``balance`` of its principal still outstanding."""

    organisation: Any
    member: Any
    version: Any  # the product's version whose terms the loan follows, or None
    principal: int
    terms: Any  # schedule.Terms
    disbursed_on: Any
    first_due: Any  # None: one period after the disbursement
    paid: int
    balance: int
    guarantors: tuple
    as_of: Any

    @property
    def application(self) -> Application:
        return Application(self.organisation, None, self.member, self.version, self.principal, "",
                           self.guarantors, self.disbursed_on)

    @property
    def principal_paid(self) -> int:
        return self.principal - self.balance

    @property
    def interest_paid(self) -> int:
        return self.paid - self.principal_paid

    @cached_property
    def instalments(self) -> tuple[list, list[Problem]]:
        """``bf_instalments``, worked out once for the checks that read it (``bf_schedule``,
        ``bf_paid``): one schedule built a loan, not one a check."""
        return _instalments(self)


def bf_borrower(b: BroughtForward) -> list[Problem]:
    return borrower_is_member(b.application)


def bf_product(b: BroughtForward) -> list[Problem]:
    if b.version is None or b.version.product.organisation_id != b.organisation.pk:
        return [Problem("product", "ไม่มีประเภทเงินกู้นี้ในกลุ่ม (ตั้งประเภทเงินกู้ก่อน)",
                        "no such loan product in this group (set the product up first)")]
    return []


def bf_guarantors(b: BroughtForward) -> list[Problem]:
    return guarantors_eligible(b.application)


def bf_disbursed(b: BroughtForward) -> list[Problem]:
    if not isinstance(b.disbursed_on, dt.date) or not isinstance(b.as_of, dt.date):
        return []
    if b.disbursed_on > b.as_of:
        return [Problem("disbursed_on", "วันจ่ายเงินกู้อยู่หลังวันที่ยอดยกมา (เงินกู้หลังจากนั้นให้บันทึกในระบบ)",
                        "the loan was paid out after the cut-over date (enter later loans in the app)",
                        value=b.disbursed_on.isoformat(), code="after_cut_over")]
    return []


def bf_instalments(b: BroughtForward) -> tuple[list, list[Problem]]:
    """The loan's schedule, or the problems of its terms (one or the other)."""
    return b.instalments


def _instalments(b: BroughtForward) -> tuple[list, list[Problem]]:
    if b.terms is None or not isinstance(b.disbursed_on, dt.date):
        return [], []
    first_due = b.first_due or (schedule.default_first_due(b.terms.every, b.disbursed_on)
                                if b.terms.every in schedule.PERIODS_A_YEAR else b.disbursed_on)
    found = problems_of_schedule(b.terms, b.principal, b.disbursed_on, first_due)
    if found:
        return [], found
    try:
        return schedule.build(b.terms, b.principal, b.disbursed_on, b.first_due), []
    except RuleViolation as exc:  # an instalment too small for the rounding
        return [], list(exc.problems)


def bf_schedule(b: BroughtForward) -> list[Problem]:
    return bf_instalments(b)[1]


def bf_balance(b: BroughtForward) -> list[Problem]:
    if not is_whole(b.balance) or b.balance <= 0:
        return [Problem("balance", "เงินต้นคงเหลือต้องมากกว่าศูนย์ (สัญญาที่ชำระครบแล้วไม่ต้องนำเข้า)",
                        "the outstanding balance must be above zero (leave repaid loans out)", value=b.balance,
                        code="not_positive")]
    if is_whole(b.principal) and b.balance > b.principal:
        return [Problem("balance", f"เงินต้นคงเหลือ {format_baht(b.balance)} บาท มากกว่าเงินต้นที่กู้ "
                                   f"{format_baht(b.principal)} บาท",
                        f"the outstanding balance of {format_baht(b.balance)} baht is above the principal lent, "
                        f"{format_baht(b.principal)} baht", value=format_baht(b.balance), code="over_principal")]
    return []


def bf_paid(b: BroughtForward) -> list[Problem]:
    """Paid so far covers the principal repaid (principal − balance); the rest is interest, no
    more than the schedule charges in all."""
    if not is_whole(b.paid) or b.paid < 0:
        return [Problem("paid", "ยอดชำระแล้วต้องไม่ติดลบ", "paid so far cannot be below zero", value=b.paid,
                        code="not_positive")]
    if not (is_whole(b.principal) and is_whole(b.balance)) or not 0 < b.balance <= b.principal:
        return []  # bf_balance says so
    if b.paid < b.principal_paid:
        return [Problem("paid", f"ยอดชำระแล้ว {format_baht(b.paid)} บาท น้อยกว่าเงินต้นที่ชำระไปแล้ว "
                                f"{format_baht(b.principal_paid)} บาท (เงินต้น − คงเหลือ)",
                        f"paid so far, {format_baht(b.paid)} baht, is less than the principal repaid, "
                        f"{format_baht(b.principal_paid)} baht (principal − balance)", value=format_baht(b.paid),
                        code="paid_under_principal")]
    instalments, found = bf_instalments(b)
    if found or not instalments:
        return []  # bf_schedule says so
    charged = sum(i.interest for i in instalments)
    if b.interest_paid > charged:
        return [Problem("paid", f"ดอกเบี้ยที่ชำระแล้ว {format_baht(b.interest_paid)} บาท เกินดอกเบี้ยทั้งสัญญา "
                                f"{format_baht(charged)} บาท ตามเงื่อนไข",
                        f"the interest paid, {format_baht(b.interest_paid)} baht, is more than the terms charge "
                        f"in all, {format_baht(charged)} baht", value=format_baht(b.paid), code="paid_over")]
    return []


BRING_FORWARD = [bf_borrower, bf_product, bf_guarantors, bf_disbursed, bf_schedule, bf_balance, bf_paid]

# A repayment from a file (the ``loan-repayments`` import): the single repayment's checks but the
# actor's, which the import asks of the person who runs it.
IMPORTED_REPAY = [not_written_off, _repay_disbursed, repaid_after_disbursement, amount_not_over]
