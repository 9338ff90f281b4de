"""Checks of welfare input. Each returns a list of Problems (Thai first, English second);
none raise. Forms, the API and the services share them. The eligibility of a claim is the
engine's business (``omboon.welfare.engine``); these check the claim's parts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from omboon.core.errors import Problem
from omboon.core.money import format_baht, is_whole
from omboon.orgs import scoping
from omboon.orgs.maker_checker import second_person
from omboon.welfare import schema
from omboon.welfare.models import BenefitScheme, Category

EARLIEST = dt.date(1950, 1, 1)


def check_group(organisation) -> list[Problem]:
    if organisation is None or not organisation.is_group:
        return [Problem("organisation", "สวัสดิการเป็นของกลุ่ม ไม่ใช่เครือข่าย",
                        "welfare belongs to a group, not to a network", value=getattr(organisation, "code", None))]
    return []


def check_scheme(organisation, *, category: str, name_th: str, custom_label: str = "") -> list[Problem]:
    problems = []
    if category not in Category.values:
        problems.append(Problem("category", f"ไม่รู้จักประเภทสวัสดิการ {category!r}",
                                f"unknown benefit category {category!r}", value=category))
    if not (name_th or "").strip():
        problems.append(Problem("name_th", "ต้องระบุชื่อสวัสดิการ", "the scheme needs a Thai name"))
    elif BenefitScheme.objects.filter(organisation=organisation, name_th=name_th.strip()).exists():
        problems.append(Problem("name_th", f"มีสวัสดิการชื่อ {name_th.strip()} อยู่แล้ว",
                                f"a scheme named {name_th.strip()} exists", value=name_th))
    if category == Category.OTHER and not (custom_label or "").strip():
        problems.append(Problem("custom_label", "สวัสดิการประเภทอื่น ๆ ต้องระบุชื่อประเภท",
                                "an 'other' scheme needs the name of its category"))
    return problems


def check_effective_from(effective_from) -> list[Problem]:
    if not isinstance(effective_from, dt.date):
        return [Problem("effective_from", "ต้องระบุวันที่เริ่มใช้", "the date it takes effect is required")]
    if effective_from < EARLIEST:
        return [Problem("effective_from", "วันที่เริ่มใช้เก่าเกินไป", "the date is too early",
                        value=effective_from.isoformat())]
    return []


def check_claim_parties(organisation, *, member, scheme) -> list[Problem]:
    problems = []
    if member is None or member.organisation_id != organisation.pk:
        problems.append(Problem("member", "ไม่พบสมาชิกนี้ในกลุ่ม ขอสวัสดิการได้เฉพาะสมาชิก",
                                "no such member in this group; only members may claim",
                                value=getattr(member, "number", None)))
    if scheme is None or scheme.organisation_id != organisation.pk:
        problems.append(Problem("scheme", "ไม่พบสวัสดิการนี้ในกลุ่ม", "no such benefit scheme in this group"))
    elif not scheme.is_active:
        problems.append(Problem("scheme", f"สวัสดิการ {scheme.name_th} ปิดรับคำขอแล้ว",
                                f"{scheme.name(lang='en')} takes no more claims"))
    return problems


def check_event(*, event_date, nights, cost, today: dt.date) -> list[Problem]:
    problems = []
    if not isinstance(event_date, dt.date):
        problems.append(Problem("event_date", "ต้องระบุวันที่เกิดเหตุ", "the event date is required"))
    elif event_date > today:
        problems.append(Problem("event_date", "วันที่เกิดเหตุต้องไม่เป็นวันในอนาคต",
                                "the event date cannot be in the future", value=event_date.isoformat()))
    elif event_date < EARLIEST:
        problems.append(Problem("event_date", "วันที่เกิดเหตุเก่าเกินไป", "the event date is too early",
                                value=event_date.isoformat()))
    if not is_whole(nights) or not 0 <= nights <= 366:
        problems.append(Problem("nights", "จำนวนคืนต้องเป็นจำนวนเต็ม 0–366", "nights are a whole number 0–366",
                                value=nights))
    if not is_whole(cost) or cost < 0:
        problems.append(Problem("cost", "ค่าใช้จ่ายต้องเป็นจำนวนเงินไม่ติดลบ", "the cost is an amount, not negative",
                                value=cost))
    return problems


def check_payees(category: str, payees: list) -> list[Problem]:
    """Payees (a death benefit's beneficiaries) have names and shares adding up to 100 %."""
    problems = []
    if category == Category.DEATH and not payees:
        problems.append(Problem("payees", "ค่าจัดการศพต้องระบุผู้รับเงินและสัดส่วน",
                                "a death benefit needs its payees and their shares"))
    if not payees:
        return problems
    total = 0
    for i, p in enumerate(payees, start=1):
        if not (p.name or "").strip():
            problems.append(Problem("payees", "ต้องระบุชื่อผู้รับเงิน", "a payee needs a name", row=i))
        if not is_whole(p.share) or not 1 <= p.share <= 100:
            problems.append(Problem("payees", "สัดส่วนต้องเป็นจำนวนเต็มร้อยละ 1–100",
                                    "a share is a whole percentage 1–100", row=i, value=p.share))
        else:
            total += p.share
    if not problems and total != 100:
        problems.append(Problem("payees", f"สัดส่วนของผู้รับเงินรวมกันได้ร้อยละ {total} ต้องเป็น 100",
                                f"the shares add up to {total} %, not 100", value=total))
    return problems


def check_approver(actor, claim) -> list[Problem]:
    return second_person(actor, claim.organisation, "claims", [claim.submitted_by_id], field="approved_by",
                         th="ผู้อนุมัติต้องไม่ใช่ผู้บันทึกคำขอ", en="the approver cannot be the person who submitted the claim",
                         may_th="ผู้อนุมัติต้องเป็นกรรมการที่มีสิทธิ์อนุมัติ (ตามข้อบังคับของกลุ่ม)",
                         may_en="the approver must be a committee member who may approve (by the group's bylaws)")


# ============================================================================================
# The checks of each write, as named lists (run with ``core.errors.problems_of``): the
# services run them, the pages ask them which actions to offer, the API and imports the same.
# ============================================================================================


@dataclass(frozen=True)
class NewScheme:
    organisation: Any
    category: str
    name_th: str
    custom_label: str
    effective_from: Any
    rule: Any  # the rule as JSON


def scheme_group(s: NewScheme) -> list[Problem]:
    return check_group(s.organisation)


def scheme_fields(s: NewScheme) -> list[Problem]:
    return check_scheme(s.organisation, category=s.category, name_th=s.name_th, custom_label=s.custom_label)


def scheme_effective_from(s) -> list[Problem]:
    return check_effective_from(s.effective_from)


def scheme_rule(s) -> list[Problem]:
    return schema.rule_problems(s.rule)


SCHEME_CREATE = [scheme_group, scheme_fields, scheme_effective_from, scheme_rule]


@dataclass(frozen=True)
class NewVersion:
    scheme: Any
    effective_from: Any
    rule: Any
    date_taken: bool  # a version of the scheme already takes effect on that date


def version_date_free(v: NewVersion) -> list[Problem]:
    if not v.date_taken:
        return []
    return [Problem("effective_from", "มีกติกาที่เริ่มใช้วันนี้อยู่แล้ว", "a version already takes effect on this date",
                    value=v.effective_from.isoformat())]


RULE_VERSION_CREATE = [scheme_effective_from, scheme_rule, version_date_free]


@dataclass(frozen=True)
class NewClaim:
    organisation: Any
    member: Any
    scheme: Any
    event_date: Any
    nights: Any
    cost: Any
    payees: list
    actor: Any
    today: dt.date


def claim_group(c: NewClaim) -> list[Problem]:
    return check_group(c.organisation)


def claim_parties(c: NewClaim) -> list[Problem]:
    return check_claim_parties(c.organisation, member=c.member, scheme=c.scheme)


def claim_event(c: NewClaim) -> list[Problem]:
    return check_event(event_date=c.event_date, nights=c.nights, cost=c.cost, today=c.today)


def claim_payees(c: NewClaim) -> list[Problem]:
    return check_payees(c.scheme.category if c.scheme is not None else "", c.payees)


def claim_maker(c: NewClaim) -> list[Problem]:
    if c.actor is not None and getattr(c.actor, "pk", None):
        return []
    return [Problem("submitted_by", "ต้องระบุผู้บันทึก", "a claim needs the person who records it")]


CLAIM_SUBMIT = [claim_group, claim_parties, claim_event, claim_payees, claim_maker]


def no_rule_in_force(scheme, event_date: dt.date) -> list[Problem]:
    """A scheme with no rule version in force on the event date (``services.assess``)."""
    return [Problem("event_date", f"สวัสดิการ {scheme.name_th} ยังไม่มีกติกาที่ใช้ในวันที่เกิดเหตุ",
                    f"{scheme.name(lang='en')} has no rule in force on the event date", value=event_date.isoformat())]


def decision_problems(decision) -> list[Problem]:
    """The engine's verdict as problems: each condition not met, or an amount of nothing."""
    return [Problem(c.code, f"ไม่ผ่านเงื่อนไข: {c.text_th}", f"condition not met: {c.text_en}")
            for c in decision.failed] or (
        [] if decision.eligible else
        [Problem("amount", "คำนวณแล้วไม่มีเงินที่จ่ายได้", "the computed amount is nothing")])


def duplicate_event(key: str) -> list[Problem]:
    return [Problem("event_key", "มีคำขอสำหรับเหตุการณ์นี้อยู่แล้ว", "there is already a claim for this event",
                    value=key)]


@dataclass(frozen=True)
class ClaimAct:
    """A person acting on a claim: approve, reject, pay or reverse."""

    claim: Any
    actor: Any
    reason: str = ""
    date: Any = None  # of a payout


def _status_in(allowed: tuple[str, ...], th: str, en: str, name: str):
    def check(a: ClaimAct) -> list[Problem]:
        c = a.claim
        if c.status in allowed:
            return []
        return [Problem("status", f"{th} (สถานะตอนนี้: {c.get_status_display()})", f"{en} (status now: {c.status})",
                        value=c.status)]
    check.__name__ = name
    return check


def approver_second_person(a: ClaimAct) -> list[Problem]:
    """Maker-checker: a committee member who may approve, never the one who submitted it."""
    return check_approver(a.actor, a.claim)


def reject_reason(a: ClaimAct) -> list[Problem]:
    return [] if (a.reason or "").strip() else [Problem("reason", "ต้องระบุเหตุผลที่ไม่อนุมัติ", "a reason is required")]


def payer_writes(a: ClaimAct) -> list[Problem]:
    if a.actor is not None and scoping.resolve(a.actor, a.claim.organisation).can(scoping.WRITE):
        return []
    return [Problem("paid_by", "ไม่มีสิทธิ์จ่ายเงิน", "you may not pay out")]


def paid_after_event(a: ClaimAct) -> list[Problem]:
    if isinstance(a.date, dt.date) and a.date < a.claim.event_date:
        return [Problem("date", "วันที่จ่ายต้องไม่ก่อนวันที่เกิดเหตุ", "a payout cannot precede the event",
                        value=a.date.isoformat())]
    return []


def reverser_approves(a: ClaimAct) -> list[Problem]:
    if a.actor is not None and scoping.may_approve(a.actor, a.claim.organisation, "claims"):
        return []
    return [Problem("actor", "การกลับรายการต้องเป็นกรรมการที่มีสิทธิ์อนุมัติ",
                    "a reversal needs a committee member who may approve")]


def reverse_reason(a: ClaimAct) -> list[Problem]:
    return [] if (a.reason or "").strip() else [Problem("reason", "ต้องระบุเหตุผลการกลับรายการ",
                                                         "a reason is required")]


CLAIM_APPROVE = [_status_in(("submitted",), "อนุมัติได้เฉพาะคำขอที่รออนุมัติ", "only a submitted claim can be approved",
                            "approve_submitted"),
                 approver_second_person]
CLAIM_REJECT = [_status_in(("submitted", "approved"), "ไม่อนุมัติได้เฉพาะคำขอที่ยังไม่จ่าย",
                           "only an unpaid claim can be rejected", "reject_unpaid"),
                approver_second_person, reject_reason]
CLAIM_PAY = [_status_in(("approved",), "จ่ายได้เฉพาะคำขอที่อนุมัติแล้ว", "only an approved claim can be paid",
                        "pay_approved"),
             payer_writes, paid_after_event]
CLAIM_REVERSE = [_status_in(("paid",), "กลับรายการได้เฉพาะคำขอที่จ่ายแล้ว", "only a paid claim can be reversed",
                            "reverse_paid"),
                 reverser_approves, reverse_reason]


@dataclass(frozen=True)
class Payout:
    """A payout checked again when it is made: the engine's amount now and the fund's cash."""

    amount: int  # the claim's
    allowed: int  # what the engine allows now, against every other live claim
    decision_problems: list
    cash: int  # the welfare fund's cash on the payout date and now, the smaller


def payout_within_limit(p: Payout) -> list[Problem]:
    if p.allowed >= p.amount:
        return []
    return p.decision_problems or [Problem(
        "amount", f"เกินสิทธิ์: จ่ายได้ไม่เกิน {format_baht(p.allowed)} บาท",
        f"over the limit: at most {format_baht(p.allowed)} baht can be paid", value=p.amount)]


def payout_cash(p: Payout) -> list[Problem]:
    if p.amount <= p.cash:
        return []
    return [Problem("amount", f"เงินสดของกองทุนสวัสดิการมี {format_baht(p.cash)} บาท ไม่พอจ่าย {format_baht(p.amount)} บาท",
                    f"the welfare fund has {format_baht(p.cash)} baht in cash, not enough for {format_baht(p.amount)}",
                    value=p.amount)]


PAYOUT = [payout_within_limit, payout_cash]
