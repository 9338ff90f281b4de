"""Checks of loan input. Each returns a list of Problems (Thai first, English second); none
raise. The schedule's checks run on one subject, ``ScheduleInput``, as the list ``SCHEDULE``
(no database needed); the lifecycle's as ``PRODUCT_CREATE``, ``LOAN_APPLY``, ``LOAN_APPROVE``,
``LOAN_REJECT``, ``LOAN_WITHDRAW``, ``LOAN_DISBURSE``, ``LOAN_REPAY``, ``REPAYMENT_REVERSE``; a
write-off and a recovery as ``WRITE_OFF_REQUEST``, ``RECOVERY_REQUEST``, ``ADJUSTMENT_APPROVE``,
``ADJUSTMENT_REJECT``, ``ADJUSTMENT_REVERSE``; a penalty and a waiver as ``PENALTY_CHARGE``
and ``WAIVE_REQUEST``; a reschedule as ``RESCHEDULE_REQUEST``, ``RESCHEDULE_APPROVE``,
``RESCHEDULE_REJECT``, ``RESCHEDULE_REVERSE``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from omboon.core.errors import Problem, RuleViolation, problems_of
from omboon.core.money import format_baht, is_whole
from omboon.loans import schedule
from omboon.members.models import LEFT_STATUSES
from omboon.orgs import scoping

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


# ============================================================================================
# The lifecycle's checks, as named lists (run with ``core.errors.problems_of``): the services
# run them, a page asks them which actions to offer.
# ============================================================================================


def _can(actor, organisation, power) -> bool:
    return actor is not None and scoping.resolve(actor, organisation).can(power)


@dataclass(frozen=True)
class Product:
    organisation: Any
    code: str
    name_th: str
    terms: schedule.Terms
    max_amount: int
    guarantor_bands: Any
    effective_from: Any
    taken: bool = False  # the code (or the version's date) is in use already
    guarantor_cap: int = 0
    savings_multiple: Any = Decimal(0)
    actor: Any = None  # None: the system (the demo, an import); a person must have the manage right
    version: bool = False  # a new version of a product (``taken``: a version of that date exists)


def product_manager(p: Product) -> list[Problem]:
    if p.actor is None or _can(p.actor, p.organisation, scoping.MANAGE):
        return []
    return [Problem("actor", "ตั้งหรือแก้ประเภทเงินกู้ได้เฉพาะผู้มีสิทธิ์จัดการกลุ่ม",
                    "only someone who manages the group may set up loan products")]


def product_group(p: Product) -> list[Problem]:
    if p.organisation is None or not p.organisation.is_group:
        return [Problem("organisation", "เงินกู้เป็นของกลุ่ม ไม่ใช่เครือข่าย", "loans belong to a group, not a network")]
    return []


def product_names(p: Product) -> list[Problem]:
    problems = []
    if not (p.code or "").strip():
        problems.append(Problem("code", "ต้องระบุรหัสประเภทเงินกู้", "the product needs a code"))
    if not (p.name_th or "").strip():
        problems.append(Problem("name_th", "ต้องระบุชื่อประเภทเงินกู้", "the product needs a Thai name"))
    if p.taken and p.version:
        problems.append(Problem("effective_from", "มีเงื่อนไขฉบับที่เริ่มใช้วันนี้อยู่แล้ว",
                                "the product has a version from that date already", value=str(p.effective_from)))
    elif p.taken:
        problems.append(Problem("code", "มีประเภทเงินกู้รหัสนี้อยู่แล้ว", "a loan product with this code exists already",
                                value=p.code))
    return problems


def check_penalty(s: ScheduleInput) -> list[Problem]:
    """The penalty on overdue instalments: a rate a month from 0 to 100 %, a fine not below zero."""
    rate, fine = s.terms.penalty_rate, s.terms.penalty_fine
    problems = []
    if not isinstance(rate, Decimal) or not rate.is_finite() or rate < 0 or rate > MAX_RATE:
        problems.append(Problem("penalty_rate", f"อัตราค่าปรับต่อเดือนต้องอยู่ระหว่าง 0 ถึง {MAX_RATE} ต่อร้อย",
                                f"the penalty rate a month must be from 0 to {MAX_RATE} percent", value=str(rate)))
    if not is_whole(fine) or fine < 0:
        problems.append(Problem("penalty_fine", "ค่าปรับต่องวดต้องไม่ติดลบ", "the fine per instalment cannot be below zero",
                                value=fine))
    return problems


def check_order(s: ScheduleInput) -> list[Problem]:
    """The allocation order: each of penalty, fee, interest and principal once."""
    order = s.terms.order
    if not isinstance(order, (tuple, list)) or sorted(order) != sorted(schedule.PARTS):
        return [Problem("order", "ลำดับการตัดชำระต้องมีค่าปรับ ค่าธรรมเนียม ดอกเบี้ย และเงินต้น อย่างละครั้ง",
                        "the allocation order names penalty, fee, interest and principal, each once",
                        value=",".join(map(str, order)) if isinstance(order, (tuple, list)) else str(order))]
    return []


def product_terms(p: Product) -> list[Problem]:
    subject = ScheduleInput(p.terms, 1, dt.date(2000, 1, 1), dt.date(2000, 1, 2))
    return problems_of([check_method, check_rate, check_term, check_grace, check_rounding, check_penalty,
                        check_order], subject)


def guarantors_needed(bands, principal: int) -> int:
    """How many guarantors a loan of ``principal`` needs under the bands ([[up_to, count], …,
    [None, count]]): the count of the first band the amount is within; none without bands."""
    for up_to, count in bands or ():
        if up_to is None or principal <= up_to:
            return count
    return 0


def check_bands(bands) -> list[Problem]:
    """Guarantor bands: at most MAX_BANDS, each an amount above zero (ascending) and a count
    0–MAX_GUARANTORS, the last open-ended (amounts above the others)."""
    bad = Problem("guarantor_bands", f"ช่วงวงเงินผู้ค้ำประกัน: วงเงินเรียงจากน้อยไปมาก จำนวนผู้ค้ำ 0–{MAX_GUARANTORS} คน "
                  "และช่วงสุดท้ายคือยอดที่เกินช่วงก่อน ๆ",
                  f"guarantor bands: amounts ascending, 0–{MAX_GUARANTORS} guarantors each, the last band "
                  "for amounts above the others", value=str(bands))
    if bands in (None, [], ()):
        return []
    if not isinstance(bands, (list, tuple)) or len(bands) > MAX_BANDS:
        return [bad]
    last = 0
    for i, band in enumerate(bands):
        if not isinstance(band, (list, tuple)) or len(band) != 2:
            return [bad]
        up_to, count = band
        if not is_whole(count) or not 0 <= count <= MAX_GUARANTORS:
            return [bad]
        if i == len(bands) - 1:
            if up_to is not None:
                return [bad]
        elif not is_whole(up_to) or up_to <= last:
            return [bad]
        else:
            last = up_to
    return []


def savings_multiple_valid(value) -> bool:
    return isinstance(value, Decimal) and value.is_finite() and 0 <= value <= MAX_SAVINGS_MULTIPLE \
        and value == value.quantize(Decimal("0.01"))


def product_limits(p: Product) -> list[Problem]:
    problems = []
    if not is_whole(p.max_amount) or p.max_amount <= 0:
        problems.append(Problem("max_amount", "วงเงินกู้สูงสุดต้องมากกว่าศูนย์", "the maximum must be above zero",
                                value=p.max_amount))
    problems += check_bands(p.guarantor_bands)
    if not savings_multiple_valid(p.savings_multiple):
        problems.append(Problem("savings_multiple", f"กู้ได้ไม่เกินกี่เท่าของเงินออมต้องอยู่ระหว่าง 0 ถึง "
                                f"{MAX_SAVINGS_MULTIPLE} (ทศนิยม 2 ตำแหน่ง; 0 = ไม่จำกัด)",
                                f"the multiple of own savings must be from 0 to {MAX_SAVINGS_MULTIPLE} "
                                "(2 decimals; 0: no such limit)", value=str(p.savings_multiple)))
    if not is_whole(p.guarantor_cap) or p.guarantor_cap < 0:
        problems.append(Problem("guarantor_cap", "วงเงินค้ำประกันสูงสุดต่อคนต้องไม่ติดลบ (0 = ไม่จำกัด)",
                                "a guarantor's cap cannot be below zero (0: no cap)", value=p.guarantor_cap))
    if not isinstance(p.effective_from, dt.date):
        problems.append(Problem("effective_from", "ต้องระบุวันที่เริ่มใช้", "the date it takes effect is required"))
    return problems


PRODUCT_CREATE = [product_group, product_manager, product_names, product_terms, product_limits]


@dataclass(frozen=True)
class Application:
    organisation: Any
    actor: Any
    member: Any
    version: Any  # LoanProductVersion in force on the date, or None
    principal: int
    purpose: str
    guarantors: tuple
    applied_on: Any
    in_arrears: bool = False  # the borrower has an instalment overdue on the day
    exposure: dict | None = None  # guarantor's member id → what they stand for already (satang)
    own_savings: int | None = None  # the borrower's savings balance (the savings hook), None: not asked
    spouses: frozenset = frozenset()  # guarantors' member ids recorded as the borrower's spouse
    spouse_refused: bool = False  # the bylaws refuse a spouse as guarantor


def _left(member) -> bool:
    return member.status in LEFT_STATUSES


def applicant_writes(a: Application) -> list[Problem]:
    if _can(a.actor, a.organisation, scoping.WRITE):
        return []
    return [Problem("actor", "ไม่มีสิทธิ์บันทึกคำขอกู้", "you may not enter a loan application")]


def borrower_is_member(a: Application) -> list[Problem]:
    if a.member is None or a.member.organisation_id != a.organisation.pk:
        return [Problem("member", "ไม่พบสมาชิกนี้ในกลุ่ม กู้ได้เฉพาะสมาชิก", "no such member in this group; only members borrow")]
    if _left(a.member):
        return [Problem("member", "สมาชิกพ้นสภาพแล้ว กู้ไม่ได้", "the member has left and cannot borrow",
                        value=a.member.number)]
    return []


def product_in_force(a: Application) -> list[Problem]:
    if a.version is None or a.version.product.organisation_id != a.organisation.pk or not a.version.product.is_active:
        return [Problem("product", "ไม่มีประเภทเงินกู้นี้ใช้อยู่ในวันที่ยื่นคำขอ", "no such loan product in force on that date")]
    return []


def amount_within_limit(a: Application) -> list[Problem]:
    if not is_whole(a.principal) or a.principal <= 0:
        return [Problem("principal", "จำนวนเงินกู้ต้องมากกว่าศูนย์", "the amount must be above zero", value=a.principal)]
    if a.version is not None and a.principal > a.version.max_amount:
        return [Problem("principal", f"จำนวนเงินกู้เกินวงเงินสูงสุด {format_baht(a.version.max_amount)} บาท",
                        f"the amount is above the product's maximum of {format_baht(a.version.max_amount)} baht",
                        value=format_baht(a.principal))]
    return []


def amount_within_savings(a: Application) -> list[Problem]:
    """At most the product's multiple of the borrower's own savings (where it sets one)."""
    v = a.version
    if v is None or not v.savings_multiple or not is_whole(a.principal) or a.own_savings is None:
        return []
    limit = int(max(a.own_savings, 0) * Decimal(v.savings_multiple))  # satang, rounded down
    if a.principal > limit:
        times = f"{Decimal(v.savings_multiple).normalize():f}"
        return [Problem("principal", f"จำนวนเงินกู้เกิน {times} เท่าของเงินออมของผู้กู้ "
                        f"({format_baht(a.own_savings)} บาท): กู้ได้ไม่เกิน {format_baht(limit)} บาท",
                        f"the amount is above {times} times the borrower's own savings "
                        f"({format_baht(a.own_savings)} baht): at most {format_baht(limit)} baht",
                        value=format_baht(a.principal))]
    return []


def purpose_given(a: Application) -> list[Problem]:
    return [] if (a.purpose or "").strip() else [Problem("purpose", "ต้องระบุวัตถุประสงค์การกู้",
                                                         "the purpose of the loan is required")]


def guarantors_enough(a: Application) -> list[Problem]:
    """As many guarantors as the product's band for the amount asks."""
    v = a.version
    if v is None or not is_whole(a.principal):
        return []
    needed = guarantors_needed(v.guarantor_bands, a.principal)
    if len({g.pk for g in a.guarantors}) < needed:
        return [Problem("guarantors", f"เงินกู้ {format_baht(a.principal)} บาท ต้องมีผู้ค้ำประกัน {needed} คน",
                        f"a loan of {format_baht(a.principal)} baht needs {needed} guarantors",
                        value=len(a.guarantors))]
    return []


def guarantor_not_spouse(a: Application) -> list[Problem]:
    """Where the bylaws say so, the borrower's spouse (as the members' records have them) does
    not guarantee the loan."""
    if not a.spouse_refused:
        return []
    return [Problem("guarantors", f"ผู้ค้ำ {g.number} เป็นคู่สมรสของผู้กู้ ตามระเบียบกลุ่มคู่สมรสค้ำประกันไม่ได้",
                    f"guarantor {g.number} is the borrower's spouse: the bylaws do not accept a spouse as guarantor",
                    row=i, value=g.number)
            for i, g in enumerate(a.guarantors, start=1) if g.pk in a.spouses]


def guarantors_eligible(a: Application) -> list[Problem]:
    problems, seen = [], set()
    for i, g in enumerate(a.guarantors, start=1):
        if a.member is not None and g.pk == a.member.pk:
            problems.append(Problem("guarantors", "ผู้กู้ค้ำประกันตนเองไม่ได้", "the borrower cannot guarantee the loan",
                                    row=i, value=g.number))
        elif g.organisation_id != a.organisation.pk or _left(g):
            problems.append(Problem("guarantors", "ผู้ค้ำประกันต้องเป็นสมาชิกของกลุ่มที่ยังไม่พ้นสภาพ",
                                    "a guarantor must be a member of the group who has not left", row=i,
                                    value=g.number))
        elif g.pk in seen:
            problems.append(Problem("guarantors", "ผู้ค้ำประกันซ้ำ", "a guarantor is named twice", row=i, value=g.number))
        seen.add(g.pk)
    return problems


def borrower_not_in_arrears(a: Application) -> list[Problem]:
    """No new loan while in arrears, where the product says so."""
    if a.in_arrears and a.version is not None and a.version.refuse_in_arrears:
        return [Problem("member", "ผู้กู้มีงวดค้างชำระอยู่ กู้ใหม่ไม่ได้จนกว่าจะชำระงวดที่ค้าง",
                        "the borrower is in arrears: no new loan until the overdue instalments are paid",
                        value=a.member.number if a.member is not None else None)]
    return []


def _over_cap(cap: int, principal: int, guarantors, exposure: dict | None) -> list[Problem]:
    if not cap or not is_whole(principal):
        return []
    problems = []
    for i, g in enumerate(guarantors, start=1):
        total = (exposure or {}).get(g.pk, 0) + principal
        if total > cap:
            problems.append(Problem(
                "guarantors",
                f"ผู้ค้ำ {g.number} จะค้ำประกันรวม {format_baht(total)} บาท เกินวงเงิน {format_baht(cap)} บาทต่อคน",
                f"guarantor {g.number} would stand for {format_baht(total)} baht in all, above the cap of "
                f"{format_baht(cap)} baht each", row=i, value=format_baht(total)))
    return problems


def guarantors_within_cap(a: Application) -> list[Problem]:
    """What a guarantor stands for (the outstanding principal of every loan they guarantee,
    this one included) stays within the product's cap."""
    return _over_cap(a.version.guarantor_cap if a.version is not None else 0, a.principal, a.guarantors,
                     a.exposure)


LOAN_APPLY = [applicant_writes, borrower_is_member, product_in_force, amount_within_limit, amount_within_savings,
              purpose_given, guarantors_enough, guarantors_eligible, guarantor_not_spouse, guarantors_within_cap,
              borrower_not_in_arrears]


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
    if a.actor is None or not scoping.may_approve(a.actor, a.loan.organisation, "loans"):
        return [Problem("approved_by", "ผู้อนุมัติต้องเป็นกรรมการที่มีสิทธิ์อนุมัติ",
                        "the approver must be a committee member who may approve")]
    if a.actor.pk == a.loan.applied_by_id:
        return [Problem("approved_by", "ผู้อนุมัติต้องไม่ใช่ผู้บันทึกคำขอกู้",
                        "the approver cannot be the person who entered the application")]
    return []


def approver_not_twice(a: LoanAct) -> list[Problem]:
    """Under a quorum each approval is a different person's."""
    if a.actor is not None and a.actor.pk in a.approvers:
        return [Problem("approved_by", "ท่านอนุมัติคำขอนี้ไปแล้ว ต้องเป็นกรรมการคนอื่นอนุมัติให้ครบองค์ประชุม",
                        "you have approved this application already: other committee members complete the quorum")]
    return []


def actor_writes(a: LoanAct) -> list[Problem]:
    if _can(a.actor, a.loan.organisation, scoping.WRITE):
        return []
    return [Problem("actor", "ไม่มีสิทธิ์บันทึกรายการเงินกู้", "you may not act on loans")]


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


LOAN_APPROVE = [_status_in(("applied",), "อนุมัติได้เฉพาะคำขอที่รออนุมัติ", "only an application can be approved",
                           "approve_applied"), approver_second_person, approver_not_twice,
                approval_guarantors_within_cap]
LOAN_REJECT = [_status_in(("applied",), "ไม่อนุมัติได้เฉพาะคำขอที่รออนุมัติ", "only an application can be rejected",
                          "reject_applied"), approver_second_person, reason_given]
LOAN_WITHDRAW = [_status_in(("applied", "approved"), "ถอนได้เฉพาะคำขอที่ยังไม่จ่ายเงิน",
                            "only a loan not yet disbursed can be withdrawn", "withdraw_undisbursed"),
                 actor_writes, reason_given]
LOAN_DISBURSE = [_status_in(("approved",), "จ่ายเงินกู้ได้เฉพาะคำขอที่อนุมัติแล้ว และจ่ายได้ครั้งเดียว",
                            "only an approved loan can be disbursed, once", "disburse_approved"),
                 actor_writes, disbursed_after_application, disbursement_schedule]
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


REPAYMENT_REVERSE = [repayment_standing, loan_not_written_off, repayment_not_of_a_collection_day,
                     repayment_not_brought_forward, repayment_not_before_a_reschedule,
                     reverser_approves, reversal_reason]


# --- write-off and recovery (each entered by one person, approved by a second) -------------------

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


def adjustment_writes(a: AdjustmentAct) -> list[Problem]:
    if _can(a.actor, a.loan.organisation, scoping.WRITE):
        return []
    return [Problem("actor", "ไม่มีสิทธิ์บันทึกรายการเงินกู้", "you may not act on loans")]


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


def recovery_within(a: AdjustmentAct) -> list[Problem]:
    if not is_whole(a.amount) or a.amount <= 0:
        return [Problem("amount", "จำนวนเงินต้องมากกว่าศูนย์", "the amount must be above zero", value=a.amount)]
    if a.amount > a.recoverable:
        return [Problem("amount", f"รับชำระหนี้สูญได้ไม่เกินยอดที่ตัดไปและยังไม่ได้รับคืน {format_baht(a.recoverable)} บาท",
                        f"at most the {format_baht(a.recoverable)} baht written off and not yet recovered",
                        value=format_baht(a.amount))]
    return []


WRITE_OFF_REQUEST = [write_off_disbursed, adjustment_writes, none_pending, adjustment_reason, against_known,
                     adjustment_dated]
RECOVERY_REQUEST = [recover_written_off, adjustment_writes, none_pending, adjustment_reason, adjustment_dated,
                    recovery_within]


def adjustment_pending(a: AdjustmentAct) -> list[Problem]:
    if a.adjustment.status != "pending":
        return [Problem("adjustment", "รายการนี้พิจารณาไปแล้ว", "this request is decided already",
                        value=a.adjustment.status)]
    return []


def adjustment_second_person(a: AdjustmentAct) -> list[Problem]:
    """A committee member who may approve, never the person who entered the request."""
    if a.actor is None or not scoping.may_approve(a.actor, a.loan.organisation, "loans"):
        return [Problem("approved_by", "ผู้อนุมัติต้องเป็นกรรมการที่มีสิทธิ์อนุมัติ",
                        "the approver must be a committee member who may approve")]
    if a.actor.pk == a.adjustment.requested_by_id:
        return [Problem("approved_by", "ผู้อนุมัติต้องไม่ใช่ผู้บันทึกรายการ ต้องเป็นกรรมการอีกคน",
                        "the approver cannot be the person who entered the request: a second person approves")]
    return []


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


WAIVE_REQUEST = [waive_kind, loan_repaying, adjustment_writes, none_pending, adjustment_reason, adjustment_dated,
                 waiver_within]
PENALTY_CHARGE = [loan_repaying, adjustment_writes, adjustment_dated, penalty_due]


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


# --- a running loan brought forward at the cut-over (the ``loans`` import) -----------------------

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


# --- reschedule (ปรับโครงสร้างหนี้): asked by one person, approved by a second -------------------

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
    max_term: int = MAX_TERM  # the product's term: the longest new term
    reschedule: Any = None
    latest: bool = True  # a reversal: no later reschedule of the loan stands
    settled_since: bool = False  # a reversal: something was settled or charged on the new schedule


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


def reschedule_writes(a: RescheduleAct) -> list[Problem]:
    if _can(a.actor, a.loan.organisation, scoping.WRITE):
        return []
    return [Problem("actor", "ไม่มีสิทธิ์บันทึกรายการเงินกู้", "you may not act on loans")]


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


RESCHEDULE_REQUEST = [reschedule_repaying, reschedule_writes, reschedule_none_pending, reschedule_reason,
                      reschedule_dated, reschedule_term, reschedule_rate, reschedule_first_due, reschedule_builds]


def reschedule_pending(a: RescheduleAct) -> list[Problem]:
    if a.reschedule.status != "pending":
        return [Problem("reschedule", "คำขอนี้พิจารณาไปแล้ว", "this request is decided already",
                        value=a.reschedule.status)]
    return []


def reschedule_second_person(a: RescheduleAct) -> list[Problem]:
    """A committee member who may approve loans, never the person who asked."""
    if a.actor is None or not scoping.may_approve(a.actor, a.loan.organisation, "loans"):
        return [Problem("approved_by", "ผู้อนุมัติต้องเป็นกรรมการที่มีสิทธิ์อนุมัติ",
                        "the approver must be a committee member who may approve")]
    if a.actor.pk == a.reschedule.requested_by_id:
        return [Problem("approved_by", "ผู้อนุมัติต้องไม่ใช่ผู้บันทึกคำขอ ต้องเป็นกรรมการอีกคน",
                        "the approver cannot be the person who entered the request: a second person approves")]
    return []


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


RESCHEDULE_APPROVE = [reschedule_pending, reschedule_second_person, reschedule_still_as_asked]
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


RESCHEDULE_REVERSE = [reschedule_standing, reschedule_reverser, reschedule_reason]
