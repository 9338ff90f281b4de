"""The kinds of import: members, historical payments, opening balances, past benefit claims.

Each kind is a ``KindSpec``: its fields (the template's columns), ``check`` — every rule on
every row, returning cleaned rows and Problems, writing nothing — and ``commit_batch``, which
writes one batch of cleaned rows inside the caller's transaction:

- members           ``omboon.members.services.members_bulk_create`` (the members' own rules)
- beneficiaries     one row per beneficiary (member number, names, relationship, share %), added
                    after a member's recorded ones through ``members.services.beneficiaries_set``;
                    a member's shares — the file's and the database's — add up to 100, and a
                    member's rows go in together or not at all (the whole file is one batch)
- payments          a receipt per row (``omboon.contributions.bulk.payments_post_bulk``): numbered
                    in the group's receipt series, an item per type with the period it covers
                    (so paid-through dates, arrears and the passbook count it), and one receipt
                    entry per day and up to 25 receipts in the books: a credit to 4100, 4200 or
                    4300 per item, the member on it, and one debit to 1100 cash for the entry's
                    total (the day's cash, as a cash book records it)
- opening-balances  one opening entry (OB) through ``ledger.services.entry_post``; must balance
- claims            Dr 51xx benefits paid by category / Cr 1100 cash through ``entry_post``,
                    one entry per claim paid; money out, so the job waits for a second
                    person's approval (``KindSpec.pays_out``) before any batch commits
(loans: the system has no loans app yet, so there is no loans import.)

Idempotency keys are "import:<first 24 hex of the file's SHA-256>:<kind>:<row>", so a file
imported twice — or a job resumed after a crash — never posts a row twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from omboon.core.errors import Problem
from omboon.core.national_id import with_check_digit
from omboon.imports import cells
from omboon.imports.common import (
    MemberIndex,
    cell_problem,
    check_member_dates,
    member_ref_problem,
    required,
)
from omboon.imports.spec import Field, KindSpec
from omboon.ledger import chart
from omboon.ledger.models import Account, AccountType, DocumentType, Fund, JournalEntry, JournalLine
from omboon.members import rules as member_rules
from omboon.members.models import Member
from omboon.members.rules import CLOSED_STATUSES


def idem_key(job, row: int | str) -> str:
    return f"import:{job.file_sha256[:24]}:{job.kind}:{row}"


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


# ============================================================================================
# members
# ============================================================================================

MEMBER_FIELDS = (
    Field("number", "เลขที่สมาชิก", "member number", aliases=("เลขสมาชิก", "รหัสสมาชิก", "no", "member no"),
          example="0001", note_th="ว่างไว้ได้ ระบบจะให้เลขถัดไป", note_en="may be blank: the next number is given"),
    Field("title", "คำนำหน้า", "title", aliases=("คำนำหน้าชื่อ", "prefix"), example="นาง"),
    Field("first_name", "ชื่อ", "first name", required=True, aliases=("firstname", "given name"), example="สมศรี"),
    Field("last_name", "นามสกุล", "last name", required=True, aliases=("lastname", "surname", "family name"),
          example="ใจดี"),
    Field("full_name", "ชื่อ-นามสกุล", "full name", aliases=("ชื่อสกุล", "ชื่อ นามสกุล", "name"),
          note_th="ใช้แทนช่องชื่อและนามสกุลได้", note_en="may stand for first and last name"),
    Field("sex", "เพศ", "sex", aliases=("gender",), example="หญิง",
          note_th="ชาย/หญิง หรือ M/F (ว่างได้ถ้าคำนำหน้าบอกเพศ)", note_en="ชาย/หญิง or M/F (blank: from the title)"),
    Field("national_id", "เลขประจำตัวประชาชน", "national ID", required=True,
          aliases=("เลขบัตรประชาชน", "เลขบัตรประจำตัวประชาชน", "บัตรประชาชน", "id card", "citizen id", "pid"),
          example=with_check_digit("110370012345"), note_th="13 หลัก", note_en="13 digits"),
    Field("birth_date", "วันเกิด", "birth date", required=True, aliases=("วันเดือนปีเกิด", "dob", "date of birth"),
          example="15/03/2515", note_th="พ.ศ. หรือ ค.ศ. เช่น 15/03/2515", note_en="BE or CE, e.g. 15/03/2515"),
    Field("join_date", "วันที่เข้าเป็นสมาชิก", "join date", required=True,
          aliases=("วันที่สมัคร", "วันสมัคร", "วันที่เป็นสมาชิก", "joined"), example="1 ม.ค. 2560"),
    Field("phone", "โทรศัพท์", "phone", aliases=("เบอร์โทร", "เบอร์โทรศัพท์", "โทร", "mobile", "tel"),
          example="0812345678"),
    Field("house_no", "บ้านเลขที่", "house number", aliases=("เลขที่บ้าน", "house no"), example="12/3"),
    Field("moo", "หมู่", "moo", aliases=("หมู่ที่", "village no", "village"), example="5"),
    Field("street", "ถนน", "street", aliases=("road",)),
    Field("subdistrict_code", "รหัสตำบล", "subdistrict code", aliases=("ตำบล",), example="520401"),
    Field("district_code", "รหัสอำเภอ", "district code", aliases=("อำเภอ",), example="5204"),
    Field("province_code", "รหัสจังหวัด", "province code", aliases=("จังหวัด",), example="52"),
    Field("postcode", "รหัสไปรษณีย์", "postcode", aliases=("zip",), example="52130"),
    Field("status", "สถานะ", "status", example="ปกติ",
          note_th="ปกติ ลาออก เสียชีวิต พ้นสภาพ (ว่าง = ปกติ)", note_en="active, resigned, deceased, expelled"),
    Field("status_date", "วันที่ลาออก/เสียชีวิต", "status date", aliases=("วันที่เปลี่ยนสถานะ", "วันที่พ้นสภาพ")),
)

SEX_WORDS = {"m": "M", "male": "M", "ชาย": "M", "ช": "M", "f": "F", "female": "F", "หญิง": "F", "ญ": "F"}
MALE_TITLES = ("นาย", "ด.ช.", "เด็กชาย")
FEMALE_TITLES = ("นางสาว", "น.ส.", "นาง", "ด.ญ.", "เด็กหญิง")
STATUS_WORDS = {
    "": Member.Status.ACTIVE, "ปกติ": Member.Status.ACTIVE, "active": Member.Status.ACTIVE,
    "สมาชิก": Member.Status.ACTIVE, "สมัคร": Member.Status.APPLIED, "applied": Member.Status.APPLIED,
    "ลาออก": Member.Status.RESIGNED, "resigned": Member.Status.RESIGNED,
    "เสียชีวิต": Member.Status.DECEASED, "ตาย": Member.Status.DECEASED, "deceased": Member.Status.DECEASED,
    "พ้นสภาพ": Member.Status.EXPELLED, "expelled": Member.Status.EXPELLED,
}
NAME_FIELDS = ("title", "first_name", "last_name", "house_no", "street")


def split_full_name(full: str) -> tuple[str, str, str]:
    full = " ".join(full.split())
    title = ""
    for t in sorted((*MALE_TITLES, *FEMALE_TITLES, "นพ.", "พญ.", "ดร."), key=len, reverse=True):
        if full.startswith(t):
            title, full = t, full[len(t):].strip()
            break
    first, _, last = full.partition(" ")
    return title, first, last.strip()


def _clean_member(raw: dict, row: int) -> tuple[dict, list[Problem]]:
    data: dict = {}
    problems: list[Problem] = []
    for key in ("number", "title", "first_name", "last_name", "house_no", "street", "subdistrict_code",
                "district_code", "province_code", "postcode"):
        if key in raw:
            value = cells.text(raw[key])
            if key in ("number", "subdistrict_code", "district_code", "province_code", "postcode"):
                value = cells.digits(raw[key])
            if key in NAME_FIELDS and cells.looks_like_formula(value):
                problems.append(Problem(key, "ข้อความขึ้นต้นด้วย = + - @ เหมือนสูตร Excel",
                                        "the text starts like a spreadsheet formula (= + - @)",
                                        row=row, value=value[:100], code="formula"))
                continue
            data[key] = value
    full = cells.text(raw.get("full_name"))
    if full and not (data.get("first_name") or data.get("last_name")):
        title, first, last = split_full_name(full)
        data.setdefault("title", "")
        data["title"] = data["title"] or title
        data["first_name"], data["last_name"] = first, last
    sex = cells.text(raw.get("sex")).lower()
    if not sex:
        title = data.get("title", "")
        sex = "m" if title in MALE_TITLES else ("f" if title in FEMALE_TITLES else "")
    data["sex"] = SEX_WORDS.get(sex, sex.upper())
    data["national_id"] = cells.parse_id(raw.get("national_id"))
    data["phone"] = cells.parse_phone(raw.get("phone")) if "phone" in raw else ""
    for key in ("birth_date", "join_date", "status_date"):
        value = raw.get(key)
        if cells.is_blank(value):
            data[key] = None
            continue
        try:
            data[key] = cells.parse_date(value)
        except cells.CellError as exc:
            problems.append(cell_problem(key, exc, row, value))
            data[key] = None
    moo = cells.digits(raw.get("moo"))
    for prefix in ("หมู่ที่", "หมู่", "ม.", "moo"):
        moo = moo.removeprefix(prefix).strip()
    if moo:
        if moo.isdigit():
            data["moo"] = int(moo)
        else:
            problems.append(Problem("moo", "หมู่ต้องเป็นตัวเลข", "village number (moo) must be a number",
                                    row=row, value=moo))
    status = cells.text(raw.get("status")).lower()
    if status in STATUS_WORDS:
        data["status"] = STATUS_WORDS[status]
    else:
        problems.append(Problem("status", "สถานะต้องเป็น ปกติ ลาออก เสียชีวิต หรือพ้นสภาพ",
                                "status must be active, resigned, deceased or expelled", row=row, value=status))
        data["status"] = Member.Status.ACTIVE
    if data.get("status_date") and data["status"] == Member.Status.ACTIVE and not status:
        problems.append(Problem("status", "มีวันที่ลาออก/เสียชีวิต แต่ไม่ระบุสถานะ",
                                "a status date is given but no status", row=row, code="status"))
    return data, problems


def check_members(organisation, rows, *, today=None):
    today = today or _today()
    problems: list[Problem] = []
    cleaned: list[tuple[int, dict]] = []
    for row, raw in rows:
        data, found = _clean_member(raw, row)
        # a date the cell parser refused is reported once, not again as "required" (_dedupe)
        problems += found + member_rules.check_member(data, today=today, row=row)
        cleaned.append((row, data))
    problems = _dedupe(problems)
    problems += member_rules.check_unique_in_batch(organisation, cleaned)
    bad = {p.row for p in problems}
    accepted = [(row, data) for row, data in cleaned if row not in bad]
    return accepted, problems, {"members": len(accepted)}


def _dedupe(problems: list[Problem]) -> list[Problem]:
    """One problem per row and field: a date refused by the parser is not also 'required'."""
    seen: set[tuple] = set()
    out = []
    for p in problems:
        key = (p.row, p.field)
        if key in seen:
            continue
        seen.add(key)
        out.append(p)
    return out


def commit_members(job, organisation, actor, rows) -> int:
    from omboon.members.services import members_bulk_create

    fields = member_rules.FIELD_NAMES_TH.keys() - {"organisation"}
    payload = [{k: v for k, v in data.items() if k in fields} for _, data in rows]
    return len(members_bulk_create(actor=actor, organisation=organisation, rows=payload,
                                   start_row=rows[0][0] if rows else 1))


# ============================================================================================
# payments
# ============================================================================================

PAYMENT_TYPES = {
    "entry_fee": chart.ENTRY_FEES, "annual_fee": chart.YEARLY_CONTRIBUTIONS, "daily_saving": chart.DAILY_SAVINGS,
}
TYPE_WORDS = {
    "entry_fee": "entry_fee", "entryfee": "entry_fee", "ค่าธรรมเนียมแรกเข้า": "entry_fee", "ค่าสมัคร": "entry_fee",
    "แรกเข้า": "entry_fee", "4100": "entry_fee",
    "annual_fee": "annual_fee", "annualfee": "annual_fee", "yearly": "annual_fee", "ค่าสมทบรายปี": "annual_fee",
    "ค่าบำรุงรายปี": "annual_fee", "รายปี": "annual_fee", "4200": "annual_fee",
    "daily_saving": "daily_saving", "dailysaving": "daily_saving", "ออมวันละบาท": "daily_saving",
    "สัจจะวันละบาท": "daily_saving", "เงินออมวันละบาท": "daily_saving", "วันละบาท": "daily_saving",
    "เงินสมทบ": "daily_saving", "4300": "daily_saving",
}
TYPE_TH = {"entry_fee": "ค่าธรรมเนียมแรกเข้า", "annual_fee": "ค่าสมทบรายปี", "daily_saving": "ออมวันละบาท"}

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


def _closed_until(organisation) -> tuple[int, int] | None:
    from omboon.ledger.rules import last_closed_period

    last = last_closed_period(organisation)
    return (last.year, last.month) if last else None


def _closed_problem(key: str, day: dt.date, closed: tuple[int, int], row: int) -> Problem:
    return Problem(key, f"ปิดบัญชีถึงเดือน {closed[1]:02d}/{closed[0] + 543} แล้ว ลงรายการวันที่นี้ไม่ได้",
                   f"the books are closed up to {closed[0]}-{closed[1]:02d}; nothing can be posted on this date",
                   row=row, value=day.isoformat(), code="closed")


def _existing_payments(organisation) -> set[tuple]:
    codes = list(PAYMENT_TYPES.values())
    return set(JournalLine.objects.filter(organisation=organisation, account__code__in=codes, credit__gt=0,
                                          member__isnull=False)
               .values_list("member_id", "date", "account__code", "credit"))


def _per_value(parse):
    """``parse(cell)`` once per distinct cell value — a payments file repeats the same members,
    dates and amounts on thousands of rows — as (value, None) or (None, the CellError)."""
    done: dict = {}

    def call(value):
        key = (type(value), value)
        try:
            return done[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable cell: parse it every time
            key = None
        try:
            answer = (parse(value), None)
        except cells.CellError as exc:
            answer = (None, exc)
        if key is not None:
            done[key] = answer
        return answer

    return call


def _type_of(value) -> str | None:
    return TYPE_WORDS.get(cells.text(value).lower().replace(" ", ""))


def check_payments(organisation, rows, *, today=None):
    today = today or _today()
    members = MemberIndex(organisation)
    closed = _closed_until(organisation)
    existing = _existing_payments(organisation)
    problems: list[Problem] = []
    accepted: list[tuple[int, dict]] = []
    seen: dict[tuple, int] = {}
    per_type: dict[str, int] = defaultdict(int)
    total = 0
    wide_keys = [k for k in PAYMENT_TYPES if rows and k in rows[0][1]]
    # a blank cell parses as None (then "required"), once per distinct value like the rest
    parse_date = _per_value(lambda v: None if cells.is_blank(v) else cells.parse_date(v))
    parse_amount = _per_value(lambda v: None if cells.is_blank(v) else cells.parse_amount(v))
    type_of = _per_value(_type_of)
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
            if closed and (day.year, day.month) <= closed:
                found.append(_closed_problem("date", day, closed, row))
            if member is not None:
                window = windows.get(member_id)
                if window is None:
                    left = member.status_date if member.status in CLOSED_STATUSES and member.status_date else None
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
    from omboon.contributions.bulk import payments_post_bulk

    prefix = f"import:{job.file_sha256[:24]}:{job.kind}:"
    payments_post_bulk(actor=actor, organisation=organisation, source=("imports.importjob", str(job.pk)),
                       payments=[(f"{prefix}{row}", d["member_id"], d["date"], d["items"], d["memo"])
                                 for row, d in rows])
    return len(rows)


# ============================================================================================
# opening balances
# ============================================================================================

BALANCE_FIELDS = (
    Field("account", "รหัสบัญชี", "account code", required=True, aliases=("บัญชี", "code", "account"),
          example="1100"),
    Field("account_name", "ชื่อบัญชี", "account name", aliases=("name",), example="เงินสด"),
    Field("fund", "กองทุน", "fund", example="WEL", note_th="ว่าง = กองทุนหลัก", note_en="blank: the default fund"),
    Field("debit", "เดบิต", "debit", aliases=("dr", "เดบิท"), example="12,500.00"),
    Field("credit", "เครดิต", "credit", aliases=("cr", "เครดิต"), example=""),
    Field("date", "วันที่ยอดยกมา", "as of", required=True, aliases=("วันที่", "date", "cut-over date"),
          example="31/12/2567", note_th="วันเดียวกันทุกแถว", note_en="the same date on every row"),
)


def check_balances(organisation, rows, *, today=None):
    today = today or _today()
    accounts = {a.code: a for a in Account.objects.filter(organisation=organisation)}
    funds = {f.code: f for f in Fund.objects.filter(organisation=organisation)}
    default = next((f for f in funds.values() if f.is_default), None)
    closed = _closed_until(organisation)
    problems: list[Problem] = []
    accepted = []
    dates: dict[dt.date, int] = {}
    debits = credits = 0
    for row, raw in rows:
        found: list[Problem] = []
        code = cells.digits(raw.get("account"))
        account = accounts.get(code)
        if not code:
            found.append(required("account", "รหัสบัญชี", "the account code", row))
        elif account is None:
            found.append(Problem("account", f"ไม่มีบัญชี {code} ในผังบัญชีของกลุ่ม",
                                 f"no account {code} in the group's chart", row=row, value=code, code="no_account"))
        fund_code = cells.text(raw.get("fund")).upper()
        fund = funds.get(fund_code) if fund_code else default
        if fund is None:
            found.append(Problem("fund", f"ไม่มีกองทุน {fund_code}", f"no fund {fund_code}", row=row,
                                 value=fund_code))
        sides = {}
        for key in ("debit", "credit"):
            if cells.is_blank(raw.get(key)):
                sides[key] = 0
                continue
            try:
                sides[key] = cells.parse_amount(raw[key])
            except cells.CellError as exc:
                found.append(cell_problem(key, exc, row, raw[key]))
                sides[key] = 0
        debit, credit = sides["debit"], sides["credit"]
        if debit < 0 or credit < 0:
            found.append(Problem("debit" if debit < 0 else "credit", "ยอดติดลบไม่ได้ ให้ใส่อีกด้านแทน",
                                 "a negative balance goes on the other side instead", row=row,
                                 value=min(debit, credit) / 100, code="not_positive"))
        elif (debit > 0) == (credit > 0) and not any(p.field in ("debit", "credit") for p in found):
            found.append(Problem("debit", "ใส่ยอดเดบิตหรือเครดิตอย่างใดอย่างหนึ่ง (มากกว่าศูนย์)",
                                 "give either a debit or a credit (more than zero)", row=row, code="one_side"))
        day = None
        try:
            day = cells.parse_date(raw.get("date"))
        except cells.CellError as exc:
            found.append(cell_problem("date", exc, row, raw.get("date")))
        if day is not None:
            dates.setdefault(day, row)
            if day > today:
                found.append(Problem("date", "วันที่ยอดยกมาอยู่ในอนาคต", "the cut-over date is in the future",
                                     row=row, value=day.isoformat(), code="future"))
            if closed and (day.year, day.month) <= closed:
                found.append(_closed_problem("date", day, closed, row))
        if found:
            problems += found
            continue
        debits += debit
        credits += credit
        accepted.append((row, {"account": code, "fund": fund.code, "debit": debit, "credit": credit,
                               "date": day}))
    if len(dates) > 1:
        problems.append(Problem("date", "วันที่ยอดยกมาต้องเป็นวันเดียวกันทุกแถว",
                                "every row needs the same cut-over date",
                                value=", ".join(d.isoformat() for d in sorted(dates)), code="dates"))
    if not problems and debits != credits:
        problems.append(Problem(
            "debit", f"ยอดยกมาไม่สมดุล: เดบิต {debits / 100:,.2f} เครดิต {credits / 100:,.2f} "
                     f"ต่างกัน {abs(debits - credits) / 100:,.2f} บาท",
            f"the opening balance does not balance: debits {debits / 100:,.2f}, credits {credits / 100:,.2f}, "
            f"a difference of {abs(debits - credits) / 100:,.2f} baht",
            value=f"{(debits - credits) / 100:,.2f}", code="unbalanced"))
    if JournalEntry.objects.filter(organisation=organisation, doc_type=DocumentType.OPENING).exists():
        problems.append(Problem("file", "กลุ่มนี้ลงยอดยกมาไว้แล้ว (แก้ด้วยใบสำคัญทั่วไป)",
                                "this group already has an opening balance (correct it with a journal voucher)",
                                code="exists"))
    if any(p.row is None for p in problems):
        accepted = []  # the entry is all or nothing
    return accepted, problems, {"lines": len(accepted), "debit": debits, "credit": credits}


def commit_balances(job, organisation, actor, rows) -> int:
    from omboon.ledger.services import Line, entry_post

    if not rows:
        return 0
    lines = [Line(account=d["account"], fund=d["fund"], debit=d["debit"], credit=d["credit"],
                  memo=f"ยอดยกมา แถว {row}") for row, d in rows]
    entry_post(actor=actor, organisation=organisation, date=rows[0][1]["date"], doc_type=DocumentType.OPENING,
               lines=lines, memo=f"ยอดยกมา (นำเข้า {job.file_name}) / opening balances"[:255],
               idempotency_key=idem_key(job, "all"), source=("imports.importjob", str(job.pk)))
    return len(rows)


# ============================================================================================
# past benefit claims
# ============================================================================================

CLAIM_FIELDS = (
    Field("member", "เลขที่สมาชิก", "member number", required=True,
          aliases=("member_number", "เลขสมาชิก", "รหัสสมาชิก", "สมาชิก"), example="0001",
          note_th="หรือเลขประจำตัวประชาชน", note_en="or the national ID"),
    Field("national_id", "เลขประจำตัวประชาชน", "national ID", aliases=("เลขบัตรประชาชน",)),
    Field("category", "ประเภทสวัสดิการ", "benefit category", required=True, aliases=("สวัสดิการ", "ประเภท"),
          example="ค่าเยี่ยมไข้/นอนโรงพยาบาล"),
    Field("event_date", "วันที่เกิดเหตุ", "event date", aliases=("วันที่เจ็บป่วย", "วันเกิดเหตุ"), example="3/02/2565",
          note_th="ว่าง = วันที่จ่าย", note_en="blank: the date paid"),
    Field("paid_date", "วันที่จ่าย", "date paid", required=True, aliases=("วันที่", "paid on"), example="10/02/2565"),
    Field("amount", "จำนวนเงิน", "amount", required=True, aliases=("ยอดเงิน",), example="500"),
    Field("details", "รายละเอียด", "details", aliases=("หมายเหตุ", "memo")),
)


def _category_words() -> dict[str, str]:
    from omboon.welfare.models import CATEGORY_EN, CATEGORY_TH, Category

    words = {}
    for cat in Category.values:
        for name in (cat, CATEGORY_TH.get(cat, ""), CATEGORY_EN.get(cat, "")):
            if name:
                words[name.lower().replace(" ", "")] = cat
    words.update({"คลอดบุตร": "childbirth", "ทำขวัญบุตร": "childbirth", "เยี่ยมไข้": "sickness",
                  "นอนโรงพยาบาล": "sickness", "เจ็บป่วย": "sickness", "ศพ": "death", "เสียชีวิต": "death",
                  "จัดการศพ": "death", "ผู้พิการ": "disability", "ด้อยโอกาส": "disability",
                  "ทุนการศึกษา": "education", "การศึกษา": "education", "ผู้สูงอายุ": "elderly",
                  "คนชรา": "elderly", "ภัยพิบัติ": "disaster", "อื่นๆ": "other"})
    return words


def _existing_claims(organisation) -> set[tuple]:
    return set(JournalLine.objects.filter(organisation=organisation, account__code__startswith="51", debit__gt=0,
                                          member__isnull=False, account__type=AccountType.EXPENSE)
               .values_list("member_id", "date", "debit"))


def check_claims(organisation, rows, *, today=None):
    from omboon.welfare.models import Category

    today = today or _today()
    members = MemberIndex(organisation)
    words = _category_words()
    closed = _closed_until(organisation)
    existing = _existing_claims(organisation)
    problems: list[Problem] = []
    accepted = []
    seen: dict[tuple, int] = {}
    total = 0
    for row, raw in rows:
        found: list[Problem] = []
        number, id_value, member = members.resolve(raw.get("member"), raw.get("national_id"))
        if member is None:
            found.append(member_ref_problem(number, id_value, row))
        category = words.get(cells.text(raw.get("category")).lower().replace(" ", ""))
        if category is None:
            found.append(Problem("category", "ไม่รู้จักประเภทสวัสดิการนี้", "unknown benefit category", row=row,
                                 value=cells.text(raw.get("category"))[:100], code="category"))
        dates = {}
        for key, th, en in (("paid_date", "วันที่จ่าย", "the date paid"), ("event_date", "วันที่เกิดเหตุ", "the event date")):
            if cells.is_blank(raw.get(key)):
                if key == "paid_date":
                    found.append(required(key, th, en, row))
                continue
            try:
                dates[key] = cells.parse_date(raw[key])
            except cells.CellError as exc:
                found.append(cell_problem(key, exc, row, raw[key]))
        paid = dates.get("paid_date")
        event = dates.get("event_date") or paid
        amount = None
        try:
            amount = cells.parse_amount(raw.get("amount"))
            if amount <= 0:
                found.append(Problem("amount", "จำนวนเงินต้องมากกว่าศูนย์", "the amount must be more than zero",
                                     row=row, value=amount / 100, code="not_positive"))
        except cells.CellError as exc:
            found.append(cell_problem("amount", exc, row, raw.get("amount")))
        if paid and event:
            if event > paid:
                found.append(Problem("event_date", "วันที่เกิดเหตุอยู่หลังวันที่จ่าย", "the event is after the payout",
                                     row=row, value=event.isoformat(), code="order"))
            if paid > today:
                found.append(Problem("paid_date", "วันที่จ่ายอยู่ในอนาคต", "the date paid is in the future", row=row,
                                     value=paid.isoformat(), code="future"))
            if closed and (paid.year, paid.month) <= closed:
                found.append(_closed_problem("paid_date", paid, closed, row))
            if member is not None:
                found += check_member_dates(member, event, key="event_date", row=row, what_th="วันที่เกิดเหตุ",
                                            what_en="the event")
                if paid < member.join_date:
                    found += check_member_dates(member, paid, key="paid_date", row=row, what_th="วันที่จ่าย",
                                                what_en="the date paid")
                if member.status == Member.Status.DECEASED and category == Category.DEATH and member.status_date \
                        and event != member.status_date:
                    found.append(Problem("event_date", "วันที่เสียชีวิตไม่ตรงกับทะเบียนสมาชิก",
                                         "the date of death differs from the member register", row=row,
                                         value=event.isoformat(), code="death_date"))
        if not found:
            key = (member.pk, category, event)
            if key in seen:
                found.append(Problem("event_date", f"คำขอซ้ำกับแถว {seen[key]}", f"the same claim as row {seen[key]}",
                                     row=row, value=f"{member.number} {event.isoformat()}", code="duplicate"))
            elif (member.pk, paid, amount) in existing:
                found.append(Problem("paid_date", "การจ่ายนี้มีอยู่ในบัญชีแล้ว", "this payout is already in the books",
                                     row=row, value=f"{member.number} {paid.isoformat()}", code="duplicate"))
            else:
                seen[key] = row
        if found:
            problems += found
            continue
        total += amount
        accepted.append((row, {"member_id": member.pk, "category": category, "event_date": event,
                               "paid_date": paid, "amount": amount,
                               "details": cells.text(raw.get("details"))[:200]}))
    return accepted, problems, {"claims": len(accepted), "total": total}


def commit_claims(job, organisation, actor, rows) -> int:
    from omboon.ledger.rules import Approval
    from omboon.ledger.services import Line, entry_post
    from omboon.members.services import member_status_change
    from omboon.welfare.models import Category, category_label
    from omboon.welfare.services import expense_account_for

    members = Member.objects.in_bulk([d["member_id"] for _, d in rows])
    accounts: dict[str, Account] = {}
    # money out: posted in the maker's name with the second person who approved the job (the
    # ledger refuses cash out without one; the entry's audit event and memo name both)
    approval = Approval(maker=actor, approver=job.approved_by, what=f"imports.importjob:{job.pk}")
    approver = job.approved_by.get_username() if job.approved_by_id else "-"
    for row, d in rows:
        cat = d["category"]
        if cat not in accounts:
            accounts[cat] = expense_account_for(actor=actor, organisation=organisation, category=cat)
        member = members[d["member_id"]]
        memo = f"{category_label(cat)} {member.number} {member.full_name} {d['details']}".strip()[:255]
        entry_post(actor=actor, organisation=organisation, date=d["paid_date"], doc_type=DocumentType.PAYMENT,
                   lines=[Line(account=accounts[cat], debit=d["amount"], member=member, memo=memo),
                          Line(account=chart.CASH, credit=d["amount"], member=member, memo=memo)],
                   memo=f"จ่ายสวัสดิการย้อนหลัง (นำเข้า แถว {row} อนุมัติ {approver}): {memo}"[:255],
                   idempotency_key=idem_key(job, row), source=("imports.importjob", str(job.pk)),
                   approval=approval)
        if cat == Category.DEATH and member.status not in member_rules.CLOSED_STATUSES:
            member_status_change(actor=actor, member=member, status=Member.Status.DECEASED, on=d["event_date"],
                                 reason=f"นำเข้าการจ่ายค่าจัดการศพ แถว {row} / death benefit imported")
            member.status = Member.Status.DECEASED
    return len(rows)


# ============================================================================================
# beneficiaries
# ============================================================================================

BENEFICIARY_FIELDS = (
    Field("member", "เลขที่สมาชิก", "member number", required=True,
          aliases=("member_number", "เลขสมาชิก", "รหัสสมาชิก", "สมาชิก"), example="0001",
          note_th="สมาชิกที่ผู้รับผลประโยชน์นี้เป็นของ (หรือเลขประจำตัวประชาชนของสมาชิก)",
          note_en="the member whose beneficiary this is (or the member's national ID)"),
    Field("national_id", "เลขประจำตัวประชาชนสมาชิก", "member's national ID",
          aliases=("เลขประจำตัวประชาชน", "เลขบัตรประชาชน", "national id", "citizen id"),
          note_th="ใช้แทนเลขที่สมาชิกได้", note_en="may stand for the member number"),
    Field("title", "คำนำหน้า", "title", aliases=("คำนำหน้าชื่อ", "prefix"), example="นาย"),
    Field("first_name", "ชื่อผู้รับผลประโยชน์", "beneficiary first name", required=True,
          aliases=("ชื่อ", "first name", "firstname", "given name"), example="สมชาย"),
    Field("last_name", "นามสกุลผู้รับผลประโยชน์", "beneficiary last name", required=True,
          aliases=("นามสกุล", "last name", "lastname", "surname"), example="ใจดี"),
    Field("full_name", "ชื่อ-นามสกุลผู้รับผลประโยชน์", "beneficiary full name",
          aliases=("ผู้รับผลประโยชน์", "ชื่อ-นามสกุล", "ชื่อสกุล", "beneficiary", "name"),
          note_th="ใช้แทนช่องคำนำหน้า ชื่อ และนามสกุลได้", note_en="may stand for title, first and last name"),
    Field("relation", "ความสัมพันธ์", "relationship", aliases=("ความเกี่ยวพัน", "เกี่ยวข้องเป็น", "relation"),
          example="บุตร", note_th="เช่น คู่สมรส บุตร บิดา มารดา พี่น้อง", note_en="e.g. spouse, child, parent"),
    Field("share_percent", "ส่วนแบ่งร้อยละ", "share percent",
          required=True, aliases=("ส่วนแบ่ง", "ร้อยละ", "สัดส่วน", "share", "percent", "share %"), example="100",
          note_th="จำนวนเต็ม ของสมาชิกแต่ละคนรวมกันต้องได้ 100", note_en="whole percent; a member's add up to 100"),
    Field("phone", "โทรศัพท์ผู้รับผลประโยชน์", "beneficiary phone",
          aliases=("โทรศัพท์", "เบอร์โทร", "โทร", "phone", "mobile", "tel"), example="0812345678"),
)


def _person_key(first: str, last: str) -> str:
    """A beneficiary's name as compared for duplicates: no title, single spaces."""
    return " ".join(f"{first} {last}".split())


def _existing_beneficiaries(organisation) -> dict[int, list[dict]]:
    from omboon.members.models import Beneficiary

    found: dict[int, list[dict]] = defaultdict(list)
    for member_id, name, relation, share, phone in (
            Beneficiary.objects.filter(organisation=organisation).order_by("member_id", "position")
            .values_list("member_id", "name", "relation", "share_percent", "phone")):
        found[member_id].append({"name": name, "relation": relation, "share_percent": share, "phone": phone})
    return found


def _clean_beneficiary(raw: dict, row: int) -> tuple[dict, list[Problem]]:
    """Title, names (or a full name), relation, share and phone of one row, by the members
    app's own rules for beneficiaries (``members.rules.clean_beneficiaries``)."""
    problems: list[Problem] = []
    names = {}
    for key in ("title", "first_name", "last_name", "full_name"):
        value = " ".join(cells.text(raw.get(key)).split())
        if cells.looks_like_formula(value):
            problems.append(Problem(key, "ข้อความขึ้นต้นด้วย = + - @ เหมือนสูตร Excel",
                                    "the text starts like a spreadsheet formula (= + - @)",
                                    row=row, value=value[:100], code="formula"))
            value = ""
        names[key] = value
    title, first, last = names["title"], names["first_name"], names["last_name"]
    name_field = "first_name"
    if names["full_name"] and not (first or last):
        title_in_name, first, last = split_full_name(names["full_name"])
        title = title or title_in_name
        name_field = "full_name"
    if not problems:
        if not first:
            problems.append(required(name_field, "ชื่อผู้รับผลประโยชน์", "the beneficiary's first name", row))
        if not last:
            problems.append(required("last_name" if name_field == "first_name" else name_field,
                                     "นามสกุลผู้รับผลประโยชน์", "the beneficiary's last name", row))
    share_text = cells.text(raw.get("share_percent"))
    phone = cells.parse_phone(raw.get("phone")) if not cells.is_blank(raw.get("phone")) else ""
    name = f"{title}{first} {last}".strip()
    cleaned, found = member_rules.clean_beneficiaries([{
        "name": name or "-", "relation": cells.text(raw.get("relation")), "share_percent": share_text,
        "phone": phone}])
    for p in found:  # row 1 of one: this row; the total is checked per member, with the database
        if p.code == "total" or (p.field == "name" and problems):
            continue
        problems.append(Problem(name_field if p.field == "name" else p.field, p.message_th, p.message_en,
                                row=row, value=p.value, code=p.code or p.field))
    data = cleaned[0] if cleaned else {"name": name, "relation": "", "share_percent": 0, "phone": phone}
    data["name"] = name
    data["key"] = _person_key(first, last)
    return data, problems


def check_beneficiaries(organisation, rows, *, today=None):
    members = MemberIndex(organisation)
    existing = _existing_beneficiaries(organisation)
    problems: list[Problem] = []
    rows_of: dict[int, list[tuple[int, dict]]] = defaultdict(list)  # member → its rows of the file
    bad_rows: set[int] = set()
    number_of: dict[int, str] = {}
    seen: dict[tuple[int, str], int] = {}
    for row, raw in rows:
        found: list[Problem] = []
        number, id_value, member = members.resolve(raw.get("member"), raw.get("national_id"))
        if member is None:
            found.append(member_ref_problem(number, id_value, row))
        data, more = _clean_beneficiary(raw, row)
        found += more
        if member is not None:
            number_of[member.pk] = member.number
            rows_of[member.pk].append((row, data))
            if data["key"].strip():
                dup = (member.pk, data["key"])
                before = {_person_key(*split_full_name(b["name"])[1:]) for b in existing.get(member.pk, ())}
                if dup in seen:
                    found.append(Problem("first_name", f"ผู้รับผลประโยชน์ซ้ำกับแถว {seen[dup]}",
                                         f"the same beneficiary as row {seen[dup]}", row=row,
                                         value=data["name"], code="duplicate"))
                elif data["key"] in before:
                    found.append(Problem("first_name", f"{data['name']} เป็นผู้รับผลประโยชน์ของสมาชิก "
                                                       f"{member.number} อยู่แล้ว",
                                         f"{data['name']} is already a beneficiary of member {member.number}",
                                         row=row, value=data["name"], code="duplicate"))
                else:
                    seen[dup] = row
        if found:
            bad_rows.add(row)
            problems += found
    # a member's shares: the rows of the file and those already in the database make 100
    accepted: list[tuple[int, dict]] = []
    for member_id, member_rows in rows_of.items():
        rows_here = [r for r, _ in member_rows]
        bad_here = [r for r in rows_here if r in bad_rows]
        number = number_of[member_id]
        if bad_here:
            listed = ", ".join(str(r) for r in bad_here[:10])
            for r in rows_here:
                if r not in bad_rows:
                    problems.append(Problem("member", f"แถวอื่นของสมาชิก {number} มีปัญหา (แถว {listed}) "
                                                      "แก้ให้ครบแล้วนำเข้าพร้อมกัน",
                                            f"another row of member {number} has a problem (row {listed}); "
                                            "fix it and import them together", row=r, value=number,
                                            code="member_rows"))
            continue
        already = sum(b["share_percent"] for b in existing.get(member_id, ()))
        in_file = sum(d["share_percent"] for _, d in member_rows)
        if already >= 100:
            problems += [Problem("share_percent", f"สมาชิก {number} มีผู้รับผลประโยชน์ครบ 100% อยู่แล้ว "
                                                  "เปลี่ยนได้ที่หน้าของสมาชิก",
                                 f"member {number} already has beneficiaries sharing 100%; change them on the "
                                 "member's page", row=r, value=already + in_file, code="total") for r in rows_here]
            continue
        if already + in_file != 100:
            th = (f"ส่วนแบ่งของสมาชิก {number} รวมกันได้ {already + in_file}% "
                  + (f"(มีอยู่แล้ว {already}% + ในไฟล์ {in_file}%) " if already else "") + "ต้องเท่ากับ 100% พอดี")
            en = (f"the shares of member {number} add up to {already + in_file}% "
                  + (f"({already}% already + {in_file}% in the file) " if already else "")
                  + "and must add up to exactly 100%")
            problems += [Problem("share_percent", th, en, row=r, value=already + in_file, code="total")
                         for r in rows_here]
            continue
        accepted += [(r, {**d, "member_id": member_id}) for r, d in member_rows]
    accepted.sort(key=lambda item: item[0])
    return accepted, problems, {"beneficiaries": len(accepted), "members": len({d["member_id"] for _, d in accepted})}


def commit_beneficiaries(job, organisation, actor, rows) -> int:
    """Each member's new beneficiaries after those already recorded, through the members
    app's ``beneficiaries_set`` (its rules: shares add up to 100; one audit event each)."""
    from omboon.members.services import beneficiaries_set

    existing = _existing_beneficiaries(organisation)
    by_member: dict[int, list[dict]] = defaultdict(list)
    for _row, d in rows:
        by_member[d["member_id"]].append({k: d[k] for k in member_rules.BENEFICIARY_FIELDS})
    members = Member.objects.in_bulk(list(by_member))
    for member_id, new in by_member.items():
        beneficiaries_set(actor=actor, member=members[member_id], rows=[*existing.get(member_id, []), *new])
    return len(rows)


# ============================================================================================

KINDS: dict[str, KindSpec] = {
    "members": KindSpec(
        "members", "สมาชิก", "Members", MEMBER_FIELDS, check_members, commit_members,
        alternatives=(("first_name", "last_name", "full_name"),),
        instructions_th=(
            "หนึ่งแถวต่อสมาชิกหนึ่งคน แถวแรกเป็นหัวคอลัมน์ สลับลำดับคอลัมน์ได้ คอลัมน์อื่นที่ไม่รู้จักจะถูกข้าม",
            "วันที่พิมพ์เป็น พ.ศ. หรือ ค.ศ. ได้ เช่น 15/03/2515, 15 มี.ค. 2515, 1972-03-15",
            "เลขประจำตัวประชาชน 13 หลัก ระบบตรวจหลักสุดท้าย และห้ามซ้ำในกลุ่ม",
            "เลขที่สมาชิกว่างได้ ระบบจะให้เลขถัดไปเอง",
        ),
        instructions_en=(
            "One row per member; the first row holds the headers; columns in any order; unknown columns are ignored.",
            "Dates in BE or CE: 15/03/2515, 15 มี.ค. 2515, 1972-03-15.",
            "National IDs have 13 digits; the check digit is verified; no two members of a group share one.",
            "The member number may be blank: the next free number is given.",
        ),
    ),
    "beneficiaries": KindSpec(
        "beneficiaries", "ผู้รับผลประโยชน์", "Beneficiaries", BENEFICIARY_FIELDS, check_beneficiaries,
        commit_beneficiaries, one_batch=True,
        alternatives=(("member", "national_id"), ("first_name", "last_name", "full_name")),
        instructions_th=(
            "หนึ่งแถวต่อผู้รับผลประโยชน์หนึ่งคน: เลขที่สมาชิก ชื่อ นามสกุล ความสัมพันธ์ และส่วนแบ่งร้อยละ",
            "สมาชิกที่มีผู้รับผลประโยชน์หลายคนใช้หลายแถว เลขที่สมาชิกเดียวกัน ส่วนแบ่งของแต่ละสมาชิกรวมกันต้องได้ 100",
            "ต้องนำเข้าสมาชิกก่อน ถ้าสมาชิกมีผู้รับผลประโยชน์ในระบบอยู่แล้ว ส่วนแบ่งเดิมรวมกับในไฟล์ต้องได้ 100",
            "แถวใดของสมาชิกคนหนึ่งมีปัญหา แถวอื่นของสมาชิกคนนั้นจะไม่ถูกนำเข้าด้วย (ส่วนแบ่งต้องครบพร้อมกัน)",
        ),
        instructions_en=(
            "One row per beneficiary: member number, first name, last name, relationship and share in percent.",
            "A member with several beneficiaries has several rows with the same member number; each member's "
            "shares add up to 100.",
            "Import the members first; if a member already has beneficiaries in the system, their shares and the "
            "file's together make 100.",
            "If any row of a member has a problem, none of that member's rows is imported (the shares go in whole).",
        ),
    ),
    "payments": KindSpec(
        "payments", "การชำระเงินย้อนหลัง", "Historical payments", PAYMENT_FIELDS, check_payments, commit_payments,
        alternatives=(("member", "national_id"), ("amount", "entry_fee", "annual_fee", "daily_saving")),
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
    ),
    "opening-balances": KindSpec(
        "opening-balances", "ยอดยกมา", "Opening balances", BALANCE_FIELDS, check_balances, commit_balances,
        one_batch=True,
        instructions_th=(
            "งบทดลอง ณ วันที่เริ่มใช้ระบบ: หนึ่งแถวต่อบัญชี (และกองทุน) ยอดเดบิตหรือเครดิต",
            "ยอดเดบิตรวมต้องเท่ากับยอดเครดิตรวม ทุกแถวใช้วันที่เดียวกัน",
            "รหัสบัญชีตามผังบัญชีมาตรฐาน เช่น 1100 เงินสด 1200 เงินฝากธนาคาร 3100 กองทุนสวัสดิการ",
        ),
        instructions_en=(
            "A trial balance at the cut-over date: one row per account (and fund), a debit or a credit.",
            "Total debits must equal total credits; every row has the same date.",
            "Account codes from the standard chart: 1100 cash, 1200 bank, 3100 welfare fund, ...",
        ),
    ),
    "claims": KindSpec(
        "claims", "การจ่ายสวัสดิการย้อนหลัง", "Past benefit claims", CLAIM_FIELDS, check_claims, commit_claims,
        alternatives=(("member", "national_id"),), pays_out=True,
        instructions_th=(
            "หนึ่งแถวต่อการจ่ายสวัสดิการหนึ่งครั้งที่จ่ายไปแล้ว: สมาชิก ประเภท วันที่เกิดเหตุ วันที่จ่าย จำนวนเงิน",
            "ลงบัญชี: เดบิต ค่าสวัสดิการ (51xx ตามประเภท) / เครดิต เงินสด 1100",
            "การจ่ายค่าจัดการศพเปลี่ยนสถานะสมาชิกเป็นเสียชีวิต ณ วันที่เกิดเหตุ",
            "เป็นเงินจ่ายออก: หลังตรวจไฟล์แล้ว ผู้มีสิทธิ์อนุมัติอีกคนหนึ่ง (ไม่ใช่ผู้นำเข้า) ต้องอนุมัติก่อนจึงลงบัญชี",
        ),
        instructions_en=(
            "One row per benefit already paid: member, category, event date, date paid, amount.",
            "Posted as Dr benefits paid (51xx by category) / Cr cash 1100.",
            "A death benefit marks the member deceased on the event date.",
            "Money paid out: once the file is checked, a second person who may approve (not the uploader) approves "
            "it before anything is posted.",
        ),
    ),
}


def get(kind: str) -> KindSpec:
    try:
        return KINDS[kind]
    except KeyError:
        raise ValueError(f"ไม่รู้จักชนิดการนำเข้า {kind!r} / unknown import kind {kind!r}; "
                         f"known: {', '.join(KINDS)} (loans: no loans app yet)") from None
