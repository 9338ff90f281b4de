"""A loan product and its versions: ``PRODUCT_CREATE`` (names, terms, limits, guarantor bands)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from omboon.core.errors import Problem, problems_of
from omboon.core.money import is_whole
from omboon.loans import schedule
from omboon.loans.rules.common import _can
from omboon.loans.rules.terms import (
    MAX_BANDS,
    MAX_GUARANTORS,
    MAX_RATE,
    MAX_SAVINGS_MULTIPLE,
    MAX_TERM,
    ScheduleInput,
    check_grace,
    check_method,
    check_rate,
    check_rounding,
    check_term,
    is_count,
)
from omboon.orgs import scoping


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
    term_min: Any = None  # the least instalments an application may ask for (None: the terms' term)
    term_max: Any = None  # the most (None: the terms' term)

    @property
    def limits(self) -> tuple[Any, Any]:
        """(term_min, term_max), the terms' term for either not given."""
        term = self.terms.term
        return (term if self.term_min is None else self.term_min, term if self.term_max is None else self.term_max)


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


def product_term_limits(p: Product) -> list[Problem]:
    """The terms an application may ask for: 1 ≤ term_min ≤ the usual term ≤ term_max ≤ MAX_TERM
    (the usual term is the one an application takes when it asks for none)."""
    low, high = p.limits
    problems = []
    if not is_count(low):
        problems.append(Problem("term_min", f"จำนวนงวดต่ำสุดต้องอยู่ระหว่าง 1 ถึง {MAX_TERM} งวด",
                                f"the shortest term must be 1 to {MAX_TERM} instalments", value=low))
    if not is_count(high):
        problems.append(Problem("term_max", f"จำนวนงวดสูงสุดต้องอยู่ระหว่าง 1 ถึง {MAX_TERM} งวด",
                                f"the longest term must be 1 to {MAX_TERM} instalments", value=high))
    term = p.terms.term
    if problems or not is_count(term):
        return problems  # check_term names a bad term
    grace = p.terms.grace_principal
    if is_whole(grace) and 0 <= grace < term and low <= grace:
        problems.append(Problem("term_min", f"จำนวนงวดต่ำสุด ({low} งวด) ต้องมากกว่างวดปลอดเงินต้น ({grace} งวด)",
                                f"the shortest term ({low} instalments) must be longer than the grace on principal "
                                f"({grace})", value=low))
    if low > term:
        problems.append(Problem("term_min", f"จำนวนงวดต่ำสุด ({low} งวด) ต้องไม่มากกว่าจำนวนงวดปกติ ({term} งวด)",
                                f"the shortest term ({low} instalments) cannot be above the usual term "
                                f"({term} instalments)", value=low))
    if high < term:
        problems.append(Problem("term_max", f"จำนวนงวดสูงสุด ({high} งวด) ต้องไม่น้อยกว่าจำนวนงวดปกติ ({term} งวด)",
                                f"the longest term ({high} instalments) cannot be below the usual term "
                                f"({term} instalments)", value=high))
    return problems


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


PRODUCT_CREATE = [product_group, product_manager, product_names, product_terms, product_term_limits, product_limits]
