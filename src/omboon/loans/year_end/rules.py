"""Checks of the year-end allocation. Each returns a list of Problems (Thai first, English
second); none raise. The split's own checks (no database) run as ``MODEL`` on a ``Model`` and
``problems_of_allocation`` on the whole input; the lifecycle's as ``DRAFT``, ``APPROVE``,
``POST``, ``PAY`` and ``REVERSE``."""

from __future__ import annotations

from decimal import Decimal

from omboon.core.errors import Problem, problems_of
from omboon.core.money import format_baht, is_whole
from omboon.loans.year_end import compute

HUNDRED = Decimal(100)


def _is_percent(value) -> bool:
    return (isinstance(value, Decimal) and value.is_finite() and 0 <= value <= HUNDRED
            and value == value.quantize(Decimal("0.01")))


def check_kind(m: compute.Model) -> list[Problem]:
    if m.kind not in compute.MODELS:
        return [Problem("kind", "วิธีจัดสรรต้องเป็นแบบสัดส่วน (pool) หรือแบบอัตรา (rate)",
                        "the model must be pool or rate", value=m.kind, code="kind")]
    return []


def check_percents(m: compute.Model) -> list[Problem]:
    return [Problem(part, f"{compute.PART_NAMES[part][0]}: ต้องเป็นร้อยละ 0 ถึง 100 ทศนิยมไม่เกิน 2 ตำแหน่ง",
                    f"{compute.PART_NAMES[part][1]}: a percentage from 0 to 100 with at most two decimals",
                    value=str(m.percent(part)), code="percent")
            for part in compute.PARTS if not _is_percent(m.percent(part))]


def check_reserve(m: compute.Model) -> list[Problem]:
    if _is_percent(m.reserve) and m.reserve < compute.MIN_RESERVE:
        return [Problem("reserve", f"ทุนสำรองต้องไม่น้อยกว่าร้อยละ {compute.MIN_RESERVE} ของกำไรสุทธิ "
                                   f"(ได้ร้อยละ {m.reserve})",
                        f"the reserve must be at least {compute.MIN_RESERVE}% of net income (got {m.reserve}%)",
                        value=str(m.reserve), code="reserve_low")]
    return []


def check_total(m: compute.Model) -> list[Problem]:
    """Pool: the six percentages add up to 100. Rate: the reserve's least and the parts taken
    by percentage leave room for the dividend and refund (at most 100 together)."""
    if m.kind not in compute.MODELS or not all(_is_percent(m.percent(p)) for p in compute.PARTS):
        return []
    if m.kind == compute.POOL:
        total = sum(m.percent(p) for p in compute.PARTS)
        if total != HUNDRED:
            return [Problem("total", f"ร้อยละของทุกส่วนรวมกันต้องเท่ากับ 100 (รวมได้ {total})",
                            f"the percentages must add up to 100 (they add up to {total})",
                            value=str(total), code="total")]
        return []
    total = m.reserve + sum(m.percent(p) for p in compute.BY_PERCENT)
    if total > HUNDRED:
        return [Problem("total", f"ทุนสำรองขั้นต่ำกับส่วนที่เป็นร้อยละรวมกันเกิน 100 (รวมได้ {total})",
                        f"the reserve's least and the parts by percentage add up to more than 100 ({total})",
                        value=str(total), code="total")]
    return []


MODEL = [check_kind, check_percents, check_reserve, check_total]


def problems_of_allocation(net_income, model: compute.Model, members) -> list[Problem]:
    """Everything ``compute.allocate`` refuses before it computes: the model (``MODEL``), net
    income above zero, and each member's input whole, not negative and given once."""
    problems = problems_of(MODEL, model)
    if not is_whole(net_income) or net_income <= 0:
        problems.append(Problem(
            "net_income", "ไม่มีกำไรสุทธิให้จัดสรร: รายได้ของปีไม่สูงกว่าค่าใช้จ่าย"
                          + (f" (ได้ {format_baht(net_income)} บาท)" if is_whole(net_income) else ""),
            "there is no net income to allocate: the year's income is not above its expenses"
            + (f" ({format_baht(net_income)} baht)" if is_whole(net_income) else ""),
            value=net_income, code="no_net_income"))
    seen: set = set()
    for row, m in enumerate(members, start=1):
        for name, value in (("balance_months", m.balance_months), ("interest_paid", m.interest_paid)):
            if not is_whole(value) or value < 0:
                problems.append(Problem(name, "ยอดเงินต้องเป็นจำนวนเต็มสตางค์ไม่ติดลบ",
                                        "an amount must be whole satang, not negative",
                                        row=row, value=value, code="negative"))
        if m.member_id in seen:
            problems.append(Problem("member", "สมาชิกซ้ำในรายชื่อ", "a member is listed twice",
                                    row=row, value=m.member_id, code="member_twice"))
        seen.add(m.member_id)
    return problems


def reserve_enough(net_income: int, model: compute.Model, parts: dict[str, int]) -> list[Problem]:
    """Rate model: the dividend and refund at the bylaws' rates, with the parts by percentage,
    leave the reserve at least its percentage of net income (rounded up to the satang)."""
    least = -(-net_income * model.points(compute.RESERVE) // compute.BASIS)
    if parts[compute.RESERVE] >= least:
        return []
    taken = parts[compute.DIVIDEND] + parts[compute.REFUND]
    return [Problem(
        "reserve",
        f"อัตราปันผลและเฉลี่ยคืนสูงเกินไป: จ่าย {format_baht(taken)} บาท เหลือทุนสำรอง "
        f"{format_baht(parts[compute.RESERVE])} บาท ต่ำกว่าร้อยละ {model.reserve} ของกำไรสุทธิ "
        f"({format_baht(least)} บาท) — ลดอัตราลง",
        f"the dividend and refund rates are too high: they take {format_baht(taken)} baht and leave a "
        f"reserve of {format_baht(parts[compute.RESERVE])} baht, under {model.reserve}% of net income "
        f"({format_baht(least)} baht) — lower the rates",
        value=parts[compute.RESERVE], code="reserve_low")]
