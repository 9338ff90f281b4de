"""Checks of savings input. Each returns a list of Problems (Thai first, English second); none
raise. Named lists, one per write: ``PRODUCT_CREATE``, ``VERSION_CREATE``, ``ACCOUNT_OPEN``,
``DEPOSIT``, ``WITHDRAW`` (asked when a withdrawal is requested, and again when it is approved,
on the balance read under the account's lock), ``WITHDRAWAL_APPROVE``, ``WITHDRAWAL_REJECT``,
``WITHDRAWAL_CANCEL``, ``ACCOUNT_CLOSE``, ``MOVEMENT_REVERSE``. Services, the API, the CLI and the pages run them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from omboon.core.errors import Problem
from omboon.core.money import format_baht, is_whole
from omboon.ledger.rules import check_month_open
from omboon.members.models import LEFT_STATUSES
from omboon.orgs import scoping
from omboon.orgs.maker_checker import second_person
from omboon.savings.models import Account, InterestPeriod, Kind, ShareTransfer, Withdrawal

MAX_RATE = Decimal(100)
PAID_INTO = ("cash", "bank")


def _can(actor, organisation, power) -> bool:
    return actor is not None and scoping.resolve(actor, organisation).can(power)


def is_left(member) -> bool:
    return member.status in LEFT_STATUSES


def held_by(holds) -> tuple[str, str]:
    """What holds an account, in each language: "เงินกู้สัญญา 12 จำนวน 5,000.00 บาท" (``ledger.holdings.Hold``)."""
    return (", ".join(f"{h.th} จำนวน {format_baht(h.amount)} บาท" for h in holds),
            ", ".join(f"{h.en} ({format_baht(h.amount)} baht)" for h in holds))


def _held_problem(field: str, holds, at_most: int, th_verb: str, en_verb: str, **kw) -> Problem:
    th, en = held_by(holds)
    return Problem(field, f"เงินฝากถูกอายัดค้ำประกัน{th} {th_verb}ได้ไม่เกิน {format_baht(max(at_most, 0))} บาท",
                   f"the account is pledged as security for {en}: at most {format_baht(max(at_most, 0))} baht "
                   f"can be {en_verb}", code="held", **kw)


def _amount(value, field: str, th: str, en: str, *, zero: bool = True) -> list[Problem]:
    if not is_whole(value) or value < 0 or (not zero and value == 0):
        more = "" if zero else " มากกว่าศูนย์"
        return [Problem(field, f"{th}ต้องเป็นจำนวนเงิน (สตางค์) ไม่ติดลบ{more}",
                        f"{en} must be a whole amount of satang, not negative{'' if zero else ', above zero'}",
                        value=value)]
    return []


# --- products and their versions -----------------------------------------------------------

@dataclass(frozen=True)
class Terms:
    """A version's terms as entered (amounts in satang, rates in percent a year)."""

    min_balance: int = 0
    annual_rate: Decimal = Decimal(0)
    interest_period: str = InterestPeriod.NONE
    monthly_amount: int = 0
    withdrawals_a_year: int = 0
    withdrawal_max_percent: int = 0
    withdrawal_fee: int = 0
    term_months: int = 0
    early_rate: Decimal = Decimal(0)
    share_price: int = 0
    min_shares: int = 0
    max_shares: int = 0

    def as_fields(self) -> dict:
        return {f: getattr(self, f) for f in self.__dataclass_fields__}


@dataclass(frozen=True)
class ProductInput:
    organisation: Any
    kind: str
    terms: Terms
    effective_from: Any
    last_closed: Any = None  # ledger.rules.last_closed_period
    code: str = ""
    name_th: str = ""
    code_taken: bool = False
    date_taken: bool = False


def product_group(p: ProductInput) -> list[Problem]:
    if p.organisation is None or not p.organisation.is_group:
        return [Problem("organisation", "ผลิตภัณฑ์เงินฝากมีได้เฉพาะกลุ่ม", "only a group has savings products")]
    return []


def product_code(p: ProductInput) -> list[Problem]:
    code = (p.code or "").strip()
    if not code:
        return [Problem("code", "ต้องระบุรหัสผลิตภัณฑ์", "a product code is required")]
    if len(code) > 16 or not code.replace("-", "").isalnum():
        return [Problem("code", "รหัสผลิตภัณฑ์เป็นตัวอักษรหรือตัวเลขไม่เกิน 16 ตัว",
                        "a product code is up to 16 letters or digits", value=code)]
    if p.code_taken:
        return [Problem("code", f"รหัสผลิตภัณฑ์ {code} มีอยู่แล้ว", f"product code {code} exists", value=code)]
    return []


def product_name(p: ProductInput) -> list[Problem]:
    return [] if (p.name_th or "").strip() else [Problem("name_th", "ต้องระบุชื่อผลิตภัณฑ์", "a product name is required")]


def product_kind(p: ProductInput) -> list[Problem]:
    if p.kind in Kind.values:
        return []
    return [Problem("kind", "ประเภทต้องเป็นเงินสัจจะ ออมทรัพย์ ฝากประจำ หรือหุ้น",
                    "the kind is compulsory, voluntary, fixed or shares", value=p.kind)]


def version_date(p: ProductInput) -> list[Problem]:
    """A version starts on a date of an open month, once per date."""
    if not isinstance(p.effective_from, dt.date):
        return [Problem("effective_from", "ต้องระบุวันที่มีผล", "an effective date is required")]
    if p.date_taken:
        return [Problem("effective_from", "มีเงื่อนไขที่มีผลวันนี้อยู่แล้ว", "a version already starts on this date",
                        value=p.effective_from.isoformat())]
    return check_month_open(p.last_closed, p.effective_from, field="effective_from")


def version_amounts(p: ProductInput) -> list[Problem]:
    t = p.terms
    problems = [
        *_amount(t.min_balance, "min_balance", "ยอดเงินขั้นต่ำ", "the minimum balance"),
        *_amount(t.monthly_amount, "monthly_amount", "ยอดฝากรายเดือน", "the monthly amount"),
        *_amount(t.withdrawal_fee, "withdrawal_fee", "ค่าธรรมเนียมถอน", "the withdrawal fee"),
        *_amount(t.share_price, "share_price", "ราคาหุ้น", "the share price"),
    ]
    for field, th, en in (("withdrawals_a_year", "จำนวนครั้งที่ถอนได้ต่อปี", "withdrawals a year"),
                          ("term_months", "ระยะเวลาฝาก (เดือน)", "the term in months"),
                          ("min_shares", "จำนวนหุ้นขั้นต่ำ", "the minimum shares"),
                          ("max_shares", "จำนวนหุ้นสูงสุด", "the maximum shares")):
        value = getattr(t, field)
        if not is_whole(value) or value < 0:
            problems.append(Problem(field, f"{th}ต้องเป็นจำนวนเต็มไม่ติดลบ", f"{en} must be a whole number, not negative",
                                    value=value))
    if not is_whole(t.withdrawal_max_percent) or not 0 <= t.withdrawal_max_percent <= 100:
        problems.append(Problem("withdrawal_max_percent", "สัดส่วนที่ถอนได้ต้องอยู่ระหว่าง 0 ถึง 100",
                                "the share withdrawable must be 0 to 100 percent", value=t.withdrawal_max_percent))
    return problems


def version_rates(p: ProductInput) -> list[Problem]:
    problems = []
    for field, th, en in (("annual_rate", "อัตราดอกเบี้ย", "the interest rate"),
                          ("early_rate", "อัตราดอกเบี้ยเมื่อถอนก่อนกำหนด", "the early-withdrawal rate")):
        rate = getattr(p.terms, field)
        if not isinstance(rate, Decimal) or not rate.is_finite() or not 0 <= rate <= MAX_RATE:
            problems.append(Problem(field, f"{th}ต้องอยู่ระหว่าง 0 ถึง 100 ต่อปี", f"{en} must be 0 to 100 percent a year",
                                    value=str(rate)))
    if p.terms.interest_period not in InterestPeriod.values:
        problems.append(Problem("interest_period", "งวดจ่ายดอกเบี้ยต้องเป็นรายเดือน ไตรมาส ครึ่งปี หรือปี",
                                "interest is paid monthly, quarterly, half-yearly or yearly",
                                value=p.terms.interest_period))
    elif p.kind == Kind.SHARES and p.terms.interest_period != InterestPeriod.NONE:
        problems.append(Problem("interest_period", "หุ้นไม่มีดอกเบี้ย (ได้เงินปันผลสิ้นปี)",
                                "shares earn no interest (a dividend at the year-end)"))
    return problems


def version_kind_terms(p: ProductInput) -> list[Problem]:
    t = p.terms
    if p.kind == Kind.FIXED and not (is_whole(t.term_months) and t.term_months > 0):
        return [Problem("term_months", "เงินฝากประจำต้องมีระยะเวลาฝาก (เดือน)",
                        "a fixed-term deposit needs a term in months")]
    if p.kind == Kind.SHARES:
        if not (is_whole(t.share_price) and t.share_price > 0):
            return [Problem("share_price", "หุ้นต้องมีราคาต่อหุ้น", "shares need a price per share")]
        if is_whole(t.max_shares) and is_whole(t.min_shares) and t.max_shares and t.max_shares < t.min_shares:
            return [Problem("max_shares", "จำนวนหุ้นสูงสุดต้องไม่น้อยกว่าขั้นต่ำ",
                            "the maximum shares cannot be below the minimum")]
    if p.kind == Kind.COMPULSORY and t.withdrawals_a_year and not t.withdrawal_max_percent:
        return [Problem("withdrawal_max_percent", "ระบุสัดส่วนของยอดเงินที่ถอนได้ในแต่ละครั้ง",
                        "give the share of the balance a withdrawal may take")]
    return []


VERSION_CREATE = [product_group, version_date, version_amounts, version_rates, version_kind_terms]
PRODUCT_CREATE = [product_group, product_code, product_name, product_kind, *VERSION_CREATE[1:]]


# --- accounts ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Opening:
    organisation: Any
    actor: Any
    member: Any
    product: Any
    version: Any  # in force on the date, or None
    date: Any
    has_open_account: bool = False


def opener_writes(o: Opening) -> list[Problem]:
    if _can(o.actor, o.organisation, scoping.WRITE):
        return []
    return [Problem("actor", "ไม่มีสิทธิ์เปิดบัญชีเงินฝาก", "you may not open savings accounts")]


def opening_member(o: Opening) -> list[Problem]:
    if o.member is None or o.member.organisation_id != o.organisation.pk:
        return [Problem("member", "สมาชิกนี้ไม่ได้อยู่ในกลุ่ม", "the member is not of this group")]
    if is_left(o.member):
        return [Problem("member", f"สมาชิก {o.member.number} พ้นสภาพแล้ว เปิดบัญชีไม่ได้",
                        f"member {o.member.number} has left; no account can be opened", value=o.member.number)]
    return []


def opening_product(o: Opening) -> list[Problem]:
    if o.product is None or o.product.organisation_id != o.organisation.pk:
        return [Problem("product", "ไม่พบผลิตภัณฑ์เงินฝากนี้ในกลุ่ม", "no such savings product in the group")]
    if not o.product.is_active:
        return [Problem("product", f"ผลิตภัณฑ์ {o.product.code} ปิดรับแล้ว", f"product {o.product.code} is closed")]
    if o.version is None:
        return [Problem("date", "ผลิตภัณฑ์ยังไม่มีเงื่อนไขที่มีผลในวันนี้", "the product has no terms in force on this date")]
    if o.has_open_account:
        return [Problem("product", f"สมาชิกมีบัญชี {o.product.code} อยู่แล้ว (หนึ่งคนหนึ่งบัญชีต่อผลิตภัณฑ์)",
                        f"the member already has a {o.product.code} account (one per member and product)")]
    return []


ACCOUNT_OPEN = [opener_writes, opening_member, opening_product]


# --- deposits ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Movement:
    """A deposit or a withdrawal of ``amount`` on ``account`` as its checks read it."""

    actor: Any
    account: Account
    version: Any  # the product's terms in force on the date
    amount: Any
    date: Any
    balance: int  # the account's balance before it (under the account's lock when posting)
    fee: int = 0
    pending: int = 0  # other withdrawals requested and not yet decided (amount + fee)
    holds: tuple = ()  # liens on the account (``ledger.holdings.Hold``): it may not go below their sum
    withdrawals_this_year: int = 0  # paid withdrawals of the account in the date's year
    last_closed: Any = None
    paid: str = "cash"


def mover_writes(m: Movement) -> list[Problem]:
    if _can(m.actor, m.account.organisation, scoping.WRITE):
        return []
    return [Problem("actor", "ไม่มีสิทธิ์บันทึกเงินฝากหรือถอน", "you may not record deposits or withdrawals")]


def movement_amount(m: Movement) -> list[Problem]:
    if not is_whole(m.amount) or m.amount <= 0:
        return [Problem("amount", "จำนวนเงินต้องมากกว่าศูนย์ (เป็นสตางค์เต็ม)",
                        "the amount must be above zero, in whole satang", value=m.amount, code="amount")]
    return []


def movement_date(m: Movement) -> list[Problem]:
    if not isinstance(m.date, dt.date):
        return [Problem("date", "ต้องระบุวันที่", "a date is required")]
    if m.date < m.account.opened_on:
        return [Problem("date", "วันที่ต้องไม่ก่อนวันเปิดบัญชี", "the date cannot be before the account was opened",
                        value=m.date.isoformat())]
    return check_month_open(m.last_closed, m.date)


def movement_paid(m: Movement) -> list[Problem]:
    if m.paid in PAID_INTO:
        return []
    return [Problem("paid", "รับ/จ่ายเป็นเงินสดหรือผ่านธนาคาร", "cash or bank", value=m.paid)]


def account_not_closed(m: Movement) -> list[Problem]:
    if m.account.status != Account.Status.CLOSED:
        return []
    return [Problem("account", f"บัญชี {m.account.number} ปิดแล้ว", f"account {m.account.number} is closed",
                    value=m.account.number, code="closed")]


def member_not_left(m: Movement) -> list[Problem]:
    member = m.account.member
    if not is_left(member):
        return []
    return [Problem("member", f"สมาชิก {member.number} พ้นสภาพแล้ว รับฝากไม่ได้",
                    f"member {member.number} has left; no deposit is taken", value=member.number, code="left")]


def shares_whole_and_within_holding(m: Movement) -> list[Problem]:
    v = m.version
    if m.account.product.kind != Kind.SHARES or v is None or not is_whole(m.amount) or m.amount <= 0:
        return []
    price = v.share_price
    if m.amount % price:
        return [Problem("amount", f"ซื้อหุ้นเป็นจำนวนเต็มหุ้น หุ้นละ {format_baht(price)} บาท",
                        f"shares are bought whole, {format_baht(price)} baht a share", value=m.amount)]
    after = (m.balance + m.amount) // price
    if v.max_shares and after > v.max_shares:
        return [Problem("amount", f"ถือหุ้นได้ไม่เกิน {v.max_shares} หุ้น (จะมี {after} หุ้น)",
                        f"a member holds at most {v.max_shares} shares (this makes {after})", value=m.amount)]
    return []


DEPOSIT = [mover_writes, movement_amount, movement_date, movement_paid, account_not_closed, member_not_left,
           shares_whole_and_within_holding]


# --- withdrawals ---------------------------------------------------------------------------

def never_negative(m: Movement) -> list[Problem]:
    """The balance never goes below zero, nor below what a lien holds (a loan's security): the
    amount and fee, with the withdrawals already waiting for approval, within what the account
    holds and is free."""
    if not is_whole(m.amount) or m.amount <= 0:
        return []
    available = m.balance - m.pending
    held = sum(h.amount for h in m.holds)
    if held and available >= m.amount + m.fee > available - held:
        return [_held_problem("amount", m.holds, available - held - m.fee, "ถอน", "withdrawn", value=m.amount)]
    if m.amount + m.fee > available:
        fee = f" รวมค่าธรรมเนียม {format_baht(m.fee)}" if m.fee else ""
        fee_en = f" with the fee of {format_baht(m.fee)}" if m.fee else ""
        return [Problem("amount", f"ยอดเงินไม่พอ: ถอนได้ไม่เกิน {format_baht(max(available - m.fee, 0))} บาท{fee}",
                        f"not enough money: at most {format_baht(max(available - m.fee, 0))} baht can be withdrawn"
                        f"{fee_en}", value=m.amount, code="balance")]
    return []


def within_bylaws(m: Movement) -> list[Problem]:
    """What each kind's bylaws allow (a member who has left takes everything out)."""
    v, kind = m.version, m.account.product.kind
    if v is None or not is_whole(m.amount) or m.amount <= 0 or is_left(m.account.member):
        return []
    after = m.balance - m.pending - m.amount - m.fee
    if kind == Kind.COMPULSORY:
        if not v.withdrawals_a_year:
            return [Problem("amount", "เงินสัจจะถอนได้เมื่อลาออกจากกลุ่มเท่านั้น",
                            "compulsory savings are paid out only when the member leaves", code="bylaws")]
        if m.withdrawals_this_year >= v.withdrawals_a_year:
            return [Problem("amount", f"ระเบียบให้ถอนเงินสัจจะได้ปีละ {v.withdrawals_a_year} ครั้ง ครบแล้ว",
                            f"the bylaws allow {v.withdrawals_a_year} withdrawal(s) of compulsory savings a year; "
                            "none is left this year", code="bylaws")]
        limit = m.balance * v.withdrawal_max_percent // 100
        if m.amount > limit:
            return [Problem("amount", f"ระเบียบให้ถอนได้ไม่เกินร้อยละ {v.withdrawal_max_percent} ของยอดเงิน "
                                      f"({format_baht(limit)} บาท)",
                            f"the bylaws allow at most {v.withdrawal_max_percent}% of the balance "
                            f"({format_baht(limit)} baht)", value=m.amount, code="bylaws")]
    elif kind == Kind.VOLUNTARY:
        if after < v.min_balance and after >= 0:
            return [Problem("amount", f"ต้องคงเงินในบัญชีอย่างน้อย {format_baht(v.min_balance)} บาท",
                            f"the account must keep at least {format_baht(v.min_balance)} baht", value=m.amount,
                            code="minimum")]
    elif kind == Kind.FIXED:
        if m.amount != m.balance and m.balance > 0:
            return [Problem("amount", f"เงินฝากประจำถอนได้ทั้งจำนวนเท่านั้น ({format_baht(m.balance)} บาท)",
                            f"a fixed-term deposit is withdrawn whole ({format_baht(m.balance)} baht)",
                            value=m.amount, code="bylaws")]
    elif kind == Kind.SHARES:
        price = v.share_price
        if price and m.amount % price:
            return [Problem("amount", f"ถอนหุ้นเป็นจำนวนเต็มหุ้น หุ้นละ {format_baht(price)} บาท",
                            f"shares are redeemed whole, {format_baht(price)} baht a share", value=m.amount)]
        if price and after >= 0 and after // price < v.min_shares:
            return [Problem("amount", f"ต้องถือหุ้นอย่างน้อย {v.min_shares} หุ้นขณะเป็นสมาชิก",
                            f"a member keeps at least {v.min_shares} shares while in the group", value=m.amount,
                            code="minimum")]
    return []


WITHDRAW = [mover_writes, movement_amount, movement_date, movement_paid, account_not_closed, never_negative,
            within_bylaws]


@dataclass(frozen=True)
class WithdrawalAct:
    withdrawal: Withdrawal
    actor: Any
    reason: str = ""


def requested_only(a: WithdrawalAct) -> list[Problem]:
    if a.withdrawal.status == Withdrawal.Status.REQUESTED:
        return []
    return [Problem("status", "รายการนี้อนุมัติหรือยกเลิกไปแล้ว", "this withdrawal has already been decided",
                    value=a.withdrawal.status)]


def approver_second_person(a: WithdrawalAct) -> list[Problem]:
    """Maker-checker: someone who may approve in the group, and not who asked for it."""
    return second_person(a.actor, a.withdrawal.organisation, "withdrawals", [a.withdrawal.requested_by_id],
                         field="approver", th="ผู้อนุมัติต้องไม่ใช่ผู้บันทึกคำขอถอน",
                         en="the approver cannot be the person who asked for the withdrawal")


def act_reason(a: WithdrawalAct) -> list[Problem]:
    return [] if (a.reason or "").strip() else [Problem("reason", "ต้องระบุเหตุผล", "a reason is required")]


def canceller_writes(a: WithdrawalAct) -> list[Problem]:
    if _can(a.actor, a.withdrawal.organisation, scoping.WRITE):
        return []
    return [Problem("actor", "ไม่มีสิทธิ์ยกเลิกคำขอถอน", "you may not cancel withdrawals")]


WITHDRAWAL_APPROVE = [requested_only, approver_second_person]
WITHDRAWAL_REJECT = [requested_only, approver_second_person, act_reason]
WITHDRAWAL_CANCEL = [requested_only, canceller_writes, act_reason]


# --- closing an account --------------------------------------------------------------------

@dataclass(frozen=True)
class Closing:
    actor: Any
    account: Account
    balance: int
    pending: int
    reason: str
    holds: tuple = ()  # liens on the account (``ledger.holdings.Hold``)


def closer_writes(c: Closing) -> list[Problem]:
    if _can(c.actor, c.account.organisation, scoping.WRITE):
        return []
    return [Problem("actor", "ไม่มีสิทธิ์ปิดบัญชี", "you may not close accounts")]


def closing_empty(c: Closing) -> list[Problem]:
    """An open account with nothing on it, and nothing held on it by a lien (a loan's security)."""
    if c.account.status == Account.Status.CLOSED:
        return [Problem("account", f"บัญชี {c.account.number} ปิดแล้ว", f"account {c.account.number} is closed")]
    if c.holds:
        th, en = held_by(c.holds)
        return [Problem("account", f"บัญชี {c.account.number} ถูกอายัดค้ำประกัน{th} ปิดบัญชีไม่ได้จนกว่าจะพ้นภาระ",
                        f"account {c.account.number} is pledged as security for {en}; it cannot be closed until "
                        "it is released", value=c.account.number, code="held")]
    if c.balance or c.pending:
        return [Problem("account", f"ปิดบัญชีได้เมื่อยอดเงินเป็นศูนย์ (คงเหลือ {format_baht(c.balance)} บาท)",
                        f"an account is closed when its balance is zero (it holds {format_baht(c.balance)} baht)",
                        code="balance")]
    return []


ACCOUNT_CLOSE = [closer_writes, closing_empty, act_reason]


# --- reversing a movement ------------------------------------------------------------------

@dataclass(frozen=True)
class Reversing:
    """Undoing a deposit or a paid withdrawal of ``account`` by a reversal entry."""

    actor: Any
    account: Account
    entry: Any  # the journal entry to reverse, or None when it is not one of the account's movements
    change: int  # what the reversal does to the balance (negative for a deposit)
    balance: int
    pending: int
    reason: str
    already_reversed: bool = False
    shared: bool = False  # a collection day's or an import's entry, with other money in it
    holds: tuple = ()  # liens on the account (``ledger.holdings.Hold``)


def reverser_approves(r: Reversing) -> list[Problem]:
    if _can(r.actor, r.account.organisation, scoping.APPROVE):
        return []
    return [Problem("actor", "การกลับรายการต้องเป็นผู้มีสิทธิ์อนุมัติ", "only someone who may approve reverses")]


def reversible_movement(r: Reversing) -> list[Problem]:
    if r.entry is None:
        return [Problem("entry", "ไม่พบรายการฝากหรือถอนนี้ในบัญชี", "no such deposit or withdrawal in this account")]
    if r.shared:
        return [Problem("entry", f"{r.entry.document_number} รวมเงินของรายการอื่นด้วย (วันเก็บเงินหรือการนำเข้า) "
                                 "ให้ยกเลิกใบเสร็จของสมาชิกแทน",
                        f"{r.entry.document_number} holds other money too (a collection day or an import): "
                        "void the member's receipt instead", code="shared")]
    if r.entry.reverses_id or r.already_reversed:
        return [Problem("entry", f"รายการ {r.entry.document_number} กลับรายการแล้ว หรือเป็นรายการกลับ",
                        f"{r.entry.document_number} is already reversed, or is a reversal", code="reversed")]
    return []


def reversal_keeps_balance(r: Reversing) -> list[Problem]:
    """Not below zero, nor below what a lien holds (less what waits to be paid)."""
    after = r.balance + r.change - r.pending
    held = sum(h.amount for h in r.holds)
    if r.entry is None or after - held >= 0:
        return []
    if after >= 0:
        return [_held_problem("entry", r.holds, r.balance - r.pending - held, "กลับรายการ", "reversed")]
    return [Problem("entry", f"กลับรายการนี้แล้วยอดเงินจะติดลบ ({format_baht(after)} บาท)",
                    f"reversing this would leave the balance negative ({format_baht(after)} baht)", code="balance")]


def reversal_reason(r: Reversing) -> list[Problem]:
    return [] if (r.reason or "").strip() else [Problem("reason", "ต้องระบุเหตุผล", "a reason is required")]


MOVEMENT_REVERSE = [reverser_approves, reversible_movement, reversal_keeps_balance, reversal_reason]


# --- printing the passbook -----------------------------------------------------------------

@dataclass(frozen=True)
class Printing:
    actor: Any
    account: Account


def printer_writes(p: Printing) -> list[Problem]:
    if _can(p.actor, p.account.organisation, scoping.WRITE):
        return []
    return [Problem("actor", "ไม่มีสิทธิ์พิมพ์สมุดคู่ฝาก", "you may not print passbooks")]


PASSBOOK_PRINT = [printer_writes]


# --- product settings, joining and leaving -------------------------------------------------

@dataclass(frozen=True)
class Setting:
    actor: Any
    product: Any


def setter_manages(s: Setting) -> list[Problem]:
    if _can(s.actor, s.product.organisation, scoping.MANAGE):
        return []
    return [Problem("actor", "ไม่มีสิทธิ์เปลี่ยนการตั้งค่าประเภทเงินฝาก", "you may not change savings products")]


PRODUCT_SETTING = [setter_manages]

# Opening on joining: the member's joining was allowed; who may open is not asked again.
ACCOUNT_OPEN_ON_JOINING = [c for c in ACCOUNT_OPEN if c is not opener_writes]


@dataclass(frozen=True)
class Leaving:
    member: Any
    withdrawal_waiting: bool
    beneficiaries: int
    total: int


def payout_member_left(x: Leaving) -> list[Problem]:
    if is_left(x.member):
        return []
    return [Problem("member", f"สมาชิก {x.member.number} ยังไม่พ้นสภาพ จ่ายคืนเงินฝากทั้งหมดได้เมื่อลาออกหรือเสียชีวิต",
                    f"member {x.member.number} has not left; savings are paid out when a member leaves or dies",
                    value=x.member.number, code="not_left")]


def payout_nothing_waiting(x: Leaving) -> list[Problem]:
    if not x.withdrawal_waiting:
        return []
    return [Problem("member", "มีคำขอถอนที่ยังรออนุมัติ ให้อนุมัติหรือยกเลิกก่อน",
                    "a withdrawal is still waiting for approval; approve or cancel it first", code="pending")]


def payout_beneficiaries(x: Leaving) -> list[Problem]:
    if x.member.status != "deceased" or x.beneficiaries or not x.total:
        return []
    return [Problem("beneficiaries", "สมาชิกเสียชีวิตแต่ยังไม่มีผู้รับผลประโยชน์ บันทึกผู้รับผลประโยชน์ก่อน",
                    "the member died and has no beneficiary; record the beneficiaries first", code="beneficiaries")]


def payout_something(x: Leaving) -> list[Problem]:
    if x.total > 0:
        return []
    return [Problem("member", "ไม่มีเงินฝากคงเหลือให้จ่ายคืน", "there are no savings left to pay out", code="empty")]


PAYOUT = [payout_member_left, payout_nothing_waiting, payout_beneficiaries, payout_something]


# --- share transfers ------------------------------------------------------------------------

@dataclass(frozen=True)
class Transfer:
    """Whole shares from ``holder`` (a share account) to ``receiver`` (another member's, of the
    same product) as the checks read them; balances under both accounts' locks when posting."""

    actor: Any
    holder: Account
    receiver: Any  # an Account, or None when no such account
    version: Any  # the product's terms in force on the date
    shares: Any
    date: Any
    holder_balance: int = 0
    holder_pending: int = 0  # withdrawals and other transfers of the holder waiting
    holder_holds: tuple = ()  # liens on the holder's shares (``ledger.holdings.Hold``)
    receiver_balance: int = 0
    last_closed: Any = None


def transferer_writes(t: Transfer) -> list[Problem]:
    if _can(t.actor, t.holder.organisation, scoping.WRITE):
        return []
    return [Problem("actor", "ไม่มีสิทธิ์บันทึกการโอนหุ้น", "you may not record share transfers")]


def transfer_accounts(t: Transfer) -> list[Problem]:
    if t.holder.product.kind != Kind.SHARES:
        return [Problem("account", f"บัญชี {t.holder.number} ไม่ใช่บัญชีหุ้น", f"{t.holder.number} is not a share account",
                        value=t.holder.number)]
    if t.receiver is None or t.receiver.product_id != t.holder.product_id or t.receiver.pk == t.holder.pk:
        return [Problem("to", "ผู้รับโอนต้องเป็นสมาชิกอีกคนที่มีบัญชีหุ้นเดียวกันในกลุ่ม",
                        "the receiver must be another member with an account of the same shares", code="receiver")]
    closed = [a.number for a in (t.holder, t.receiver) if a.status == Account.Status.CLOSED]
    if closed:
        return [Problem("account", f"บัญชี {closed[0]} ปิดแล้ว", f"account {closed[0]} is closed", value=closed[0],
                        code="closed")]
    if is_left(t.receiver.member):
        return [Problem("to", f"สมาชิก {t.receiver.member.number} พ้นสภาพแล้ว รับโอนหุ้นไม่ได้",
                        f"member {t.receiver.member.number} has left and cannot receive shares",
                        value=t.receiver.member.number, code="left")]
    return []


def transfer_shares(t: Transfer) -> list[Problem]:
    """Whole shares, no more than the holder has (less what waits to leave), who keeps the
    minimum while in the group; the receiver holds no more than the maximum after it."""
    if not is_whole(t.shares) or t.shares <= 0:
        return [Problem("shares", "จำนวนหุ้นต้องเป็นจำนวนเต็มมากกว่าศูนย์", "the shares must be a whole number above zero",
                        value=t.shares)]
    if not isinstance(t.date, dt.date):
        return [Problem("date", "ต้องระบุวันที่", "a date is required")]
    v = t.version
    if v is None or not v.share_price:
        return [Problem("date", "หุ้นยังไม่มีเงื่อนไข (ราคาหุ้น) ที่มีผลในวันนี้", "the shares have no price in force on this date")]
    price = v.share_price
    held = (t.holder_balance - t.holder_pending) // price
    if t.shares > held:
        return [Problem("shares", f"ผู้โอนมีหุ้นเพียง {held} หุ้น", f"the holder has only {held} shares",
                        value=t.shares, code="balance")]
    pledged = sum(h.amount for h in t.holder_holds)
    free = (t.holder_balance - t.holder_pending - pledged) // price
    if pledged and t.shares > free:
        return [_held_problem("shares", t.holder_holds, free * price, "โอน", "transferred", value=t.shares)]
    if not is_left(t.holder.member) and held - t.shares < v.min_shares:
        return [Problem("shares", f"ผู้โอนต้องถือหุ้นอย่างน้อย {v.min_shares} หุ้นขณะเป็นสมาชิก",
                        f"the holder keeps at least {v.min_shares} shares while in the group", value=t.shares,
                        code="minimum")]
    after = t.receiver_balance // price + t.shares
    if v.max_shares and after > v.max_shares:
        return [Problem("shares", f"ผู้รับโอนถือหุ้นได้ไม่เกิน {v.max_shares} หุ้น (จะมี {after} หุ้น)",
                        f"the receiver may hold at most {v.max_shares} shares (this makes {after})",
                        value=t.shares, code="maximum")]
    return []


def transfer_date(t: Transfer) -> list[Problem]:
    if not isinstance(t.date, dt.date):
        return []
    if t.receiver is not None and t.date < max(t.holder.opened_on, t.receiver.opened_on):
        return [Problem("date", "วันที่ต้องไม่ก่อนวันเปิดบัญชี", "the date cannot be before the accounts were opened",
                        value=t.date.isoformat())]
    return check_month_open(t.last_closed, t.date)


SHARE_TRANSFER = [transferer_writes, transfer_accounts, transfer_shares, transfer_date]


@dataclass(frozen=True)
class TransferAct:
    transfer: ShareTransfer
    actor: Any
    reason: str = ""


def transfer_requested_only(a: TransferAct) -> list[Problem]:
    if a.transfer.status == ShareTransfer.Status.REQUESTED:
        return []
    return [Problem("status", "การโอนนี้อนุมัติหรือไม่อนุมัติไปแล้ว", "this transfer has already been decided",
                    value=a.transfer.status)]


def transfer_second_person(a: TransferAct) -> list[Problem]:
    return second_person(a.actor, a.transfer.organisation, "withdrawals", [a.transfer.requested_by_id],
                         field="approver", th="ผู้อนุมัติต้องไม่ใช่ผู้บันทึกการโอน",
                         en="the approver cannot be the person who entered the transfer")


def transfer_reason(a: TransferAct) -> list[Problem]:
    return [] if (a.reason or "").strip() else [Problem("reason", "ต้องระบุเหตุผล", "a reason is required")]


SHARE_TRANSFER_APPROVE = [transfer_requested_only, transfer_second_person]
SHARE_TRANSFER_REJECT = [transfer_requested_only, transfer_second_person, transfer_reason]
