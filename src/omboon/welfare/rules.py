"""Checks of welfare input. Each returns a list of Problems (Thai first, English second);
none raise. Forms, the API and the services share them. The eligibility of a claim is the
engine's business (``omboon.welfare.engine``); these check the claim's parts."""

from __future__ import annotations

import datetime as dt

from omboon.core.errors import Problem
from omboon.members.models import Member
from omboon.orgs import scoping
from omboon.welfare.models import BenefitScheme, Category

CLOSED_STATUSES = frozenset({Member.Status.RESIGNED, Member.Status.DECEASED, Member.Status.EXPELLED})
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


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


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
    if not _is_int(nights) or not 0 <= nights <= 366:
        problems.append(Problem("nights", "จำนวนคืนต้องเป็นจำนวนเต็ม 0–366", "nights are a whole number 0–366",
                                value=nights))
    if not _is_int(cost) or cost < 0:
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
        if not _is_int(p.share) or not 1 <= p.share <= 100:
            problems.append(Problem("payees", "สัดส่วนต้องเป็นจำนวนเต็มร้อยละ 1–100",
                                    "a share is a whole percentage 1–100", row=i, value=p.share))
        else:
            total += p.share
    if not problems and total != 100:
        problems.append(Problem("payees", f"สัดส่วนของผู้รับเงินรวมกันได้ร้อยละ {total} ต้องเป็น 100",
                                f"the shares add up to {total} %, not 100", value=total))
    return problems


def check_approver(actor, claim) -> list[Problem]:
    if actor is None or not scoping.resolve(actor, claim.organisation).can(scoping.APPROVE):
        return [Problem("approved_by", "ผู้อนุมัติต้องเป็นกรรมการที่มีสิทธิ์อนุมัติ",
                        "the approver must be a committee member who may approve")]
    if actor.pk == claim.submitted_by_id:
        return [Problem("approved_by", "ผู้อนุมัติต้องไม่ใช่ผู้บันทึกคำขอ",
                        "the approver cannot be the person who submitted the claim")]
    return []
