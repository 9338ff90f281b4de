"""A repayment reversed: ``REPAYMENT_REVERSE`` (one repayment, by the ledger's reversal) and
``REPAYMENT_VOID`` (a collection day's receipt voided, which reverses its lines)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from omboon.core.errors import Problem
from omboon.loans.rules.common import _can
from omboon.orgs import scoping


@dataclass(frozen=True)
class RepaymentAct:
    repayment: Any
    actor: Any
    reason: str
    newest: bool  # no later repayment of the loan stands
    rescheduled: bool = False  # a standing reschedule counted it among the parts settled before it


def repayment_not_before_a_reschedule(r: RepaymentAct) -> list[Problem]:
    if r.rescheduled:
        return [Problem("repayment", "ชำระครั้งนี้อยู่ก่อนการปรับโครงสร้างหนี้ กลับรายการปรับโครงสร้างหนี้ก่อน",
                        "this repayment came before the loan's reschedule: reverse the reschedule first",
                        code="rescheduled")]
    return []


def repayment_standing(r: RepaymentAct) -> list[Problem]:
    if r.repayment.reversal_id is not None:
        return [Problem("repayment", "รายการนี้กลับรายการไปแล้ว", "this repayment is reversed already")]
    if not r.newest:
        return [Problem("repayment", "กลับรายการชำระครั้งหลังสุดก่อน", "reverse the latest repayment first")]
    return []


def reverser_approves(r: RepaymentAct) -> list[Problem]:
    if _can(r.actor, r.repayment.organisation, scoping.APPROVE):
        return []
    return [Problem("actor", "การกลับรายการต้องเป็นกรรมการที่มีสิทธิ์อนุมัติ",
                    "a reversal needs a committee member who may approve")]


def reversal_reason(r: RepaymentAct) -> list[Problem]:
    return [] if (r.reason or "").strip() else [Problem("reason", "ต้องระบุเหตุผลการกลับรายการ", "a reason is required")]


def loan_not_written_off(r: RepaymentAct) -> list[Problem]:
    if r.repayment.loan.status == "written_off":
        return [Problem("repayment", "เงินกู้นี้ตัดเป็นหนี้สูญแล้ว กลับรายการตัดหนี้สูญก่อน",
                        "the loan is written off: reverse the write-off first")]
    return []


def repayment_not_of_a_collection_day(r: RepaymentAct) -> list[Problem]:
    """A repayment taken on the collection day shares the day's one entry with every other
    member's money: it is undone by voiding its receipt (which reverses its lines only)."""
    if getattr(r.repayment.entry, "source_type", "") != "contributions.collectionday":
        return []
    return [Problem("repayment", "รับชำระในวันเก็บเงิน ให้ยกเลิกใบเสร็จของสมาชิกแทน",
                    "taken on a collection day: void the member's receipt instead", code="collection_day")]


def repayment_not_brought_forward(r: RepaymentAct) -> list[Problem]:
    """What a loan brought forward at the cut-over had repaid before it stands on the opening
    entry of every such loan: it is history, not money that can be handed back."""
    if getattr(r.repayment.entry, "doc_type", "") != "opening":
        return []
    return [Problem("repayment", "ยอดชำระก่อนวันเริ่มใช้ระบบ (ยอดยกมา) กลับรายการไม่ได้ แก้ด้วยใบสำคัญทั่วไป",
                    "paid before the cut-over (brought forward): it cannot be reversed; correct it with a journal "
                    "voucher", code="brought_forward")]


# Voiding a collection day's receipt undoes its repayments as a reversal does, under the same
# order: the latest standing repayment of a loan first (a later one was allocated on top of it),
# never one of a written-off loan, never one a standing reschedule counted.
REPAYMENT_VOID = [repayment_standing, loan_not_written_off, repayment_not_before_a_reschedule]

REPAYMENT_REVERSE = [repayment_standing, loan_not_written_off, repayment_not_of_a_collection_day,
                     repayment_not_brought_forward, repayment_not_before_a_reschedule,
                     reverser_approves, reversal_reason]
