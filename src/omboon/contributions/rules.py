"""Checks on contributions: each returns a list of Problems (Thai first, English second) and
never raises, so a collection day shows every bad row at once."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from omboon.contributions.models import GRANT_KINDS, MEMBER_KINDS, CollectionDraft, Frequency, Kind, kind_label
from omboon.core.errors import Problem
from omboon.core.money import format_baht, is_whole
from omboon.core.thaidate import format_date
from omboon.members.models import Member

# How each way of leaving reads in a message (the statuses are ``members.models.LEFT_STATUSES``).
LEFT_WORDS = {Member.Status.RESIGNED: ("ลาออก", "resigned"),
              Member.Status.DECEASED: ("เสียชีวิต", "died"),
              Member.Status.EXPELLED: ("พ้นสภาพ", "was expelled")}
PAID_INTO = ("cash", "bank")


def _at(problems: Iterable[Problem], row: int | None) -> list[Problem]:
    return [dataclasses.replace(p, row=row) for p in problems] if row is not None else list(problems)


def check_group(organisation) -> list[Problem]:
    if organisation is None or not organisation.is_group:
        return [Problem("organisation", "รับเงินได้เฉพาะกลุ่ม ไม่ใช่เครือข่าย",
                        "only a group takes payments, not a network")]
    return []


def check_date(date, *, today: dt.date | None = None) -> list[Problem]:
    if not isinstance(date, dt.date):
        return [Problem("date", "ต้องระบุวันที่รับเงิน", "the date of payment is required", value=date)]
    today = today or dt.date.today()
    if date > today:
        return [Problem("date", "วันที่รับเงินอยู่ในอนาคต", "the date of payment is in the future",
                        value=date.isoformat())]
    return []


def check_amount(amount, *, field: str = "amount") -> list[Problem]:
    if not is_whole(amount):
        return [Problem(field, "จำนวนเงินต้องเป็นจำนวนเต็มสตางค์", "the amount must be whole satang",
                        value=amount)]
    if amount == 0:
        return [Problem(field, "จำนวนเงินต้องมากกว่าศูนย์", "the amount must be more than zero", value=amount)]
    if amount < 0:
        return [Problem(field, "จำนวนเงินติดลบไม่ได้", "the amount cannot be negative", value=amount)]
    return []


def check_member_may_pay(organisation, member, date) -> list[Problem]:
    """A member of this group, paying on or after joining and not after leaving."""
    if member is None:
        return [Problem("member", "ไม่พบสมาชิก", "no such member")]
    if member.organisation_id != organisation.pk:
        return [Problem("member", "สมาชิกนี้อยู่กลุ่มอื่น", "the member belongs to another group",
                        value=member.number)]
    if not isinstance(date, dt.date):
        return []
    if date < member.join_date:
        return [Problem("date",
                        f"รับเงินก่อนวันที่สมาชิกเข้าเป็นสมาชิก ({format_date(member.join_date)}) ไม่ได้",
                        f"payment before the member joined ({member.join_date:%Y-%m-%d})",
                        value=date.isoformat())]
    if member.status in LEFT_WORDS:
        th, en = LEFT_WORDS[member.status]
        left = member.status_date
        if left is None or date > left:
            when_th = f" เมื่อ {format_date(left)}" if left else ""
            when_en = f" on {left:%Y-%m-%d}" if left else ""
            return [Problem("date", f"สมาชิก{th}แล้ว{when_th} รับเงินหลังจากนั้นไม่ได้",
                            f"payment after the member {en}{when_en}", value=date.isoformat())]
    return []


def check_items(items, *, for_member: bool) -> list[Problem]:
    problems: list[Problem] = []
    if not items:
        return [Problem("items", "ต้องมีรายการรับเงินอย่างน้อยหนึ่งรายการ", "at least one item is needed")]
    allowed = MEMBER_KINDS if for_member else GRANT_KINDS
    seen = set()
    for item in items:
        if item.kind not in allowed:
            if for_member and item.kind in GRANT_KINDS:
                problems.append(Problem("kind", "เงินสมทบและเงินบริจาคไม่ออกใบเสร็จในนามสมาชิก",
                                        "matching grants and donations are not paid by a member",
                                        value=item.kind))
            else:
                problems.append(Problem("kind", f"ไม่รู้จักประเภทเงิน {item.kind!r}",
                                        f"unknown kind of payment {item.kind!r}", value=item.kind))
            continue
        if item.kind in seen:
            problems.append(Problem("kind", f"{kind_label(item.kind)} ซ้ำในใบเสร็จเดียวกัน",
                                    f"{kind_label(item.kind, 'en')} twice on one receipt", value=item.kind))
        seen.add(item.kind)
        problems += check_amount(item.amount, field=item.kind)
        if item.period_from and item.period_to and item.period_to < item.period_from:
            problems.append(Problem("period_to", "ช่วงเวลาสิ้นสุดก่อนเริ่มต้น", "the period ends before it starts"))
    return problems


def check_paid_into(paid_into: str) -> list[Problem]:
    if paid_into not in PAID_INTO:
        return [Problem("paid_into", "รับเงินเป็นเงินสดหรือเข้าบัญชีธนาคารเท่านั้น",
                        "money is received in cash or into the bank", value=paid_into)]
    return []


def check_plan(*, kind, amount, frequency, effective_from) -> list[Problem]:
    problems = []
    if kind not in MEMBER_KINDS:
        problems.append(Problem("kind", f"ไม่รู้จักประเภทเงินสมทบ {kind!r}", f"unknown contribution kind {kind!r}",
                                value=kind))
    if not is_whole(amount):
        problems.append(Problem("amount", "จำนวนเงินต้องเป็นจำนวนเต็มสตางค์", "the amount must be whole satang",
                                value=amount))
    elif amount < 0:
        problems.append(Problem("amount", "จำนวนเงินติดลบไม่ได้", "the amount cannot be negative", value=amount))
    valid = {Frequency.ONCE} if kind == Kind.ENTRY_FEE else {Frequency.MONTHLY, Frequency.QUARTERLY,
                                                               Frequency.YEARLY}
    if frequency not in valid:
        problems.append(Problem("frequency", "รอบการชำระไม่ถูกต้อง (ค่าแรกเข้าชำระครั้งเดียว)",
                                "invalid frequency (the entry fee is paid once)", value=frequency))
    if not isinstance(effective_from, dt.date):
        problems.append(Problem("effective_from", "ต้องระบุวันที่เริ่มใช้", "the start date is required"))
    return problems


def check_void(receipt, reason: str) -> list[Problem]:
    problems = []
    if receipt.is_void:
        problems.append(Problem("receipt", f"ใบเสร็จ {receipt.document_number} ถูกยกเลิกไปแล้ว",
                                f"receipt {receipt.document_number} is already void"))
    if not (reason or "").strip():
        problems.append(Problem("reason", "ต้องระบุเหตุผลการยกเลิก", "a reason is required"))
    return problems


# ============================================================================================
# The checks of each write, as named lists (run with ``core.errors.problems_of``), and the
# problems of one row of a collection day, a draft piece or a bulk batch.
# ============================================================================================


@dataclass(frozen=True)
class NewPlan:
    organisation: Any
    kind: str
    amount: Any
    frequency: str
    effective_from: Any
    fund_code: str = ""
    fund_known: bool = True
    date_taken: bool = False  # a plan of the kind already starts that day


def plan_group(p: NewPlan) -> list[Problem]:
    return check_group(p.organisation)


def plan_values(p: NewPlan) -> list[Problem]:
    return check_plan(kind=p.kind, amount=p.amount, frequency=p.frequency, effective_from=p.effective_from)


def plan_fund(p: NewPlan) -> list[Problem]:
    if not p.fund_code or p.fund_known:
        return []
    return [Problem("fund_code", f"ไม่พบกองทุน {p.fund_code}", f"no fund {p.fund_code}", value=p.fund_code)]


def plan_date_free(p: NewPlan) -> list[Problem]:
    if not p.date_taken:
        return []
    return [Problem("effective_from", "มีอัตราของประเภทนี้เริ่มวันเดียวกันอยู่แล้ว",
                    "a plan of this kind already starts on that day", value=p.effective_from.isoformat())]


PLAN_SET = [plan_group, plan_values, plan_fund, plan_date_free]


@dataclass(frozen=True)
class Grant:
    organisation: Any
    date: Any
    items: list
    payer_name: str
    paid_into: str
    today: dt.date


def grant_group(g: Grant) -> list[Problem]:
    return check_group(g.organisation)


def grant_date(g: Grant) -> list[Problem]:
    return check_date(g.date, today=g.today)


def grant_paid_into(g: Grant) -> list[Problem]:
    return check_paid_into(g.paid_into)


def grant_items(g: Grant) -> list[Problem]:
    return check_items(g.items, for_member=False)


def grant_payer(g: Grant) -> list[Problem]:
    return [] if (g.payer_name or "").strip() else [Problem("payer_name", "ต้องระบุผู้จ่ายเงิน",
                                                             "the payer is required")]


GRANT_RECORD = [grant_group, grant_date, grant_paid_into, grant_items, grant_payer]


@dataclass(frozen=True)
class Day:
    """A collection day (``collection_day_post``) or one piece of its draft (``collection_draft_save``)."""

    organisation: Any
    date: Any
    today: dt.date
    paid_into: str = "cash"
    rows: list = field(default_factory=list)
    key: str = ""  # a draft piece's idempotency key


def day_group(d: Day) -> list[Problem]:
    return check_group(d.organisation)


def day_date(d: Day) -> list[Problem]:
    return check_date(d.date, today=d.today)


def day_paid_into(d: Day) -> list[Problem]:
    return check_paid_into(d.paid_into)


def day_has_rows(d: Day) -> list[Problem]:
    return [] if d.rows else [Problem("rows", "ไม่มีรายการรับเงิน", "there are no payments to record")]


def piece_has_key(d: Day) -> list[Problem]:
    return [] if (d.key or "").strip() else [Problem("token", "ไม่มีรหัสของชุดที่บันทึก", "the piece has no key")]


COLLECTION_DAY = [day_group, day_date, day_paid_into, day_has_rows]
DRAFT_PIECE = [day_group, day_date, piece_has_key]


def unknown_part(code, row: int | None = None) -> list[Problem]:
    return [Problem("parts", f"ไม่รู้จักรายการรับเงิน {code}", f"no such part of the collection day: {code}",
                    row=row, value=code, code="unknown_part")]


def no_such_member(value, row: int | None = None) -> list[Problem]:
    return [Problem("member", "ไม่พบสมาชิกนี้ในกลุ่ม", "no such member in this group", row=row, value=value)]


def member_twice(member, row: int, first_row: int) -> list[Problem]:
    return [Problem("member", f"สมาชิก {member.number} ซ้ำกับแถว {first_row}",
                    f"member {member.number} is also on row {first_row}", row=row, value=member.number)]


def unsaved_row(member, problems: list[Problem]) -> list[Problem]:
    """The problems of one row of a draft piece, naming the member (a page of 100 has no row
    numbers to go by); the rest of the piece is saved."""
    who = f"{member.number} {member.full_name}"
    return [Problem(p.field, f"{who}: {p.message_th} (แถวนี้ไม่ได้บันทึก)",
                    f"{who}: {p.message_en} (this row was not saved)", value=p.value, code=str(member.pk))
            for p in problems]


def unsaved_unknown_member(ref, member_id: int) -> list[Problem]:
    return [Problem("member", f"ไม่พบสมาชิก {ref} ในกลุ่ม (แถวนี้ไม่ได้บันทึก)",
                    f"no member {ref} in this group (this row was not saved)", value=ref, code=str(member_id))]


def keyed(problems: list[Problem], key: str) -> list[Problem]:
    """A bulk batch's problems, each naming the payment by its key."""
    return [Problem(p.field, p.message_th, p.message_en, value=f"{key} {p.value}") for p in problems]


def payment_unknown_member(key: str) -> list[Problem]:
    return [Problem("member", "ไม่พบสมาชิกนี้ในกลุ่ม", "no such member in this group", value=key)]


def payment_twice(key: str) -> list[Problem]:
    return [Problem("key", "รายการซ้ำในชุดเดียวกัน", "the same payment twice in one call", value=key)]


def payment_no_items(key: str) -> list[Problem]:
    return [Problem("items", "ต้องมีรายการรับเงินอย่างน้อยหนึ่งรายการ", "at least one item is needed", value=key)]


def payment_undated(key: str, date) -> list[Problem]:
    if isinstance(date, dt.date):
        return []
    return [Problem("date", "ต้องระบุวันที่รับเงิน", "the date of payment is required", value=key)]


def check_chart(missing: list[str]) -> list[Problem]:
    """The accounts a receipt posts to are in the group's chart (``missing``: the codes that are not)."""
    if not missing:
        return []
    return [Problem("account", f"ผังบัญชีของกลุ่มไม่มีบัญชี {', '.join(missing)}",
                    f"the group's chart has no account {', '.join(missing)}")]


def check_void_date(receipt, day) -> list[Problem]:
    if isinstance(day, dt.date) and day >= receipt.date:
        return []
    return [Problem("date", "วันที่ยกเลิกต้องไม่ก่อนวันที่ของใบเสร็จ", "a void cannot be dated before the receipt")]


@dataclass(frozen=True)
class DraftPost:
    """The final save of a draft day: the count and total confirmed against the draft now."""

    draft: Any
    count: int | None
    total: int | None
    now: tuple[int, int]  # the draft's count and total now


def draft_open(d: DraftPost) -> list[Problem]:
    if d.draft.status == CollectionDraft.Status.OPEN:
        return []
    return [Problem("draft", "รายการวันเก็บเงินนี้ถูกยกเลิกแล้ว", "this collection day was discarded")]


def draft_as_confirmed(d: DraftPost) -> list[Problem]:
    now_count, now_total = d.now
    if (d.count is None or d.count == now_count) and (d.total is None or d.total == now_total):
        return []
    return [Problem("draft", f"รายการเปลี่ยนไปหลังจากยืนยัน (ตอนนี้ {now_count} คน รวม {format_baht(now_total)} บาท) "
                             "กรุณายืนยันอีกครั้ง",
                    f"the day changed after it was confirmed (now {now_count} members, {format_baht(now_total)} "
                    "baht); confirm it again")]


DRAFT_POST = [draft_open, draft_as_confirmed]


def draft_discardable(draft) -> list[Problem]:
    if draft.status == CollectionDraft.Status.OPEN:
        return []
    return [Problem("draft", "บันทึกบัญชีหรือยกเลิกไปแล้ว", "already posted or discarded")]
