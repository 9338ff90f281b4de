"""Checks on member data. Each returns a list of Problems (Thai and English, naming the field
and, for imports, the row); none raise. Forms, imports, the API and the services share them.

``check_member`` runs every rule on one cleaned row except uniqueness, which needs the
database (``check_unique``) or the rest of a batch (``check_unique_in_batch``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from stdnum.th import pin

from omboon.core import national_id, thaidate
from omboon.core.errors import Problem
from omboon.core.thaidate import arabic_digits
from omboon.members.models import LEFT_STATUSES, Member
from omboon.orgs import rules as org_rules
from omboon.orgs import selectors as org_selectors
from omboon.orgs.models import Organisation

EARLIEST_BIRTH = dt.date(1900, 1, 1)
NUMBER_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z/_.-]{0,15}$")
STATUSES = frozenset(Member.Status.values)
SEXES = frozenset(Member.Sex.values)

FIELD_NAMES_TH = {
    "organisation": "กลุ่ม",
    "number": "เลขที่สมาชิก",
    "title": "คำนำหน้า",
    "first_name": "ชื่อ",
    "last_name": "นามสกุล",
    "sex": "เพศ",
    "national_id": "เลขประจำตัวประชาชน",
    "birth_date": "วันเกิด",
    "join_date": "วันที่เข้าเป็นสมาชิก",
    "phone": "โทรศัพท์",
    "house_no": "บ้านเลขที่",
    "moo": "หมู่",
    "street": "ถนน",
    "subdistrict_code": "ตำบล",
    "district_code": "อำเภอ",
    "province_code": "จังหวัด",
    "postcode": "รหัสไปรษณีย์",
    "status": "สถานะ",
    "status_date": "วันที่เปลี่ยนสถานะ",
}


def _at(problems: Iterable[Problem], row: int | None) -> list[Problem]:
    """The same problems, marked with a row number."""
    return [dataclasses.replace(p, row=row) for p in problems] if row is not None else list(problems)


def check_organisation(organisation: Organisation) -> list[Problem]:
    """Members belong to a group; a network only sees its groups' members."""
    if organisation is None or not organisation.is_group:
        code = getattr(organisation, "code", None)
        return [Problem("organisation", "สมาชิกต้องสังกัดกลุ่ม ไม่ใช่เครือข่าย",
                        "members belong to a group, not to a network", value=code)]
    return []


def id_is_valid(value: str) -> bool:
    """True for a valid ID of 13 plain digits (fast path for thousands of rows)."""
    return (len(value) == 13 and value.isdigit() and value[0] not in "09"
            and pin.calc_check_digit(value) == value[12])


def check_national_id(value: str, *, row: int | None = None) -> list[Problem]:
    if value and id_is_valid(value):
        return []
    return national_id.check(value, field="national_id", row=row)


def check_names(first_name: str, last_name: str, *, row: int | None = None) -> list[Problem]:
    problems = []
    for field, value in (("first_name", first_name), ("last_name", last_name)):
        text = (value or "").strip()
        th, en = FIELD_NAMES_TH[field], field.replace("_", " ")
        if not text:
            problems.append(Problem(field, f"ต้องระบุ{th}", f"{en} is required", row=row))
        elif len(text) > 100:
            problems.append(Problem(field, f"{th}ยาวเกิน 100 ตัวอักษร",
                                    f"{en} is longer than 100 characters", row=row, value=text))
        elif any(map(str.isdigit, text)):
            problems.append(Problem(field, f"{th}มีตัวเลขปนอยู่", f"{en} contains digits",
                                    row=row, value=text))
    return problems


def check_sex(sex: str, *, row: int | None = None) -> list[Problem]:
    if sex not in SEXES:
        return [Problem("sex", "เพศต้องเป็น ชาย (M) หรือ หญิง (F)", "sex must be M or F",
                        row=row, value=sex)]
    return []


def check_dates(
    birth_date: dt.date | None,
    join_date: dt.date | None,
    *,
    today: dt.date | None = None,
    row: int | None = None,
) -> list[Problem]:
    """Born before 1900 or in the future, joined in the future, born after joining."""
    today = today or dt.date.today()
    problems = []
    if birth_date is None:
        problems.append(Problem("birth_date", "ต้องระบุวันเกิด", "birth date is required", row=row))
    elif birth_date > today:
        problems.append(Problem("birth_date", "วันเกิดอยู่ในอนาคต", "birth date is in the future",
                                row=row, value=birth_date))
    elif birth_date < EARLIEST_BIRTH:
        problems.append(Problem("birth_date", "วันเกิดก่อน พ.ศ. 2443 (ค.ศ. 1900) ไม่น่าถูกต้อง",
                                "birth date before 1900 cannot be right", row=row, value=birth_date))
    if join_date is None:
        problems.append(Problem("join_date", "ต้องระบุวันที่เข้าเป็นสมาชิก", "join date is required",
                                row=row))
    elif join_date > today:
        problems.append(Problem("join_date", "วันที่เข้าเป็นสมาชิกอยู่ในอนาคต",
                                "join date is in the future", row=row, value=join_date))
    if birth_date is not None and join_date is not None and birth_date > join_date:
        problems.append(Problem("birth_date", "วันเกิดอยู่หลังวันที่เข้าเป็นสมาชิก",
                                "born after joining: the birth date is after the join date",
                                row=row, value=birth_date))
    return problems


def check_status(
    status: str,
    status_date: dt.date | None,
    join_date: dt.date | None,
    *,
    today: dt.date | None = None,
    row: int | None = None,
) -> list[Problem]:
    """A known status; a member who left has the date they left, after joining, not ahead."""
    today = today or dt.date.today()
    if status not in STATUSES:
        return [Problem("status", "สถานะสมาชิกไม่ถูกต้อง", "unknown member status",
                        row=row, value=status)]
    problems = []
    if status in LEFT_STATUSES and status_date is None:
        problems.append(Problem("status_date", "ต้องระบุวันที่ลาออก เสียชีวิต หรือพ้นสภาพ",
                                "a resigned, deceased or expelled member needs the date",
                                row=row))
    if status_date is not None:
        if status_date > today:
            problems.append(Problem("status_date", "วันที่เปลี่ยนสถานะอยู่ในอนาคต",
                                    "status date is in the future", row=row, value=status_date))
        elif join_date is not None and status_date < join_date:
            problems.append(Problem("status_date", "วันที่เปลี่ยนสถานะอยู่ก่อนวันที่เข้าเป็นสมาชิก",
                                    "status date is before the join date", row=row,
                                    value=status_date))
    return problems


def check_number(number: str, *, row: int | None = None) -> list[Problem]:
    if not NUMBER_RE.match(number or ""):
        return [Problem("number", "เลขที่สมาชิกต้องเป็นตัวเลขหรือตัวอักษรอังกฤษ ไม่เกิน 16 ตัว",
                        "member number must be up to 16 letters or digits", row=row,
                        value=number)]
    return []


def check_contact(phone: str, moo: int | None, postcode: str, *, row: int | None = None) -> list[Problem]:
    problems = []
    if phone:
        digits = re.sub(r"[\s\-()]", "", phone)
        if not digits.isdigit() or not 9 <= len(digits) <= 10:
            problems.append(Problem("phone", "เบอร์โทรศัพท์ต้องเป็นตัวเลข 9–10 หลัก",
                                    "phone must have 9–10 digits", row=row, value=phone))
    if moo is not None and not 1 <= moo <= 99:
        problems.append(Problem("moo", "หมู่ต้องอยู่ระหว่าง 1–99", "village number (moo) must be 1–99",
                                row=row, value=moo))
    if postcode and not (len(postcode) == 5 and postcode.isdigit()):
        problems.append(Problem("postcode", "รหัสไปรษณีย์ต้องเป็นตัวเลข 5 หลัก",
                                "postcode must be 5 digits", row=row, value=postcode))
    return problems


def check_geography(province_code: str, district_code: str, subdistrict_code: str, *,
                    row: int | None = None) -> list[Problem]:
    """DOPA codes exist and nest (the organisations' rule, marked with the row)."""
    return _at(_geography(province_code or "", district_code or "", subdistrict_code or ""), row)


@lru_cache(maxsize=4096)
def _geography(province_code: str, district_code: str, subdistrict_code: str) -> tuple[Problem, ...]:
    # The codes are static data and Problems are immutable: a list of thousands of members
    # from a few villages checks each place once.
    return tuple(org_rules.check_geography(province_code, district_code, subdistrict_code))


def check_member(data: Mapping, *, today: dt.date | None = None, row: int | None = None) -> list[Problem]:
    """Every rule that needs no database, on one cleaned row (dates as dates, moo as int)."""
    return [
        *(check_number(data["number"], row=row) if data.get("number") else []),
        *check_names(data.get("first_name", ""), data.get("last_name", ""), row=row),
        *check_sex(data.get("sex", ""), row=row),
        *check_national_id(data.get("national_id", ""), row=row),
        *check_dates(data.get("birth_date"), data.get("join_date"), today=today, row=row),
        *check_status(data.get("status", Member.Status.ACTIVE), data.get("status_date"),
                      data.get("join_date"), today=today, row=row),
        *check_contact(data.get("phone", ""), data.get("moo"), data.get("postcode", ""), row=row),
        *check_geography(data.get("province_code", ""), data.get("district_code", ""),
                         data.get("subdistrict_code", ""), row=row),
    ]


def check_unique(
    organisation: Organisation,
    *,
    number: str = "",
    national_id_value: str = "",
    exclude_pk: int | None = None,
    row: int | None = None,
) -> list[Problem]:
    """The member number and national ID are not used by another member of the group."""
    problems = []
    others = Member.objects.filter(organisation=organisation)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if number and others.filter(number=number).exists():
        problems.append(_duplicate_number(number, row=row))
    if national_id_value:
        clash = others.filter(national_id=national_id_value).values_list("number", flat=True).first()
        if clash:
            problems.append(_duplicate_id(national_id_value, clash, row=row))
    return problems


def _duplicate_number(number: str, *, row: int | None, other_row: int | None = None) -> Problem:
    where_th = f" (ซ้ำกับแถว {other_row})" if other_row else ""
    where_en = f" (same as row {other_row})" if other_row else ""
    return Problem("number", f"เลขที่สมาชิก {number} มีอยู่แล้วในกลุ่มนี้{where_th}",
                   f"member number {number} is already used in this group{where_en}",
                   row=row, value=number, code="duplicate")


def _duplicate_id(value: str, holder: str | None, *, row: int | None, other_row: int | None = None) -> Problem:
    masked = national_id.masked(value)
    if other_row:
        where_th, where_en = f"ซ้ำกับแถว {other_row}", f"same as row {other_row}"
    else:
        where_th, where_en = f"เป็นของสมาชิกเลขที่ {holder}", f"held by member {holder}"
    return Problem("national_id", f"เลขประจำตัวประชาชน {masked} มีอยู่แล้วในกลุ่มนี้ ({where_th})",
                   f"national ID {masked} is already registered in this group ({where_en})",
                   row=row, value=masked, code="duplicate")


def check_unique_in_batch(
    organisation: Organisation,
    rows: list[tuple[int | None, Mapping]],
) -> list[Problem]:
    """Duplicates inside a batch of (row number, cleaned row), and against the group's
    existing members, in one query whatever the batch size."""
    problems = []
    # The group's existing numbers and IDs in one query with no parameter list (a batch of
    # thousands would exceed SQLite's limit on query parameters).
    taken_numbers: set[str] = set()
    taken_ids: dict[str, str] = {}
    if organisation.pk is not None:
        for number, value in Member.objects.filter(organisation=organisation).values_list(
            "number", "national_id"
        ):
            taken_numbers.add(number)
            taken_ids[value] = number
    seen_numbers: dict[str, int | None] = {}
    seen_ids: dict[str, int | None] = {}
    for row, data in rows:
        number = data.get("number")
        if number:
            if number in taken_numbers:
                problems.append(_duplicate_number(number, row=row))
            elif number in seen_numbers:
                problems.append(_duplicate_number(number, row=row, other_row=seen_numbers[number]))
            else:
                seen_numbers[number] = row
        value = data.get("national_id")
        if value and id_is_valid(value):
            if value in taken_ids:
                problems.append(_duplicate_id(value, taken_ids[value], row=row))
            elif value in seen_ids:
                problems.append(_duplicate_id(value, None, row=row, other_row=seen_ids[value]))
            else:
                seen_ids[value] = row
    return problems


BENEFICIARY_FIELDS = ("name", "relation", "share_percent", "phone")


def clean_beneficiaries(rows: Iterable[Mapping]) -> tuple[list[dict], list[Problem]]:
    """Typed beneficiary rows and their problems: a name on every row, whole-number shares of
    1–100 that add up to exactly 100. Rows are numbered from 1; wholly blank rows (a form's
    spare lines) are left out."""
    cleaned: list[dict] = []
    problems: list[Problem] = []
    for row, raw in enumerate(rows, start=1):
        text = {k: str(raw.get(k) if raw.get(k) is not None else "").strip() for k in BENEFICIARY_FIELDS}
        if not any(text.values()):
            continue
        unknown = sorted(set(raw) - set(BENEFICIARY_FIELDS))
        for name in unknown:
            problems.append(Problem(name, f"ไม่รู้จักช่อง {name}", f"unknown field {name}", row=row))
        if not text["name"]:
            problems.append(Problem("name", "ต้องระบุชื่อผู้รับผลประโยชน์",
                                    "the beneficiary's name is required", row=row))
        elif len(text["name"]) > 200:
            problems.append(Problem("name", "ชื่อยาวเกิน 200 ตัวอักษร", "name is longer than 200 characters",
                                    row=row, value=text["name"]))
        share_text = arabic_digits(text["share_percent"]).rstrip("%").strip()
        share = int(share_text) if share_text.isdigit() else None
        if share is None or not 1 <= share <= 100:
            problems.append(Problem("share_percent", "ส่วนแบ่งต้องเป็นจำนวนเต็ม 1–100 (ร้อยละ)",
                                    "the share must be a whole percent from 1 to 100", row=row,
                                    value=text["share_percent"]))
        problems += check_contact(arabic_digits(text["phone"]), None, "", row=row)
        cleaned.append({"name": text["name"], "relation": text["relation"][:64],
                        "share_percent": share or 0, "phone": arabic_digits(text["phone"])})
    total = sum(r["share_percent"] for r in cleaned)
    if cleaned and not problems and total != 100:
        problems.append(Problem("share_percent", f"ส่วนแบ่งรวมกันได้ {total}% ต้องเท่ากับ 100% พอดี",
                                f"the shares add up to {total}%, they must add up to exactly 100%",
                                value=total, code="total"))
    return cleaned, problems


# Years a member's personal fields are kept after they left (the bylaws' ``retention_years``).
DEFAULT_RETENTION_YEARS = 5
ERASABLE_STATUSES = frozenset({Member.Status.RESIGNED, Member.Status.EXPELLED})


def retention_years(organisation) -> int:
    value = org_selectors.bylaws_on(organisation).get("retention_years", DEFAULT_RETENTION_YEARS)
    return value if isinstance(value, int) and value >= 0 else DEFAULT_RETENTION_YEARS


def erasable_from(member: Member) -> dt.date | None:
    """The first day the member's personal fields may be erased, or None while they are a member."""
    if member.status not in ERASABLE_STATUSES or member.status_date is None:
        return None
    years = retention_years(member.organisation)
    left = member.status_date
    try:
        return left.replace(year=left.year + years)
    except ValueError:  # 29 February
        return left.replace(year=left.year + years, day=28)


def check_erase(member: Member, today: dt.date) -> list[Problem]:
    """A member's personal data is erased only after they left and the retention years passed."""
    if member.is_anonymised:
        return [Problem("member", "ลบข้อมูลส่วนบุคคลของสมาชิกนี้ไปแล้ว", "this member's personal data is already erased")]
    start = erasable_from(member)
    if start is None:
        return [Problem("status", "ลบข้อมูลส่วนบุคคลได้เฉพาะสมาชิกที่ลาออกหรือถูกให้ออกแล้ว",
                        "only a member who resigned or was expelled can have their personal data erased",
                        value=member.status)]
    if today < start:
        years = retention_years(member.organisation)
        return [Problem("status_date", f"ระเบียบให้เก็บข้อมูล {years} ปีหลังออก ลบได้ตั้งแต่ {thaidate.format_date(start)}",
                        f"the bylaws keep the data {years} years after leaving: it can be erased from "
                        f"{thaidate.format_date(start, lang='en')}", value=str(start))]
    return []


ERASE_RULES = [check_erase]


# --- the checks of a status change, as a named list (run with ``core.errors.problems_of``) ---

# Where a member may go from each status: applied → active → resigned / deceased / expelled.
STATUS_MOVES: dict[str, set[str]] = {
    Member.Status.APPLIED: {Member.Status.ACTIVE, Member.Status.RESIGNED, Member.Status.EXPELLED,
                            Member.Status.DECEASED},
    Member.Status.ACTIVE: {Member.Status.RESIGNED, Member.Status.DECEASED, Member.Status.EXPELLED},
    Member.Status.RESIGNED: set(),
    Member.Status.DECEASED: set(),
    Member.Status.EXPELLED: set(),
}


@dataclass(frozen=True)
class StatusChange:
    member: Any  # as it is now
    status: str
    on: dt.date | None


def status_valid(c: StatusChange) -> list[Problem]:
    return check_status(c.status, c.on, c.member.join_date)


def status_move_allowed(c: StatusChange) -> list[Problem]:
    if status_valid(c) or c.status in STATUS_MOVES.get(c.member.status, set()):
        return []
    return [Problem("status", f"เปลี่ยนสถานะจาก {Member.Status(c.member.status).label} เป็น "
                              f"{Member.Status(c.status).label} ไม่ได้",
                    f"a member cannot move from {c.member.status} to {c.status}", value=c.status)]


def status_dated(c: StatusChange) -> list[Problem]:
    return [] if c.on is not None else [Problem("status_date", "ต้องระบุวันที่เปลี่ยนสถานะ",
                                                "the date of the change is required")]


STATUS_CHANGE = [status_valid, status_move_allowed, status_dated]


# --- what a typed-in field can say of itself (``services._clean``) -----------------------------

def unknown_field(name: str, row: int | None = None) -> list[Problem]:
    return [Problem(name, f"ไม่รู้จักช่อง {name} หรือแก้ไขที่นี่ไม่ได้", f"unknown field {name}, or it cannot be set here",
                    row=row)]


def moo_not_a_number(value, row: int | None = None) -> list[Problem]:
    return [Problem("moo", "หมู่ต้องเป็นตัวเลข", "village number (moo) must be a number", row=row, value=value)]


def check_number_given(data) -> list[Problem]:
    if "number" in data and not data["number"]:
        return [Problem("number", "ต้องระบุเลขที่สมาชิก", "member number is required")]
    return []


def check_login_free(other_number: str | None, username: str) -> list[Problem]:
    """A login belongs to one member of a group (``other_number``: the member it belongs to)."""
    if not other_number:
        return []
    return [Problem("user", f"ผู้ใช้นี้ผูกกับสมาชิกเลขที่ {other_number} อยู่แล้ว",
                    f"this login already belongs to member {other_number}", value=username)]
