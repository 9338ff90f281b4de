"""A reschedule (ปรับโครงสร้างหนี้), asked by one person and approved by a second:
``RESCHEDULE_REQUEST``, ``RESCHEDULE_APPROVE``, ``RESCHEDULE_REJECT``, ``RESCHEDULE_REVERSE``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from omboon.core.errors import Problem, RuleViolation
from omboon.core.money import format_baht, is_whole
from omboon.ledger.rules import check_month_open
from omboon.loans import schedule
from omboon.loans.rules.common import _can, actor_writes
from omboon.loans.rules.terms import MAX_RATE, MAX_TERM
from omboon.orgs import scoping
from omboon.orgs.maker_checker import second_person


@dataclass(frozen=True)
class RescheduleAct:
    """A reschedule asked for (``reschedule`` None) or decided on."""

    loan: Any
    actor: Any
    date: Any = None
    term: Any = None
    rate: Any = None
    first_due: Any = None
    reason: str = ""
    terms: Any = None  # the new schedule's terms (schedule.Terms), when term and rate are usable
    outstanding: int = 0  # the loan's outstanding principal now
    last_date: Any = None  # the latest standing repayment, adjustment or reschedule of the loan
    pending: bool = False  # another reschedule of the loan waits for its approval
    max_term: int = MAX_TERM  # the longest new term (the product's term_max, in the new period)
    reschedule: Any = None
    latest: bool = True  # a reversal: no later reschedule of the loan stands
    settled_since: bool = False  # a reversal: something was settled or charged on the new schedule
    last_closed: Any = None  # ledger.rules.last_closed_period: the reschedule's day must be in an open month


def reschedule_repaying(a: RescheduleAct) -> list[Problem]:
    status = a.loan.status
    if status == "written_off":
        return [Problem("status", "เงินกู้นี้ตัดเป็นหนี้สูญแล้ว ปรับโครงสร้างหนี้ไม่ได้ (กลับรายการตัดหนี้สูญก่อน)",
                        "this loan is written off and cannot be rescheduled (reverse the write-off first)",
                        value=status)]
    if status == "closed":
        return [Problem("status", "เงินกู้นี้ปิดแล้ว (ชำระครบ) ปรับโครงสร้างหนี้ไม่ได้",
                        "this loan is closed (repaid) and cannot be rescheduled", value=status)]
    if status != "disbursed" or a.outstanding <= 0:
        return [Problem("status", "ปรับโครงสร้างหนี้ได้เฉพาะเงินกู้ที่จ่ายแล้วและยังมีเงินต้นคงค้าง",
                        "only a disbursed loan with principal outstanding can be rescheduled", value=status)]
    return []


def reschedule_none_pending(a: RescheduleAct) -> list[Problem]:
    if a.pending:
        return [Problem("loan", "มีคำขอปรับโครงสร้างหนี้ของสัญญานี้รออนุมัติอยู่ อนุมัติหรือไม่อนุมัติก่อน",
                        "a reschedule of this loan awaits approval: approve or reject it first")]
    return []


def reschedule_reason(a: RescheduleAct) -> list[Problem]:
    return [] if (a.reason or "").strip() else [Problem("reason", "ต้องระบุเหตุผล", "a reason is required")]


def reschedule_dated(a: RescheduleAct) -> list[Problem]:
    """Not before the disbursement nor the loan's latest transaction: the new schedule starts
    after everything settled so far."""
    if not isinstance(a.date, dt.date):
        return [Problem("date", "ต้องระบุวันที่", "a date is required")]
    disbursed = a.loan.disbursed_on
    if disbursed is not None and a.date < disbursed:
        return [Problem("date", "วันปรับโครงสร้างหนี้ต้องไม่ก่อนวันจ่ายเงินกู้", "a reschedule cannot precede the disbursement",
                        value=a.date.isoformat())]
    if a.last_date is not None and a.date < a.last_date:
        return [Problem("date", f"วันที่ต้องไม่ก่อนรายการล่าสุดของสัญญา ({a.last_date.isoformat()})",
                        f"the date cannot precede the loan's latest transaction ({a.last_date.isoformat()})",
                        value=a.date.isoformat())]
    return []


def reschedule_term(a: RescheduleAct) -> list[Problem]:
    if not is_whole(a.term) or not 1 <= a.term <= min(a.max_term, MAX_TERM):
        most = min(a.max_term, MAX_TERM)
        return [Problem("term", f"จำนวนงวดใหม่ต้องอยู่ระหว่าง 1 ถึง {most} งวด ตามประเภทเงินกู้",
                        f"the new term must be 1 to {most} instalments, as the loan product allows", value=a.term)]
    return []


def reschedule_rate(a: RescheduleAct) -> list[Problem]:
    rate = a.rate
    if not isinstance(rate, Decimal) or not rate.is_finite() or rate < 0 or rate > MAX_RATE:
        return [Problem("rate", f"อัตราดอกเบี้ยต้องอยู่ระหว่าง 0 ถึง {MAX_RATE} ต่อร้อย",
                        f"the rate must be from 0 to {MAX_RATE} percent", value=str(rate))]
    return []


def reschedule_first_due(a: RescheduleAct) -> list[Problem]:
    if not isinstance(a.first_due, dt.date):
        return [Problem("first_due", "ต้องระบุวันครบกำหนดงวดแรกของตารางใหม่", "the new first due date is required")]
    if isinstance(a.date, dt.date) and a.first_due <= a.date:
        return [Problem("first_due", "วันครบกำหนดงวดแรกของตารางใหม่ต้องหลังวันปรับโครงสร้างหนี้",
                        "the new first instalment falls due after the reschedule's date",
                        value=a.first_due.isoformat())]
    return []


def reschedule_builds(a: RescheduleAct) -> list[Problem]:
    """The new schedule can be made of the outstanding principal (e.g. not too small for its
    term and rounding); checked once the term, rate and dates are usable."""
    if a.terms is None or not isinstance(a.date, dt.date) or not isinstance(a.first_due, dt.date) \
            or a.first_due <= a.date or a.outstanding <= 0 or reschedule_term(a) or reschedule_rate(a):
        return []
    try:
        schedule.build(a.terms, a.outstanding, a.date, a.first_due)
    except RuleViolation as exc:
        return list(exc.problems)
    return []


def reschedule_month_open(a: RescheduleAct) -> list[Problem]:
    """A reschedule posts nothing, but from its day it changes what is overdue, so the aging a
    closed month-end's allowance for doubtful loans was posted from: asked, approved or reversed,
    its day is in a month the books have not closed (the ledger's message)."""
    day = a.reschedule.date if a.reschedule is not None else a.date
    return check_month_open(a.last_closed, day) if isinstance(day, dt.date) else []


# Whether the loan may be asked to reschedule at all (the pages offer the form by it), then the request.
RESCHEDULE_MAY_ASK = [reschedule_repaying, actor_writes, reschedule_none_pending]
RESCHEDULE_REQUEST = [*RESCHEDULE_MAY_ASK, reschedule_reason, reschedule_dated, reschedule_month_open,
                      reschedule_term, reschedule_rate, reschedule_first_due, reschedule_builds]


def reschedule_pending(a: RescheduleAct) -> list[Problem]:
    if a.reschedule.status != "pending":
        return [Problem("reschedule", "คำขอนี้พิจารณาไปแล้ว", "this request is decided already",
                        value=a.reschedule.status)]
    return []


def reschedule_second_person(a: RescheduleAct) -> list[Problem]:
    """A committee member who may approve loans, never the person who asked."""
    return second_person(a.actor, a.loan.organisation, "loans", [a.reschedule.requested_by_id], field="approved_by",
                         th="ผู้อนุมัติต้องไม่ใช่ผู้บันทึกคำขอ ต้องเป็นกรรมการอีกคน",
                         en="the approver cannot be the person who entered the request: a second person approves")


def reschedule_still_as_asked(a: RescheduleAct) -> list[Problem]:
    """The loan has not moved since the request: still repaying, the same principal
    outstanding, nothing dated after the reschedule's day."""
    r = a.reschedule
    if r.status != "pending":
        return []
    if a.loan.status != "disbursed" or a.outstanding != r.principal \
            or (a.last_date is not None and a.last_date > r.date):
        return [Problem("principal", "เงินกู้เปลี่ยนไปหลังขอปรับโครงสร้างหนี้ (มีการชำระหรือกลับรายการ) "
                        "ให้ไม่อนุมัติแล้วขอใหม่",
                        "the loan changed since the reschedule was asked for: reject it and ask again",
                        value=format_baht(r.principal))]
    return []


RESCHEDULE_APPROVE = [reschedule_pending, reschedule_second_person, reschedule_still_as_asked, reschedule_month_open]
RESCHEDULE_REJECT = [reschedule_pending, reschedule_second_person, reschedule_reason]


def reschedule_standing(a: RescheduleAct) -> list[Problem]:
    r = a.reschedule
    if r.status != "approved" or r.reversed_on is not None:
        return [Problem("reschedule", "กลับรายการได้เฉพาะการปรับโครงสร้างหนี้ที่อนุมัติแล้วและยังไม่กลับรายการ",
                        "only an approved reschedule not yet reversed can be reversed")]
    if not a.latest:
        return [Problem("reschedule", "กลับรายการปรับโครงสร้างหนี้ครั้งหลังสุดก่อน",
                        "reverse the latest reschedule first")]
    if a.loan.status != "disbursed":
        return [Problem("status", "กลับรายการได้เฉพาะเงินกู้ที่ยังผ่อนชำระอยู่", "only a loan still repaying",
                        value=a.loan.status)]
    if a.settled_since:
        return [Problem("reschedule", "มีการชำระ ยกเว้น หรือคิดค่าปรับตามตารางใหม่แล้ว กลับรายการเหล่านั้นก่อน",
                        "something was paid, waived or charged on the new schedule: reverse it first")]
    return []


def reschedule_reverser(a: RescheduleAct) -> list[Problem]:
    if _can(a.actor, a.loan.organisation, scoping.APPROVE):
        return []
    return [Problem("actor", "การกลับรายการต้องเป็นกรรมการที่มีสิทธิ์อนุมัติ",
                    "a reversal needs a committee member who may approve")]


RESCHEDULE_REVERSE = [reschedule_standing, reschedule_reverser, reschedule_reason, reschedule_month_open]
