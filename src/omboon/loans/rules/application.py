"""A loan application: ``LOAN_APPLY`` (the borrower, the product in force, the amount within
its limits, the guarantors enough, eligible, not the spouse and within their cap, its
securities — liens on the borrower's own savings or shares, collateral — each sound)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from omboon.core.errors import Problem
from omboon.core.money import format_baht, is_whole
from omboon.loans.rules.common import _can
from omboon.loans.rules.products import guarantors_needed
from omboon.members.models import LEFT_STATUSES
from omboon.orgs import scoping

MAX_SECURITIES = 5  # liens and collateral on one application

LIEN, SAVINGS_LIEN, SHARES_LIEN, COLLATERAL = "lien", "savings_lien", "shares_lien", "collateral"
SECURITY_KINDS = (LIEN, SAVINGS_LIEN, SHARES_LIEN, COLLATERAL)  # "lien": either, by the account's kind
COLLATERAL_KINDS = ("land_title", "vehicle", "other")


@dataclass(frozen=True)
class Security:
    """One row of an application's securities as entered: a lien (``account`` number,
    ``amount`` satang) or collateral (``collateral`` kind, ``description``, ``document_no``,
    appraised ``value`` satang)."""

    kind: str
    account: str = ""
    amount: Any = 0
    collateral: str = ""
    description: str = ""
    document_no: str = ""
    value: Any = 0

    @property
    def is_lien(self) -> bool:
        return self.kind in (LIEN, SAVINGS_LIEN, SHARES_LIEN)


def lien_kind(security: Security, account) -> str:
    """The stored kind of a lien on ``account`` (``ledger.holdings.SavingsAccount``): on shares or on savings."""
    if security.kind != LIEN:
        return security.kind
    return SHARES_LIEN if account is not None and account.kind == "shares" else SAVINGS_LIEN


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
    term: Any = None  # the instalments asked for (None: the product's term)
    securities: tuple = ()  # Security rows
    accounts: dict | None = None  # lien account number → ``ledger.holdings.SavingsAccount`` (those that exist)
    consented: tuple = ()  # the guarantors whose signed consent form is recorded with the application


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


def term_limits_text(version, lang: str = "th") -> str:
    """The terms a version lets an application ask for: "12–36 งวด" (one term: "12 งวด")."""
    low, high = version.term_min, version.term_max
    span = f"{low}" if low == high else f"{low}–{high}"
    return f"{span} instalments" if lang == "en" else f"{span} งวด"


def term_problems(version, term) -> list[Problem]:
    """``term`` (None: the product's) within the version's limits."""
    if version is None or term is None:
        return []
    if not is_whole(term) or not version.term_min <= term <= version.term_max:
        usual = version.terms["term"]
        return [Problem("term", f"จำนวนงวดต้องอยู่ระหว่าง {term_limits_text(version)} ตามประเภทเงินกู้ "
                        f"(ปกติ {usual} งวด)",
                        f"the term must be {term_limits_text(version, 'en')}, as the loan product allows "
                        f"(usually {usual})", value=term)]
    return []


def term_within_limits(a: Application) -> list[Problem]:
    """The term asked for lies within the product version's term_min–term_max."""
    return term_problems(a.version, a.term)


def purpose_given(a: Application) -> list[Problem]:
    return [] if (a.purpose or "").strip() else [Problem("purpose", "ต้องระบุวัตถุประสงค์การกู้",
                                                         "the purpose of the loan is required")]


def liens_total(a: Application) -> int:
    """What the application's liens pledge in all (satang; amounts not whole counted as 0)."""
    return sum(s.amount for s in a.securities if s.is_lien and is_whole(s.amount) and s.amount > 0)


def guarantors_enough(a: Application) -> list[Problem]:
    """As many guarantors as the product's band for the amount asks — unless the product lets
    liens on the borrower's own savings that cover the whole principal stand in for them
    (``lien_replaces_guarantors``: "กู้โดยใช้เงินฝากค้ำประกัน")."""
    v = a.version
    if v is None or not is_whole(a.principal):
        return []
    if v.lien_replaces_guarantors and liens_total(a) >= a.principal:
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


def consented_are_guarantors(a: Application) -> list[Problem]:
    """A consent recorded with the application is a guarantor's of it."""
    named = {g.pk for g in a.guarantors}
    return [Problem("guarantors_consented", f"สมาชิก {g.number} ไม่ได้เป็นผู้ค้ำประกันของคำขอนี้ บันทึกการยินยอมไม่ได้",
                    f"member {g.number} is not a guarantor of this application: no consent to record",
                    row=i, value=g.number)
            for i, g in enumerate(a.consented, start=1) if g.pk not in named]


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


def securities_few(a: Application) -> list[Problem]:
    if len(a.securities) <= MAX_SECURITIES:
        return []
    return [Problem("securities", f"หลักประกันได้ไม่เกิน {MAX_SECURITIES} รายการต่อสัญญา",
                    f"at most {MAX_SECURITIES} securities on one loan", value=len(a.securities))]


def _lien_problems(a: Application, i: int, s: Security, pledged: dict) -> list[Problem]:
    number = (s.account or "").strip()
    account = (a.accounts or {}).get(number)
    if account is None:
        return [Problem("securities", f"หลักประกันแถว {i}: ไม่พบบัญชีเงินฝาก/หุ้น {number} ในกลุ่ม",
                        f"security row {i}: no savings or share account {number} in this group", row=i,
                        value=number)]
    if a.member is None or account.member_id != a.member.pk:
        return [Problem("securities", f"หลักประกันแถว {i}: บัญชี {number} ไม่ใช่ของผู้กู้ อายัดได้เฉพาะเงินฝาก/หุ้นของผู้กู้เอง",
                        f"security row {i}: account {number} is not the borrower's; a lien is on the borrower's "
                        "own savings or shares", row=i, value=number)]
    if not account.open:
        return [Problem("securities", f"หลักประกันแถว {i}: บัญชี {number} ปิดแล้ว",
                        f"security row {i}: account {number} is closed", row=i, value=number)]
    if (s.kind == SHARES_LIEN) != (account.kind == "shares") and s.kind != LIEN:
        th, en = ("หุ้น", "a share account") if s.kind == SHARES_LIEN else ("เงินฝาก", "a savings account")
        return [Problem("securities", f"หลักประกันแถว {i}: บัญชี {number} ไม่ใช่บัญชี{th}",
                        f"security row {i}: account {number} is not {en}", row=i, value=number)]
    if not is_whole(s.amount) or s.amount <= 0:
        return [Problem("securities", f"หลักประกันแถว {i}: จำนวนเงินที่อายัดต้องมากกว่าศูนย์",
                        f"security row {i}: the amount pledged must be above zero", row=i, value=s.amount)]
    pledged[number] = pledged.get(number, 0) + s.amount
    if pledged[number] > account.free:
        return [Problem("securities", f"หลักประกันแถว {i}: บัญชี {number} อายัดได้ไม่เกิน {format_baht(max(account.free, 0))} "
                        f"บาท (ยอดเงิน {format_baht(account.balance)} บาท หักรอถอนและที่อายัดไว้แล้ว)",
                        f"security row {i}: at most {format_baht(max(account.free, 0))} baht of account {number} "
                        f"can be pledged (its balance of {format_baht(account.balance)} baht less withdrawals "
                        "waiting and what is already held)", row=i, value=format_baht(s.amount))]
    return []


def _collateral_problems(i: int, s: Security) -> list[Problem]:
    problems = []
    if s.collateral not in COLLATERAL_KINDS:
        problems.append(Problem("securities", f"หลักประกันแถว {i}: ประเภทหลักทรัพย์ต้องเป็นโฉนดที่ดิน ยานพาหนะ หรืออื่น ๆ",
                                f"security row {i}: the collateral is a land title, a vehicle or other", row=i,
                                value=s.collateral))
    if not (s.description or "").strip():
        problems.append(Problem("securities", f"หลักประกันแถว {i}: ต้องระบุรายละเอียดหลักทรัพย์ (เช่น โฉนดเลขที่ ที่ตั้ง)",
                                f"security row {i}: describe the collateral (e.g. the title deed's number, where)",
                                row=i))
    if not is_whole(s.value) or s.value <= 0:
        problems.append(Problem("securities", f"หลักประกันแถว {i}: ราคาประเมินต้องมากกว่าศูนย์",
                                f"security row {i}: the appraised value must be above zero", row=i, value=s.value))
    return problems


def securities_sound(a: Application) -> list[Problem]:
    """Each lien on an open account of the borrower's own, of the kind named, for an amount
    above zero within what is free there (the balance less withdrawals waiting and what other
    loans hold; two rows on one account count together); each collateral described, of a known
    kind, with an appraised value above zero."""
    problems: list[Problem] = []
    pledged: dict[str, int] = {}
    for i, s in enumerate(a.securities[:MAX_SECURITIES], start=1):
        if s.kind not in SECURITY_KINDS:
            problems.append(Problem("securities", f"หลักประกันแถว {i}: ต้องเป็นการอายัดเงินฝาก/หุ้น หรือหลักทรัพย์",
                                    f"security row {i}: a lien on savings or shares, or collateral", row=i,
                                    value=s.kind))
        elif s.is_lien:
            problems += _lien_problems(a, i, s, pledged)
        else:
            problems += _collateral_problems(i, s)
    return problems


LOAN_APPLY = [applicant_writes, borrower_is_member, product_in_force, amount_within_limit, amount_within_savings,
              term_within_limits, purpose_given, guarantors_enough, guarantors_eligible, guarantor_not_spouse,
              guarantors_within_cap, consented_are_guarantors, borrower_not_in_arrears, securities_few,
              securities_sound]
