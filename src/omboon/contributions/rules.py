"""Checks on contributions: each returns a list of Problems (Thai first, English second) and
never raises, so a collection day shows every bad row at once."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

from omboon.contributions.models import GRANT_KINDS, MEMBER_KINDS, Frequency, Kind, kind_label
from omboon.core.errors import Problem
from omboon.core.thaidate import format_date
from omboon.members.models import Member

CLOSED = {Member.Status.RESIGNED: ("ลาออก", "resigned"),
          Member.Status.DECEASED: ("เสียชีวิต", "died"),
          Member.Status.EXPELLED: ("พ้นสภาพ", "was expelled")}
PAID_INTO = ("cash", "bank")


def _at(problems: Iterable[Problem], row: int | None) -> list[Problem]:
    return [dataclasses.replace(p, row=row) for p in problems] if row is not None else list(problems)


def is_amount(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


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
    if not is_amount(amount):
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
    if member.status in CLOSED:
        th, en = CLOSED[member.status]
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
    if not is_amount(amount):
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
