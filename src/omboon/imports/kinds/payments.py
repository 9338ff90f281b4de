"""The historical payments import: a receipt per row through ``contributions.bulk.payments_post_bulk``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from omboon.contributions.bulk import Payment, payments_post_bulk
from omboon.core.errors import Problem
from omboon.imports import cells
from omboon.imports.common import (
    MemberIndex,
    at_row,
    cell_problem,
    check_member_dates,
    member_ref_problem,
    required,
)
from omboon.imports.kinds.shared import per_value, today_local
from omboon.imports.spec import Field, KindSpec
from omboon.imports.values import Choice, Coded
from omboon.ledger import chart
from omboon.ledger.models import JournalLine
from omboon.ledger.rules import check_month_open, last_closed_period
from omboon.members.models import LEFT_STATUSES

PAYMENT_TYPES = {
    "entry_fee": chart.ENTRY_FEES, "annual_fee": chart.YEARLY_CONTRIBUTIONS, "daily_saving": chart.DAILY_SAVINGS,
}
# The contribution types as groups write them (``imports.values``): the code, its label, the words.
TYPE = Coded("type", (
    Choice("entry_fee", "ค่าธรรมเนียมแรกเข้า", "entry fee"), Choice("annual_fee", "ค่าสมทบรายปี", "annual fee"),
    Choice("daily_saving", "ออมวันละบาท", "daily saving"),
), {
    "entryfee": "entry_fee", "ค่าสมัคร": "entry_fee", "แรกเข้า": "entry_fee", "ค่าแรกเข้า": "entry_fee",
    "ค่าสมัครสมาชิก": "entry_fee", "ค่าธรรมเนียม": "entry_fee", "ค่าธรรมเนียมสมัคร": "entry_fee", "4100": "entry_fee",
    "annualfee": "annual_fee", "yearly": "annual_fee", "ค่าบำรุงรายปี": "annual_fee", "รายปี": "annual_fee",
    "ค่าบำรุง": "annual_fee", "ค่าบำรุงสมาชิก": "annual_fee", "เงินสมทบรายปี": "annual_fee",
    "ค่าสมาชิกรายปี": "annual_fee", "สมทบรายปี": "annual_fee", "4200": "annual_fee",
    "dailysaving": "daily_saving", "สัจจะวันละบาท": "daily_saving", "เงินออมวันละบาท": "daily_saving",
    "วันละบาท": "daily_saving", "เงินสมทบ": "daily_saving", "ออมวันละ1บาท": "daily_saving",
    "เงินออมวันหนึ่งบาท": "daily_saving", "ออมวันหนึ่งบาท": "daily_saving", "สัจจะออมวันละบาท": "daily_saving",
    "เงินสัจจะ": "daily_saving", "เงินออม": "daily_saving", "ออมบุญวันละบาท": "daily_saving",
    "เงินสมทบรายวัน": "daily_saving", "สมทบรายวัน": "daily_saving", "4300": "daily_saving",
})

PAYMENT_FIELDS = (
    Field("member", "เลขที่สมาชิก", "member number", required=True,
          aliases=("member_number", "เลขสมาชิก", "รหัสสมาชิก", "สมาชิก"), example="0001",
          note_th="หรือเลขประจำตัวประชาชน", note_en="or the national ID"),
    Field("national_id", "เลขประจำตัวประชาชน", "national ID", aliases=("เลขบัตรประชาชน", "citizen id"),
          note_th="ใช้แทนเลขที่สมาชิกได้", note_en="may stand for the member number"),
    Field("date", "วันที่ชำระ", "date paid", required=True, aliases=("วันที่", "วันที่จ่าย", "paid on", "paid"),
          example="5/01/2564"),
    Field("type", "ประเภทเงิน", "contribution type", aliases=("ประเภท", "kind"), example="ออมวันละบาท",
          note_th="ค่าธรรมเนียมแรกเข้า / ค่าสมทบรายปี / ออมวันละบาท",
          note_en="entry_fee / annual_fee / daily_saving"),
    Field("amount", "จำนวนเงิน", "amount", required=True, aliases=("ยอดเงิน", "เงิน", "บาท"), example="30.00"),
    Field("entry_fee", "ค่าธรรมเนียมแรกเข้า", "entry fee", aliases=("แรกเข้า",),
          note_th="แทนคอลัมน์ประเภท+จำนวนเงิน: หนึ่งคอลัมน์ต่อประเภท", note_en="instead of type + amount"),
    Field("annual_fee", "ค่าสมทบรายปี", "annual fee", aliases=("รายปี",)),
    Field("daily_saving", "ออมวันละบาท", "daily saving", aliases=("สัจจะวันละบาท", "วันละบาท")),
    Field("memo", "หมายเหตุ", "memo", aliases=("note", "notes")),
)


def _existing_payments(organisation) -> set[tuple]:
    codes = list(PAYMENT_TYPES.values())
    return set(JournalLine.objects.filter(organisation=organisation, account__code__in=codes, credit__gt=0,
                                          member__isnull=False)
               .values_list("member_id", "date", "account__code", "credit"))


def _type_of(value) -> str | None:
    return TYPE.code_of(value)


def check_payments(organisation, rows, *, today=None):
    today = today or today_local()
    members = MemberIndex(organisation)
    closed = last_closed_period(organisation)
    existing = _existing_payments(organisation)
    problems: list[Problem] = []
    accepted: list[tuple[int, dict]] = []
    seen: dict[tuple, int] = {}
    per_type: dict[str, int] = defaultdict(int)
    total = 0
    wide_keys = [k for k in PAYMENT_TYPES if rows and k in rows[0][1]]
    # a blank cell parses as None (then "required"), once per distinct value like the rest
    parse_date = per_value(lambda v: None if cells.is_blank(v) else cells.parse_date(v))
    parse_amount = per_value(lambda v: None if cells.is_blank(v) else cells.parse_amount(v))
    type_of = per_value(_type_of)
    refs: dict = {}  # (member cell, ID cell) → (number, ID, member, its id)
    windows: dict[int, tuple[dt.date, dt.date]] = {}  # member → the days they may pay on
    for row, raw in rows:
        found: list[Problem] = []
        member_cell, id_cell = raw.get("member"), raw.get("national_id")
        ref_key = (type(member_cell), member_cell, type(id_cell), id_cell)
        ref = refs.get(ref_key)
        if ref is None:
            number, id_value, member = members.resolve(member_cell, id_cell)
            ref = refs[ref_key] = (number, id_value, member, member.pk if member is not None else None)
        number, id_value, member, member_id = ref
        if member is None:
            found.append(member_ref_problem(number, id_value, row))
        day = None
        date_cell = raw.get("date")
        day, exc = parse_date(date_cell)
        if exc is not None:
            found.append(cell_problem("date", exc, row, date_cell))
        elif day is None:
            found.append(required("date", "วันที่ชำระ", "the date paid", row))
        items: list[tuple[str, int]] = []
        wide = [k for k in wide_keys if not cells.is_blank(raw.get(k))] if wide_keys else ()
        if wide:
            for kind in wide:
                amount, exc = parse_amount(raw[kind])
                if exc is None:
                    items.append((kind, amount))
                else:
                    found.append(cell_problem(kind, exc, row, raw[kind]))
        else:
            kind = type_of(raw.get("type"))[0]
            if kind is None:
                found.append(Problem("type", "ประเภทเงินต้องเป็น ค่าธรรมเนียมแรกเข้า ค่าสมทบรายปี หรือ ออมวันละบาท",
                                     "the type must be entry_fee, annual_fee or daily_saving", row=row,
                                     value=cells.text(raw.get("type"))[:100], code="type"))
            amount, exc = parse_amount(raw.get("amount"))
            if exc is not None:
                found.append(cell_problem("amount", exc, row, raw["amount"]))
            elif amount is None:
                found.append(required("amount", "จำนวนเงิน", "the amount", row))
            elif kind:
                items.append((kind, amount))
        for kind, amount in items:
            if amount <= 0:
                found.append(Problem("amount" if not wide else kind, "จำนวนเงินต้องมากกว่าศูนย์",
                                     "the amount must be more than zero", row=row, value=amount / 100,
                                     code="not_positive"))
        if day is not None:
            if day > today:
                found.append(Problem("date", "วันที่ชำระอยู่ในอนาคต", "the date paid is in the future", row=row,
                                     value=day.isoformat(), code="future"))
            found += at_row(check_month_open(closed, day, "date"), row)
            if member is not None:
                window = windows.get(member_id)
                if window is None:
                    left = member.status_date if member.status in LEFT_STATUSES and member.status_date else None
                    window = windows[member_id] = (member.join_date, left or dt.date.max)
                if not window[0] <= day <= window[1]:
                    found += check_member_dates(member, day, key="date", row=row, what_th="วันที่ชำระ",
                                                what_en="the date paid")
        if not found and member is not None and day is not None:
            for kind, amount in items:
                key = (member_id, day, kind, amount)
                if key in seen:
                    found.append(Problem("date", f"รายการซ้ำกับแถว {seen[key]} (สมาชิก วันที่ ประเภท และจำนวนเงินเดียวกัน)",
                                         f"the same payment as row {seen[key]} (member, date, type and amount)",
                                         row=row, value=f"{member.number} {day.isoformat()}", code="duplicate"))
                elif (member_id, day, PAYMENT_TYPES[kind], amount) in existing:
                    found.append(Problem("date", "รายการนี้มีอยู่ในบัญชีแล้ว (สมาชิก วันที่ ประเภท และจำนวนเงินเดียวกัน)",
                                         "this payment is already in the books (member, date, type and amount)",
                                         row=row, value=f"{member.number} {day.isoformat()}", code="duplicate"))
                else:
                    seen[key] = row
        if found:
            problems += found
            continue
        accepted.append((row, {"member_id": member_id, "date": day, "items": items,
                               "memo": cells.text(raw.get("memo"))[:200]}))
        for kind, amount in items:
            per_type[kind] += amount
            total += amount
    return accepted, problems, {"payments": sum(len(d["items"]) for _, d in accepted), "total": total,
                                **{f"total_{k}": v for k, v in per_type.items()}}


def commit_payments(job, organisation, actor, rows) -> int:
    """One receipt per row (its items by type), posted with the day's others through
    ``contributions.bulk.payments_post_bulk``: receipts count in coverage and the passbook."""

    prefix = f"import:{job.file_sha256[:24]}:{job.kind}:"
    payments_post_bulk(actor=actor, organisation=organisation, source=("imports.importjob", str(job.pk)),
                       payments=[Payment(f"{prefix}{row}", d["member_id"], d["date"], d["items"], d["memo"])
                                 for row, d in rows])
    return len(rows)


SPEC = KindSpec(
    "payments", "การชำระเงินย้อนหลัง", "Historical payments", PAYMENT_FIELDS, check_payments, commit_payments,
    alternatives=(("member", "national_id"), ("amount", "entry_fee", "annual_fee", "daily_saving")), coded=(TYPE,),
    instructions_th=(
        "หนึ่งแถวต่อการชำระหนึ่งครั้ง: สมาชิก วันที่ ประเภทเงิน และจำนวนเงิน",
        "หรือหนึ่งคอลัมน์ต่อประเภท (ค่าธรรมเนียมแรกเข้า / ค่าสมทบรายปี / ออมวันละบาท) แทนคอลัมน์ประเภทและจำนวนเงิน",
        "ต้องนำเข้าสมาชิกก่อน วันที่ชำระต้องไม่ก่อนวันเข้าเป็นสมาชิก และไม่หลังวันที่ลาออกหรือเสียชีวิต",
        "ลงบัญชี: เดบิต เงินสด 1100 / เครดิต 4100, 4200 หรือ 4300 ตามประเภท",
    ),
    instructions_en=(
        "One row per payment: member, date, contribution type and amount.",
        "Or one amount column per type (entry fee / annual fee / daily saving) instead of type and amount.",
        "Import the members first; a payment cannot precede joining or follow resignation or death.",
        "Posted as Dr cash 1100 / Cr 4100, 4200 or 4300 by type.",
    ),
)
