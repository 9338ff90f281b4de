"""The terms a schedule can follow, checked on one subject, ``ScheduleInput``, as the list
``SCHEDULE`` (no database needed), and the limits every other list reads (``MAX_TERM`` …)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from omboon.core.errors import Problem, problems_of
from omboon.core.money import format_baht, is_whole
from omboon.loans import schedule

MAX_TERM = 520  # ten years of weekly instalments
MAX_RATE = Decimal(100)  # percent, per year or per month as entered
MAX_GUARANTORS = 5
MAX_BANDS = 6
MAX_SAVINGS_MULTIPLE = Decimal(100)
MAX_QUORUM = 9


@dataclass(frozen=True, slots=True)
class ScheduleInput:
    terms: schedule.Terms
    principal: int
    disbursed_on: dt.date
    first_due: dt.date


def check_principal(s: ScheduleInput) -> list[Problem]:
    if not is_whole(s.principal) or s.principal <= 0:
        return [Problem("principal", "เงินต้นต้องเป็นจำนวนเงินมากกว่าศูนย์", "the principal must be an amount above zero",
                        value=s.principal)]
    return []


def check_method(s: ScheduleInput) -> list[Problem]:
    t = s.terms
    problems = []
    if t.method not in schedule.METHODS:
        problems.append(Problem("method", "วิธีคิดดอกเบี้ยต้องเป็น flat, declining หรือ equal-principal",
                                "the method must be flat, declining or equal-principal", value=t.method))
    if t.per not in (schedule.PER_YEAR, schedule.PER_MONTH):
        problems.append(Problem("per", "อัตราดอกเบี้ยต้องเป็นต่อปีหรือต่อเดือน", "the rate is per year or per month",
                                value=t.per))
    if t.every not in schedule.PERIODS_A_YEAR:
        problems.append(Problem("every", "งวดชำระต้องเป็นรายสัปดาห์ รายเดือน หรือรายปี",
                                "repayment is weekly, monthly or yearly", value=t.every))
    return problems


def check_rate(s: ScheduleInput) -> list[Problem]:
    rate = s.terms.rate
    if not isinstance(rate, Decimal) or not rate.is_finite() or rate < 0 or rate > MAX_RATE:
        return [Problem("rate", f"อัตราดอกเบี้ยต้องอยู่ระหว่าง 0 ถึง {MAX_RATE} ต่อร้อย",
                        f"the rate must be from 0 to {MAX_RATE} percent", value=str(rate))]
    return []


def is_count(term) -> bool:
    """A term the schedule can have: 1 to MAX_TERM instalments."""
    return is_whole(term) and 1 <= term <= MAX_TERM


def check_term(s: ScheduleInput) -> list[Problem]:
    t = s.terms
    if not is_count(t.term):
        return [Problem("term", f"จำนวนงวดต้องอยู่ระหว่าง 1 ถึง {MAX_TERM}", f"the term must be 1 to {MAX_TERM} instalments",
                        value=t.term)]
    return []


def check_grace(s: ScheduleInput) -> list[Problem]:
    t = s.terms
    problems = []
    if not is_count(t.term):
        return []  # check_term says so
    if not is_whole(t.grace_principal) or not 0 <= t.grace_principal < t.term:
        problems.append(Problem("grace_principal", "งวดปลอดเงินต้นต้องน้อยกว่าจำนวนงวด (ต้องเหลืองวดชำระเงินต้น)",
                                "the grace on principal must be shorter than the term", value=t.grace_principal))
    elif not is_whole(t.grace_interest) or not 0 <= t.grace_interest <= t.grace_principal:
        problems.append(Problem("grace_interest", "งวดปลอดดอกเบี้ยต้องอยู่ในช่วงปลอดเงินต้น",
                                "the grace on interest must lie within the grace on principal",
                                value=t.grace_interest))
    return problems


def check_rounding(s: ScheduleInput) -> list[Problem]:
    if s.terms.rounding not in schedule.ROUNDINGS:
        return [Problem("rounding", "ปัดงวดได้เป็น 1, 5 หรือ 10 บาท หรือไม่ปัด",
                        "round instalments to 1, 5 or 10 baht, or not at all", value=s.terms.rounding)]
    return []


def check_dates(s: ScheduleInput) -> list[Problem]:
    if s.first_due <= s.disbursed_on:
        return [Problem("first_due", "วันครบกำหนดงวดแรกต้องหลังวันจ่ายเงินกู้",
                        "the first instalment falls due after the disbursement", value=s.first_due.isoformat())]
    return []


SCHEDULE = [check_principal, check_method, check_rate, check_term, check_grace, check_rounding, check_dates]


def problems_of_schedule(terms, principal, disbursed_on, first_due) -> list[Problem]:
    return problems_of(SCHEDULE, ScheduleInput(terms, principal, disbursed_on, first_due))


def instalment_too_small(terms, n: int) -> Problem:
    """Found while building: instalment ``n``, rounded down, would repay no principal, or all of it."""
    rounding = f"ปัดงวดละ {format_baht(terms.rounding)} บาท" if terms.rounding > 1 else "ไม่ปัดเศษ"
    rounded = f"rounded to {format_baht(terms.rounding)} baht" if terms.rounding > 1 else "unrounded"
    return Problem("principal", f"เงินต้นน้อยเกินไปสำหรับ {terms.term} งวด {rounding} (งวดที่ {n}) "
                   "ให้ลดจำนวนงวดหรือปัดเศษน้อยลง",
                   f"the principal is too small for {terms.term} instalments {rounded} (instalment {n}); "
                   "shorten the term or round less", value=n)
