"""Checks of the year-end allocation. Each returns a list of Problems (Thai first, English
second); none raise. The split's own checks (no database) run as ``MODEL`` on a ``Model`` and
``problems_of_allocation`` on the whole input; the lifecycle's as ``DRAFT``, ``APPROVE``,
``POST``, ``PAY`` and ``REVERSE``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from omboon.core.errors import Problem, problems_of
from omboon.core.money import format_baht, is_whole
from omboon.core.thaidate import format_date, to_be
from omboon.loans.year_end import compute
from omboon.orgs import scoping
from omboon.orgs.maker_checker import second_person

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


# ============================================================================================
# The lifecycle's checks, as named lists (run with ``core.errors.problems_of``): the services
# run them, a page asks them which actions to offer.
# ============================================================================================


@dataclass(frozen=True)
class Draft:
    organisation: Any
    actor: Any
    year: Any  # selectors.Year
    existing: Any = None  # the year's allocation that stands, if any
    base: str = "all"


@dataclass(frozen=True)
class Act:
    """An act on an allocation: approve (``meeting_on``, ``resolution`` the first time), post
    and pay (``date``, ``how``), reverse (``date``, ``reason``)."""

    allocation: Any
    actor: Any
    date: Any = None
    meeting_on: Any = None
    resolution: str = ""
    how: str = ""
    reason: str = ""
    net_income_now: int | None = None  # post: what the books say now
    year_closed: bool = True  # post: the fiscal year still closed


def _writes(actor, organisation) -> bool:
    return actor is not None and scoping.resolve(actor, organisation).can(scoping.WRITE)


def _shown(day) -> str:
    return format_date(day) if isinstance(day, dt.date) else str(day)


def draft_writer(d: Draft) -> list[Problem]:
    if _writes(d.actor, d.organisation):
        return []
    return [Problem("actor", "ไม่มีสิทธิ์จัดทำการจัดสรรกำไรสุทธิ", "you may not draft the year-end allocation",
                    code="forbidden")]


def draft_year_closed(d: Draft) -> list[Problem]:
    """After the fiscal year's last month is closed, never before."""
    if d.year.closed:
        return []
    return [Problem("year", f"ยังจัดสรรกำไรสุทธิปี {to_be(d.year.fiscal_year)} ไม่ได้: ต้องปิดบัญชีเดือนสุดท้ายของปีงบประมาณ "
                            f"({_shown(d.year.end)}) ก่อน",
                    f"cannot allocate the net income of {d.year.fiscal_year} yet: close the fiscal year's last "
                    f"month (ending {d.year.end:%Y-%m-%d}) first", value=d.year.fiscal_year, code="year_open")]


def draft_replaceable(d: Draft) -> list[Problem]:
    """A draft is drafted again freely; once the meeting's decision is recorded, no longer."""
    e = d.existing
    if e is None or e.status == "draft":
        return []
    return [Problem("year", f"ปี {to_be(d.year.fiscal_year)} มีการจัดสรรที่{e.get_status_display()}อยู่แล้ว "
                            "ร่างใหม่ไม่ได้ (กลับรายการก่อน ถ้ายังไม่จ่าย)",
                    f"{d.year.fiscal_year} already has an allocation that is {e.status}: it cannot be drafted "
                    "again (reverse it first, if it is not paid)", value=e.status, code="exists")]


def draft_group(d: Draft) -> list[Problem]:
    if d.organisation.is_group:
        return []
    return [Problem("organisation", "จัดสรรกำไรสุทธิได้เฉพาะกลุ่ม (เครือข่ายไม่มีสมุดบัญชีของตนเอง)",
                    "only a group allocates its net income (a network keeps no books of its own)",
                    code="not_group")]


BASES = ("all", "shares", "savings")


def draft_base(d: Draft) -> list[Problem]:
    if d.base in BASES:
        return []
    return [Problem("base", "ฐานปันผลต้องเป็นหุ้นและเงินฝาก (all) หุ้น (shares) หรือเงินฝาก (savings)",
                    "the dividend's base is all, shares or savings", value=d.base, code="base")]


DRAFT = [draft_group, draft_writer, draft_year_closed, draft_replaceable, draft_base]


def _status(*allowed: str, th: str, en: str):
    def check(a: Act) -> list[Problem]:
        if a.allocation.status in allowed:
            return []
        return [Problem("status", f"{th} (สถานะตอนนี้: {a.allocation.get_status_display()})",
                        f"{en} (status now: {a.allocation.status})", value=a.allocation.status, code="status")]
    return check


approve_status = _status("draft", "decided", th="อนุมัติได้เฉพาะร่างที่ยังไม่อนุมัติครบ",
                         en="only a draft not yet approved by two can be approved")


def approver_may(a: Act) -> list[Problem]:
    """Two committee members who may approve, neither of them the drafter, not one twice."""
    al = a.allocation
    problems = second_person(a.actor, al.organisation, "loans", [al.drafted_by_id], field="approved_by",
                             th="ผู้จัดทำร่างอนุมัติร่างของตนเองไม่ได้: ต้องเป็นกรรมการคนอื่นสองคน",
                             en="the person who drafted it cannot approve it: two other committee members must")
    if problems:
        return problems
    if al.status == "decided" and a.actor.pk == al.decided_by_id:
        return [Problem("approved_by", "บันทึกมติแล้ว ต้องให้กรรมการอีกคนหนึ่งอนุมัติ",
                        "you recorded the decision: another committee member must approve it", code="second_person")]
    return []


def approve_decision(a: Act) -> list[Problem]:
    """The first approval records the general meeting's decision: its date (after the fiscal
    year, not in the future) and the resolution's text."""
    al = a.allocation
    if al.status != "draft":
        return []
    problems = []
    if not isinstance(a.meeting_on, dt.date):
        problems.append(Problem("meeting_on", "ต้องระบุวันประชุมใหญ่", "the general meeting's date is required",
                                code="required"))
    elif a.meeting_on <= al.end or a.meeting_on > (a.date or a.meeting_on):
        problems.append(Problem("meeting_on", f"วันประชุมใหญ่ต้องอยู่หลังสิ้นปีงบประมาณ ({_shown(al.end)}) "
                                              "และไม่เลยวันนี้",
                                f"the general meeting is after the fiscal year's end ({al.end:%Y-%m-%d}) "
                                "and not in the future", value=a.meeting_on.isoformat(), code="date"))
    if not (a.resolution or "").strip():
        problems.append(Problem("resolution", "ต้องบันทึกมติที่ประชุมใหญ่", "the meeting's resolution is required",
                                code="required"))
    return problems


APPROVE = [approve_status, approver_may, approve_decision]


post_status = _status("approved", th="ลงบัญชีได้เมื่ออนุมัติครบสองคนแล้วและยังไม่ลงบัญชี",
                      en="it is posted once two have approved it, and only once")


def poster_writes(a: Act) -> list[Problem]:
    if _writes(a.actor, a.allocation.organisation):
        return []
    return [Problem("actor", "ไม่มีสิทธิ์ลงบัญชี", "you may not post entries", code="forbidden")]


def post_date(a: Act) -> list[Problem]:
    al = a.allocation
    if not isinstance(a.date, dt.date):
        return [Problem("date", "ต้องระบุวันที่", "a date is required", code="required")]
    if al.meeting_on is not None and a.date < al.meeting_on:
        return [Problem("date", f"ลงบัญชีก่อนวันประชุมใหญ่ ({_shown(al.meeting_on)}) ไม่ได้",
                        f"cannot post before the general meeting ({al.meeting_on:%Y-%m-%d})",
                        value=a.date.isoformat(), code="date")]
    return []


def post_books_unchanged(a: Act) -> list[Problem]:
    """The books still say what the draft was computed from: the year closed, the same net
    income (a month reopened and changed since asks for a new draft)."""
    al = a.allocation
    if a.year_closed and a.net_income_now in (None, al.net_income):
        return []
    return [Problem("net_income", f"บัญชีของปีเปลี่ยนไปหลังจัดทำร่าง (กำไรสุทธิตอนนี้ "
                                  f"{format_baht(a.net_income_now or 0)} บาท): กลับรายการแล้วจัดทำร่างใหม่",
                    f"the year's books changed since the draft (net income now {format_baht(a.net_income_now or 0)} "
                    "baht): reverse it and draft again", value=a.net_income_now, code="stale")]


POST = [post_status, poster_writes, post_date, post_books_unchanged]


pay_status = _status("posted", th="จ่ายได้เมื่อลงบัญชีแล้วและยังไม่จ่าย", en="it is paid once posted, and only once")


def pay_how(a: Act) -> list[Problem]:
    if a.how in ("cash", "savings"):
        return []
    return [Problem("how", "จ่ายเป็นเงินสดหรือเข้าบัญชีเงินฝาก", "pay in cash or into savings", value=a.how,
                    code="how")]


def pay_date(a: Act) -> list[Problem]:
    if not isinstance(a.date, dt.date):
        return [Problem("date", "ต้องระบุวันที่", "a date is required", code="required")]
    entry = a.allocation.entry
    if entry is not None and a.date < entry.date:
        return [Problem("date", f"จ่ายก่อนวันลงบัญชี ({_shown(entry.date)}) ไม่ได้",
                        f"cannot pay before it was posted ({entry.date:%Y-%m-%d})", value=a.date.isoformat(),
                        code="date")]
    return []


PAY = [pay_status, poster_writes, pay_how, pay_date]


reverse_status = _status("posted", th="กลับรายการได้เฉพาะที่ลงบัญชีแล้วและยังไม่จ่าย",
                         en="only a posted allocation not yet paid can be reversed")


def reverser_approves(a: Act) -> list[Problem]:
    if a.actor is not None and scoping.may_approve(a.actor, a.allocation.organisation, "loans"):
        return []
    return [Problem("actor", "ผู้กลับรายการต้องเป็นกรรมการที่มีสิทธิ์อนุมัติ",
                    "a reversal is made by a committee member who may approve", code="forbidden")]


def reverse_reason(a: Act) -> list[Problem]:
    if (a.reason or "").strip():
        return []
    return [Problem("reason", "ต้องระบุเหตุผล", "a reason is required", code="required")]


REVERSE = [reverse_status, reverser_approves, reverse_reason]
