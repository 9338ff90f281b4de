"""A person acting on a loan (``LoanAct``): ``LOAN_APPROVE``, ``LOAN_REJECT``,
``LOAN_WITHDRAW``, ``LOAN_DISBURSE`` and ``LOAN_REPAY``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from omboon.core.errors import Problem
from omboon.core.money import format_baht, is_whole
from omboon.loans import schedule
from omboon.loans.rules.application import _over_cap, term_problems
from omboon.loans.rules.common import actor_writes
from omboon.loans.rules.consent import consent_problems
from omboon.loans.rules.terms import problems_of_schedule
from omboon.orgs.maker_checker import second_person


@dataclass(frozen=True)
class LoanAct:
    """A person acting on a loan: approve, reject, withdraw, disburse or repay."""

    loan: Any
    actor: Any
    reason: str = ""
    date: Any = None
    amount: Any = None
    owed: int = 0  # what the schedule still asks (a repayment)
    first_due: Any = None
    guarantors: tuple = ()  # approval: the loan's guarantors (members)
    exposure: dict | None = None  # approval: guarantor's member id → what they stand for on other loans
    approvers: frozenset = frozenset()  # approval: the users who approved the application already
    savings_target: Any = None  # a repayment: the voluntary savings account a surplus would go to
    into_savings: bool = False  # a disbursement credited to the borrower's savings (to ``savings_target``)
    consents: tuple = ()  # approval: the loan's ``Guarantor`` rows (with their member), their consent


def _status_in(allowed: tuple[str, ...], th: str, en: str, name: str):
    def check(a: LoanAct) -> list[Problem]:
        if a.loan.status in allowed:
            return []
        return [Problem("status", f"{th} (สถานะตอนนี้: {a.loan.get_status_display()})",
                        f"{en} (status now: {a.loan.status})", value=a.loan.status)]
    check.__name__ = name
    return check


def approver_second_person(a: LoanAct) -> list[Problem]:
    """The committee decides: someone who may approve, never the person who entered it."""
    return second_person(a.actor, a.loan.organisation, "loans", [a.loan.applied_by_id], field="approved_by",
                         th="ผู้อนุมัติต้องไม่ใช่ผู้บันทึกคำขอกู้",
                         en="the approver cannot be the person who entered the application")


def approver_not_twice(a: LoanAct) -> list[Problem]:
    """Under a quorum each approval is a different person's."""
    if a.actor is not None and a.actor.pk in a.approvers:
        return [Problem("approved_by", "ท่านอนุมัติคำขอนี้ไปแล้ว ต้องเป็นกรรมการคนอื่นอนุมัติให้ครบองค์ประชุม",
                        "you have approved this application already: other committee members complete the quorum")]
    return []


def reason_given(a: LoanAct) -> list[Problem]:
    return [] if (a.reason or "").strip() else [Problem("reason", "ต้องระบุเหตุผล", "a reason is required")]


def disbursed_after_application(a: LoanAct) -> list[Problem]:
    if not isinstance(a.date, dt.date) or a.date < a.loan.applied_on:
        return [Problem("date", "วันจ่ายเงินกู้ต้องไม่ก่อนวันยื่นคำขอ", "the disbursement cannot precede the application",
                        value=str(a.date))]
    return []


def disbursement_schedule(a: LoanAct) -> list[Problem]:
    if not isinstance(a.date, dt.date) or a.loan.terms is None:
        return []
    terms = schedule.Terms.from_dict(a.loan.terms)
    first_due = a.first_due or schedule.default_first_due(terms.every, a.date)
    return problems_of_schedule(terms, a.loan.principal, a.date, first_due)


def repaid_after_disbursement(a: LoanAct) -> list[Problem]:
    if a.loan.disbursed_on is None:
        return []  # not disbursed: the status check says so
    if not isinstance(a.date, dt.date) or a.date < a.loan.disbursed_on:
        return [Problem("date", "วันชำระต้องไม่ก่อนวันจ่ายเงินกู้", "a repayment cannot precede the disbursement",
                        value=str(a.date))]
    rescheduled = a.loan.rescheduled_on
    if rescheduled is not None and a.date < rescheduled:
        return [Problem("date", f"วันชำระต้องไม่ก่อนวันปรับโครงสร้างหนี้ ({rescheduled.isoformat()}) "
                        "ชำระก่อนหน้านั้นต้องกลับรายการปรับโครงสร้างหนี้ก่อน",
                        f"a repayment cannot precede the loan's reschedule ({rescheduled.isoformat()}); "
                        "reverse the reschedule first", value=str(a.date))]
    return []


def amount_not_over(a: LoanAct) -> list[Problem]:
    if not is_whole(a.amount) or a.amount <= 0:
        return [Problem("amount", "จำนวนเงินชำระต้องมากกว่าศูนย์", "the amount must be above zero", value=a.amount)]
    if a.amount > a.owed:
        if not a.loan.product_version.overpayment_to_savings:
            return [Problem("amount", f"ชำระเกินยอดค้าง {format_baht(a.owed)} บาท ไม่รับเงินเกิน",
                            f"more than the {format_baht(a.owed)} baht owed; an overpayment is refused",
                            value=format_baht(a.amount))]
        if a.savings_target is None:
            return [Problem("amount", f"ชำระเกินยอดค้าง {format_baht(a.owed)} บาท และผู้กู้ไม่มีบัญชีเงินฝากออมทรัพย์ "
                            "ที่จะรับส่วนเกิน ให้เปิดบัญชีก่อนหรือรับเงินไม่เกินยอดค้าง",
                            f"more than the {format_baht(a.owed)} baht owed, and the borrower has no voluntary "
                            "savings account for the surplus: open one first, or take no more than is owed",
                            value=format_baht(a.amount))]
    return []


def approval_guarantors_within_cap(a: LoanAct) -> list[Problem]:
    """A guarantor's exposure checked again at approval: other loans may have come since."""
    if a.exposure is None:
        return []
    return _over_cap(a.loan.product_version.guarantor_cap, a.loan.principal, a.guarantors, a.exposure)


def approval_term_within(a: LoanAct) -> list[Problem]:
    """The term asked for still within the limits of the version the application runs on (the
    terms approval copies onto the loan are that version's, with this term)."""
    return term_problems(a.loan.product_version, a.loan.term)


def guarantors_consented(a: LoanAct) -> list[Problem]:
    """Every guarantor has given their consent (หนังสือยินยอมค้ำประกัน): one still waited for, or
    one who declined, holds the approval back (each named)."""
    return consent_problems(a.consents)


LOAN_APPROVE = [_status_in(("applied",), "อนุมัติได้เฉพาะคำขอที่รออนุมัติ", "only an application can be approved",
                           "approve_applied"), approver_second_person, approver_not_twice,
                guarantors_consented, approval_guarantors_within_cap, approval_term_within]
LOAN_REJECT = [_status_in(("applied",), "ไม่อนุมัติได้เฉพาะคำขอที่รออนุมัติ", "only an application can be rejected",
                          "reject_applied"), approver_second_person, reason_given]
LOAN_WITHDRAW = [_status_in(("applied", "approved"), "ถอนได้เฉพาะคำขอที่ยังไม่จ่ายเงิน",
                            "only a loan not yet disbursed can be withdrawn", "withdraw_undisbursed"),
                 actor_writes, reason_given]
def disbursed_into_an_account(a: LoanAct) -> list[Problem]:
    """A loan credited to savings needs the borrower's voluntary savings account to take it."""
    if a.into_savings and a.savings_target is None:
        return [Problem("paid_to", "ผู้กู้ไม่มีบัญชีเงินฝากออมทรัพย์ที่เปิดอยู่ให้โอนเงินกู้เข้า จ่ายเป็นเงินสดแทน",
                        "the borrower has no open voluntary savings account to credit the loan to: pay it in cash")]
    return []


LOAN_DISBURSE = [_status_in(("approved",), "จ่ายเงินกู้ได้เฉพาะคำขอที่อนุมัติแล้ว และจ่ายได้ครั้งเดียว",
                            "only an approved loan can be disbursed, once", "disburse_approved"),
                 actor_writes, disbursed_after_application, disbursement_schedule, disbursed_into_an_account]
def not_written_off(a: LoanAct) -> list[Problem]:
    """A written-off loan takes no repayment: the money is a recovery (approved by a second person)."""
    if a.loan.status == "written_off":
        return [Problem("status", "เงินกู้นี้ตัดเป็นหนี้สูญแล้ว รับชำระไม่ได้ ให้บันทึกเป็นรับชำระหนี้สูญแทน",
                        "this loan is written off: record a recovery instead of a repayment", value=a.loan.status)]
    return []


def _repay_disbursed(a: LoanAct) -> list[Problem]:
    if a.loan.status == "written_off":
        return []  # not_written_off says so
    return _status_in(("disbursed",), "รับชำระได้เฉพาะเงินกู้ที่จ่ายแล้วและยังไม่ปิด",
                      "only a disbursed loan that is not closed takes repayments", "repay_disbursed")(a)


LOAN_REPAY = [not_written_off, _repay_disbursed, actor_writes, repaid_after_disbursement, amount_not_over]
