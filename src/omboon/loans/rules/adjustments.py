"""Write-off and recovery, penalty and waiver (each entered by one person, approved by a
second): ``WRITE_OFF_REQUEST``, ``RECOVERY_REQUEST``, ``WAIVE_REQUEST``, ``PENALTY_CHARGE``,
``ADJUSTMENT_APPROVE``, ``ADJUSTMENT_REJECT``, ``ADJUSTMENT_REVERSE``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from omboon.core.errors import Problem
from omboon.core.money import format_baht, is_whole
from omboon.ledger.rules import check_month_open
from omboon.loans.rules.common import _can, actor_writes
from omboon.orgs import scoping
from omboon.orgs.maker_checker import second_person

AGAINST = ("expense", "allowance")


@dataclass(frozen=True)
class AdjustmentAct:
    """A write-off or a recovery asked for (``adjustment`` None) or decided on."""

    loan: Any
    actor: Any
    kind: str  # "write_off" | "recover"
    amount: Any = None
    date: Any = None
    reason: str = ""
    against: str = ""
    outstanding: int = 0  # the loan's outstanding principal now
    recoverable: int = 0  # written off and not yet recovered
    last_date: Any = None  # the latest standing repayment, write-off or recovery of the loan
    adjustment: Any = None
    pending: bool = False  # another request of the loan waits for its approval
    recoveries_standing: bool = False  # a write-off's reversal: recoveries after it stand
    waivable: int = 0  # a waiver: the interest (or penalty) still owed; a penalty's reversal: penalty unpaid
    rescheduled: bool = False  # a waiver's reversal: a standing reschedule counted it
    last_closed: Any = None  # ledger.rules.last_closed_period: a request's date must be in an open month


def write_off_disbursed(a: AdjustmentAct) -> list[Problem]:
    if a.loan.status != "disbursed" or a.outstanding <= 0:
        return [Problem("status", "ตัดหนี้สูญได้เฉพาะเงินกู้ที่จ่ายแล้วและยังมีเงินต้นคงค้าง",
                        "only a disbursed loan with principal outstanding can be written off", value=a.loan.status)]
    return []


def recover_written_off(a: AdjustmentAct) -> list[Problem]:
    if a.loan.status != "written_off":
        return [Problem("status", "รับชำระหนี้สูญได้เฉพาะเงินกู้ที่ตัดเป็นหนี้สูญแล้ว (เงินกู้อื่นให้รับชำระตามปกติ)",
                        "only a written-off loan takes recoveries (repay any other loan)", value=a.loan.status)]
    return []


def none_pending(a: AdjustmentAct) -> list[Problem]:
    if a.pending:
        return [Problem("loan", "มีรายการของสัญญานี้รออนุมัติอยู่ อนุมัติหรือไม่อนุมัติก่อน",
                        "a request for this loan awaits approval: approve or reject it first")]
    return []


def adjustment_reason(a: AdjustmentAct) -> list[Problem]:
    return [] if (a.reason or "").strip() else [Problem("reason", "ต้องระบุเหตุผล", "a reason is required")]


def against_known(a: AdjustmentAct) -> list[Problem]:
    if a.against not in AGAINST:
        return [Problem("against", "เลือกตัดหนี้สูญเป็นค่าใช้จ่าย (5500) หรือจากค่าเผื่อหนี้สงสัยจะสูญ (1320)",
                        "write off as an expense (5500) or against the allowance (1320)", value=a.against)]
    return []


def adjustment_dated(a: AdjustmentAct) -> list[Problem]:
    """Not before the latest standing repayment, write-off or recovery: a back-dated write-off
    would leave later repayments on a loan that was no longer owed."""
    if not isinstance(a.date, dt.date):
        return [Problem("date", "ต้องระบุวันที่", "a date is required")]
    if a.last_date is not None and a.date < a.last_date:
        return [Problem("date", f"วันที่ต้องไม่ก่อนรายการล่าสุดของสัญญา ({a.last_date.isoformat()})",
                        f"the date cannot precede the loan's latest transaction ({a.last_date.isoformat()})",
                        value=a.date.isoformat())]
    return []


def adjustment_month_open(a: AdjustmentAct) -> list[Problem]:
    """A write-off, recovery or waiver posts on its own date when approved: dated in a month the
    books have closed, it is refused when asked (the ledger's message), not left waiting for an
    approval the ledger would refuse."""
    return check_month_open(a.last_closed, a.date) if isinstance(a.date, dt.date) else []


def recovery_within(a: AdjustmentAct) -> list[Problem]:
    if not is_whole(a.amount) or a.amount <= 0:
        return [Problem("amount", "จำนวนเงินต้องมากกว่าศูนย์", "the amount must be above zero", value=a.amount)]
    if a.amount > a.recoverable:
        return [Problem("amount", f"รับชำระหนี้สูญได้ไม่เกินยอดที่ตัดไปและยังไม่ได้รับคืน {format_baht(a.recoverable)} บาท",
                        f"at most the {format_baht(a.recoverable)} baht written off and not yet recovered",
                        value=format_baht(a.amount))]
    return []


WRITE_OFF_REQUEST = [write_off_disbursed, actor_writes, none_pending, adjustment_reason, against_known,
                     adjustment_dated, adjustment_month_open]
RECOVERY_REQUEST = [recover_written_off, actor_writes, none_pending, adjustment_reason, adjustment_dated,
                    adjustment_month_open, recovery_within]


def adjustment_pending(a: AdjustmentAct) -> list[Problem]:
    if a.adjustment.status != "pending":
        return [Problem("adjustment", "รายการนี้พิจารณาไปแล้ว", "this request is decided already",
                        value=a.adjustment.status)]
    return []


def adjustment_second_person(a: AdjustmentAct) -> list[Problem]:
    """A committee member who may approve, never the person who entered the request."""
    return second_person(a.actor, a.loan.organisation, "loans", [a.adjustment.requested_by_id], field="approved_by",
                         th="ผู้อนุมัติต้องไม่ใช่ผู้บันทึกรายการ ต้องเป็นกรรมการอีกคน",
                         en="the approver cannot be the person who entered the request: a second person approves")


def still_as_asked(a: AdjustmentAct) -> list[Problem]:
    """The loan has not moved since the request: a write-off takes exactly what is outstanding,
    a recovery no more than is recoverable."""
    adj = a.adjustment
    if adj.status != "pending":
        return []
    if adj.kind == "write_off" and (a.loan.status != "disbursed" or adj.amount != a.outstanding):
        return [Problem("amount", "เงินกู้เปลี่ยนไปหลังขอตัดหนี้สูญ (มีการชำระหรือกลับรายการ) ให้ไม่อนุมัติแล้วขอใหม่",
                        "the loan changed since the write-off was asked for: reject it and ask again",
                        value=format_baht(adj.amount))]
    if adj.kind == "recover" and (a.loan.status != "written_off" or adj.amount > a.recoverable):
        return [Problem("amount", "ยอดรับชำระหนี้สูญเกินยอดที่ยังรับคืนได้ ให้ไม่อนุมัติแล้วขอใหม่",
                        "the recovery is above what can still be recovered: reject it and ask again",
                        value=format_baht(adj.amount))]
    return []


def waiver_within(a: AdjustmentAct) -> list[Problem]:
    if not is_whole(a.amount) or a.amount <= 0:
        return [Problem("amount", "จำนวนเงินต้องมากกว่าศูนย์", "the amount must be above zero", value=a.amount)]
    if a.amount > a.waivable:
        what_th, what_en = ("ดอกเบี้ย", "interest") if a.kind == "waive_interest" else ("ค่าปรับ", "penalty")
        return [Problem("amount", f"ยกเว้น{what_th}ได้ไม่เกินที่ยังค้าง {format_baht(a.waivable)} บาท",
                        f"at most the {format_baht(a.waivable)} baht of {what_en} still owed can be waived",
                        value=format_baht(a.amount))]
    return []


def waive_kind(a: AdjustmentAct) -> list[Problem]:
    if a.kind not in ("waive_interest", "waive_penalty"):
        return [Problem("part", "ยกเว้นได้เฉพาะดอกเบี้ยหรือค่าปรับ", "only interest or a penalty can be waived",
                        value=a.kind)]
    return []


def loan_repaying(a: AdjustmentAct) -> list[Problem]:
    if a.loan.status != "disbursed":
        return [Problem("status", "ทำได้เฉพาะเงินกู้ที่จ่ายแล้วและยังไม่ปิด", "only a disbursed loan that is not closed",
                        value=a.loan.status)]
    return []


def penalty_due(a: AdjustmentAct) -> list[Problem]:
    if not is_whole(a.amount) or a.amount <= 0:
        return [Problem("date", "ไม่มีค่าปรับถึงวันนี้ (ไม่มีงวดค้าง หรือสัญญาไม่มีค่าปรับ หรือคิดไปแล้ว)",
                        "no penalty is due by that day (nothing overdue, no penalty in the terms, or charged already)")]
    return []


WAIVE_REQUEST = [waive_kind, loan_repaying, actor_writes, none_pending, adjustment_reason, adjustment_dated,
                 adjustment_month_open, waiver_within]
PENALTY_CHARGE = [loan_repaying, actor_writes, adjustment_dated, penalty_due]


def waiver_still_within(a: AdjustmentAct) -> list[Problem]:
    adj = a.adjustment
    if adj.status != "pending" or adj.kind not in ("waive_interest", "waive_penalty"):
        return []
    if a.loan.status != "disbursed" or adj.amount > a.waivable:
        return [Problem("amount", "ยอดยกเว้นเกินที่ยังค้างอยู่ตอนนี้ ให้ไม่อนุมัติแล้วขอใหม่",
                        "the waiver is above what is owed now: reject it and ask again", value=format_baht(adj.amount))]
    return []


ADJUSTMENT_APPROVE = [adjustment_pending, adjustment_second_person, still_as_asked, waiver_still_within]
ADJUSTMENT_REJECT = [adjustment_pending, adjustment_second_person, adjustment_reason]


def adjustment_standing(a: AdjustmentAct) -> list[Problem]:
    adj = a.adjustment
    if adj.status != "approved" or adj.is_reversed:
        return [Problem("adjustment", "กลับรายการได้เฉพาะรายการที่อนุมัติแล้วและยังไม่กลับรายการ",
                        "only an approved request not yet reversed can be reversed")]
    if adj.kind == "write_off" and a.recoveries_standing:
        return [Problem("adjustment", "กลับรายการรับชำระหนี้สูญของสัญญานี้ก่อน",
                        "reverse the loan's recoveries first")]
    if adj.kind == "penalty" and adj.amount > a.waivable:
        return [Problem("adjustment", "ค่าปรับนี้ชำระหรือยกเว้นไปแล้วบางส่วน กลับรายการชำระหรือการยกเว้นก่อน",
                        "part of this penalty is paid or waived: reverse the repayment or waiver first")]
    if a.rescheduled:
        return [Problem("adjustment", "การยกเว้นนี้อยู่ก่อนการปรับโครงสร้างหนี้ กลับรายการปรับโครงสร้างหนี้ก่อน",
                        "this waiver came before the loan's reschedule: reverse the reschedule first",
                        code="rescheduled")]
    if a.loan.status == "written_off" and adj.kind in ("penalty", "waive_interest", "waive_penalty"):
        return [Problem("adjustment", "เงินกู้นี้ตัดเป็นหนี้สูญแล้ว กลับรายการตัดหนี้สูญก่อน",
                        "the loan is written off: reverse the write-off first")]
    return []


def adjustment_reverser(a: AdjustmentAct) -> list[Problem]:
    if _can(a.actor, a.loan.organisation, scoping.APPROVE):
        return []
    return [Problem("actor", "การกลับรายการต้องเป็นกรรมการที่มีสิทธิ์อนุมัติ",
                    "a reversal needs a committee member who may approve")]


ADJUSTMENT_REVERSE = [adjustment_standing, adjustment_reverser, adjustment_reason]
