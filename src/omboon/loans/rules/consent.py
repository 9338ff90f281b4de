"""A guarantor's consent (หนังสือยินยอมค้ำประกัน): ``GUARANTOR_CONSENT`` (given or declined, for a
guarantor of an application still waiting, who has not left, recorded by the guarantor themself
signed in or by the group's staff from the signed form), what the approval asks of it,
``guarantors_consented`` (every guarantor has given it), and ``GUARANTOR_REPLACE`` (a guarantor
who declined, or any, replaced on an application by another eligible member)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from omboon.core.errors import Problem
from omboon.core.money import format_baht
from omboon.core.thaidate import format_date
from omboon.loans.rules.common import _can
from omboon.members.models import LEFT_STATUSES
from omboon.orgs import scoping

GIVEN, DECLINED, PENDING = "given", "declined", "pending"


@dataclass(frozen=True)
class ConsentAct:
    """``actor`` records that ``guarantor`` (a ``Guarantor`` row with its loan and member) gives
    (``consent`` "given") or declines ("declined") on ``on``."""

    guarantor: Any
    actor: Any
    consent: str
    on: Any
    today: Any = None  # the day it is recorded (a consent is not dated ahead of it)


def _who(g) -> str:
    return f"{g.member.number} {g.member.full_name}"


def _application_waits(loan, th: str, en: str) -> list[Problem]:
    """``th``/``en`` (what is done) only while the application waits for the committee."""
    if loan.status == "applied":
        return []
    return [Problem("status", f"{th}เฉพาะคำขอที่รออนุมัติ (สถานะตอนนี้: {loan.get_status_display()})",
                    f"{en} only for an application waiting for approval (status now: {loan.status})",
                    value=loan.status)]


def consent_loan_applied(a: ConsentAct) -> list[Problem]:
    """Consent counts only while the application waits for the committee."""
    return _application_waits(a.guarantor.loan, "บันทึกการยินยอมได้", "consent is recorded")


def consent_by_guarantor_or_staff(a: ConsentAct) -> list[Problem]:
    """The guarantor themself (their own login) or someone who enters loans in the group."""
    own = a.actor is not None and a.actor.pk is not None and a.guarantor.member.user_id == a.actor.pk
    if own or _can(a.actor, a.guarantor.loan.organisation, scoping.WRITE):
        return []
    return [Problem("actor", "บันทึกการยินยอมได้เฉพาะผู้ค้ำประกันเอง หรือเจ้าหน้าที่ของกลุ่มจากหนังสือยินยอมที่ลงนามแล้ว",
                    "only the guarantor themself, or the group's staff from the signed consent form, may record it")]


def consent_guarantor_member(a: ConsentAct) -> list[Problem]:
    """A guarantor who has left the group can no longer stand for a loan."""
    g = a.guarantor
    if g.member.status in LEFT_STATUSES:
        return [Problem("guarantor", f"ผู้ค้ำ {_who(g)} พ้นสภาพสมาชิกแล้ว ยินยอมค้ำประกันไม่ได้",
                        f"guarantor {_who(g)} has left the group and cannot consent", value=g.member.number)]
    return []


def consent_choice(a: ConsentAct) -> list[Problem]:
    if a.consent in (GIVEN, DECLINED):
        return []
    return [Problem("consent", "เลือกยินยอมหรือไม่ยินยอม", "choose consent or decline", value=a.consent)]


def consent_dated(a: ConsentAct) -> list[Problem]:
    """On or after the application, and not ahead of the day it is recorded."""
    loan = a.guarantor.loan
    if not isinstance(a.on, dt.date):
        return [Problem("date", "ต้องระบุวันที่ลงนามยินยอม", "the date of the consent is required", value=a.on)]
    if a.on < loan.applied_on:
        return [Problem("date", f"วันที่ยินยอมต้องไม่ก่อนวันยื่นคำขอ ({format_date(loan.applied_on)})",
                        f"the consent cannot precede the application ({format_date(loan.applied_on, lang='en')})",
                        value=a.on.isoformat())]
    if isinstance(a.today, dt.date) and a.on > a.today:
        return [Problem("date", "วันที่ยินยอมต้องไม่เกินวันนี้", "the consent cannot be dated after today",
                        value=a.on.isoformat())]
    return []


def consent_changes(a: ConsentAct) -> list[Problem]:
    """Recording the same answer twice is refused (a guarantor may change their mind while the
    application waits: a consent after a refusal, or a refusal after a consent)."""
    g = a.guarantor
    if g.consent != a.consent:
        return []
    when = f" ({format_date(g.consent_on)})" if g.consent_on else ""
    when_en = f" ({format_date(g.consent_on, lang='en')})" if g.consent_on else ""
    if a.consent == GIVEN:
        return [Problem("consent", f"ผู้ค้ำ {_who(g)} ยินยอมค้ำประกันไว้แล้ว{when}",
                        f"guarantor {_who(g)} has consented already{when_en}", value=g.member.number)]
    return [Problem("consent", f"ผู้ค้ำ {_who(g)} ไม่ยินยอมค้ำประกันไว้แล้ว{when}",
                    f"guarantor {_who(g)} has declined already{when_en}", value=g.member.number)]


GUARANTOR_CONSENT = [consent_loan_applied, consent_by_guarantor_or_staff, consent_guarantor_member, consent_choice,
                     consent_dated, consent_changes]


def consent_problems(guarantors) -> list[Problem]:
    """A problem for each of ``guarantors`` (``Guarantor`` rows with their member) who has not
    given their consent: still waited for, or declined."""
    problems = []
    for i, g in enumerate(guarantors, start=1):
        if g.consent == DECLINED:
            problems.append(Problem(
                "guarantors", f"ผู้ค้ำ {_who(g)} ไม่ยินยอมค้ำประกัน: อนุมัติไม่ได้จนกว่าผู้ค้ำจะยินยอม หรือถอนคำขอแล้วยื่นใหม่",
                f"guarantor {_who(g)} declined to guarantee the loan: it cannot be approved until they consent, "
                "or withdraw the application and apply again", row=i, value=g.member.number))
        elif g.consent != GIVEN:
            problems.append(Problem("guarantors", f"ผู้ค้ำ {_who(g)} ยังไม่ยินยอมค้ำประกัน",
                                    f"guarantor {_who(g)} has not consented to guarantee the loan yet", row=i,
                                    value=g.member.number))
    return problems


@dataclass(frozen=True)
class GuarantorChange:
    """``actor`` replaces ``guarantor`` (a ``Guarantor`` row with its loan and member) on an
    application by ``member``; ``exposure`` what ``member`` stands for on other loans (satang),
    ``spouse`` whether the bylaws refuse them as the borrower's spouse."""

    guarantor: Any
    actor: Any
    member: Any
    named: frozenset = frozenset()  # the member ids already guarantors of the loan
    exposure: int = 0
    spouse: bool = False


def replace_loan_applied(c: GuarantorChange) -> list[Problem]:
    return _application_waits(c.guarantor.loan, "เปลี่ยนผู้ค้ำได้", "a guarantor is replaced")


def replace_by_writer(c: GuarantorChange) -> list[Problem]:
    if _can(c.actor, c.guarantor.loan.organisation, scoping.WRITE):
        return []
    return [Problem("actor", "ไม่มีสิทธิ์เปลี่ยนผู้ค้ำประกัน", "you may not replace a guarantor")]


def replacement_eligible(c: GuarantorChange) -> list[Problem]:
    """A member of the group who has not left, not the borrower, not a guarantor of it already."""
    loan, m = c.guarantor.loan, c.member
    if m is None or m.organisation_id != loan.organisation_id or m.status in LEFT_STATUSES:
        return [Problem("member", "ผู้ค้ำประกันต้องเป็นสมาชิกของกลุ่มที่ยังไม่พ้นสภาพ",
                        "a guarantor must be a member of the group who has not left",
                        value=getattr(m, "number", None))]
    if m.pk == loan.member_id:
        return [Problem("member", "ผู้กู้ค้ำประกันตนเองไม่ได้", "the borrower cannot guarantee the loan", value=m.number)]
    if m.pk in c.named:
        return [Problem("member", f"สมาชิก {m.number} เป็นผู้ค้ำของคำขอนี้อยู่แล้ว",
                        f"member {m.number} is a guarantor of this application already", value=m.number)]
    if c.spouse:
        return [Problem("member", f"สมาชิก {m.number} เป็นคู่สมรสของผู้กู้ ตามระเบียบกลุ่มคู่สมรสค้ำประกันไม่ได้",
                        f"member {m.number} is the borrower's spouse: the bylaws do not accept a spouse as guarantor",
                        value=m.number)]
    return []


def replacement_within_cap(c: GuarantorChange) -> list[Problem]:
    loan = c.guarantor.loan
    cap = loan.product_version.guarantor_cap
    if not cap or c.member is None or c.exposure + loan.principal <= cap:
        return []
    total = c.exposure + loan.principal
    return [Problem("member", f"ผู้ค้ำ {c.member.number} จะค้ำประกันรวม {format_baht(total)} บาท เกินวงเงิน "
                    f"{format_baht(cap)} บาทต่อคน",
                    f"guarantor {c.member.number} would stand for {format_baht(total)} baht in all, above the cap of "
                    f"{format_baht(cap)} baht each", value=format_baht(total))]


GUARANTOR_REPLACE = [replace_loan_applied, replace_by_writer, replacement_eligible, replacement_within_cap]
