"""The members import: one row per member, through ``members.services.members_bulk_create``."""

from __future__ import annotations

from omboon.core.errors import Problem
from omboon.core.national_id import with_check_digit
from omboon.imports import cells
from omboon.imports.common import (
    cell_problem,
)
from omboon.imports.kinds.shared import dedupe, today_local
from omboon.imports.spec import Field, KindSpec
from omboon.imports.values import Choice, Coded
from omboon.members import rules as member_rules
from omboon.members.models import Member
from omboon.members.services import members_bulk_create
from omboon.savings import services as savings

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

MALE_TITLES = ("นาย", "ด.ช.", "เด็กชาย")
FEMALE_TITLES = ("นางสาว", "น.ส.", "นาง", "ด.ญ.", "เด็กหญิง")

# The coded fields of a members file and the words groups write for them (``imports.values``).
TITLE = Coded("title", (
    Choice("นาย", "นาย", "Mr"), Choice("นาง", "นาง", "Mrs"), Choice("นางสาว", "นางสาว", "Miss"),
    Choice("ด.ช.", "เด็กชาย", "Master"), Choice("ด.ญ.", "เด็กหญิง", "Girl"),
), {"น.ส.": "นางสาว", "นางสาว.": "นางสาว", "mr": "นาย", "mister": "นาย", "mrs": "นาง", "miss": "นางสาว",
    "เด็กชาย": "ด.ช.", "ดช": "ด.ช.", "เด็กหญิง": "ด.ญ.", "ดญ": "ด.ญ."}, open=True, max_length=32)
SEX = Coded("sex", (Choice("M", "ชาย", "male"), Choice("F", "หญิง", "female")), {
    "ช": "M", "ช.": "M", "ผู้ชาย": "M", "เพศชาย": "M", "man": "M", "ญ": "F", "ญ.": "F", "ผู้หญิง": "F",
    "เพศหญิง": "F", "woman": "F", "ชาย": "M", "หญิง": "F",
})
STATUS = Coded("status", (
    Choice(Member.Status.ACTIVE, "ปกติ", "active"), Choice(Member.Status.APPLIED, "สมัคร", "applied"),
    Choice(Member.Status.RESIGNED, "ลาออก", "resigned"), Choice(Member.Status.DECEASED, "เสียชีวิต", "deceased"),
    Choice(Member.Status.EXPELLED, "พ้นสภาพ", "expelled"),
), {
    "ปกติ": Member.Status.ACTIVE, "สมาชิก": Member.Status.ACTIVE, "สมาชิกปกติ": Member.Status.ACTIVE,
    "ยังเป็นสมาชิก": Member.Status.ACTIVE, "คงสภาพ": Member.Status.ACTIVE, "คงอยู่": Member.Status.ACTIVE,
    "สมัคร": Member.Status.APPLIED, "สมัครใหม่": Member.Status.APPLIED, "รออนุมัติ": Member.Status.APPLIED,
    "ลาออก": Member.Status.RESIGNED, "ลาออกแล้ว": Member.Status.RESIGNED, "ขอลาออก": Member.Status.RESIGNED,
    "เสียชีวิต": Member.Status.DECEASED, "ตาย": Member.Status.DECEASED,
    "ถึงแก่กรรม": Member.Status.DECEASED, "เสียชีวิตแล้ว": Member.Status.DECEASED,
    "dead": Member.Status.DECEASED, "died": Member.Status.DECEASED,
    "พ้นสภาพ": Member.Status.EXPELLED, "พ้นสมาชิกภาพ": Member.Status.EXPELLED, "ให้ออก": Member.Status.EXPELLED,
    "คัดออก": Member.Status.EXPELLED, "ขาดสมาชิกภาพ": Member.Status.EXPELLED,
})
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
    sex = cells.text(raw.get("sex"))
    if not sex:
        title = data.get("title", "")
        sex = "M" if title in MALE_TITLES else ("F" if title in FEMALE_TITLES else "")
    data["sex"] = SEX.code_of(sex) or sex.upper()
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
    status = cells.text(raw.get("status"))
    if not status or STATUS.code_of(status):
        data["status"] = STATUS.code_of(status) or Member.Status.ACTIVE
    else:
        problems.append(Problem("status", "สถานะต้องเป็น ปกติ ลาออก เสียชีวิต หรือพ้นสภาพ",
                                "status must be active, resigned, deceased or expelled", row=row, value=status))
        data["status"] = Member.Status.ACTIVE
    if data.get("status_date") and data["status"] == Member.Status.ACTIVE and not status:
        problems.append(Problem("status", "มีวันที่ลาออก/เสียชีวิต แต่ไม่ระบุสถานะ",
                                "a status date is given but no status", row=row, code="status"))
    return data, problems


def check_members(organisation, rows, *, today=None):
    today = today or today_local()
    problems: list[Problem] = []
    cleaned: list[tuple[int, dict]] = []
    for row, raw in rows:
        data, found = _clean_member(raw, row)
        # a date the cell parser refused is reported once, not again as "required" (dedupe)
        problems += found + member_rules.check_member(data, today=today, row=row)
        cleaned.append((row, data))
    problems = dedupe(problems)
    problems += member_rules.check_unique_in_batch(organisation, cleaned)
    bad = {p.row for p in problems}
    accepted = [(row, data) for row, data in cleaned if row not in bad]
    return accepted, problems, {"members": len(accepted)}


def commit_members(job, organisation, actor, rows) -> int:
    """The members, then the savings accounts the bylaws open for every member who joins (as
    one member added on its page gets them through ``members.signals.member_joined``), in the
    same transaction: the import is the layer above both."""
    fields = member_rules.FIELD_NAMES_TH.keys() - {"organisation"}
    payload = [{k: v for k, v in data.items() if k in fields} for _, data in rows]
    made = members_bulk_create(actor=actor, organisation=organisation, rows=payload,
                               start_row=rows[0][0] if rows else 1)
    savings.accounts_open_on_joining_bulk(actor=actor, organisation=organisation, members=made)
    return len(made)


SPEC = KindSpec(
    "members", "สมาชิก", "Members", MEMBER_FIELDS, check_members, commit_members,
    alternatives=(("first_name", "last_name", "full_name"),), coded=(TITLE, SEX, STATUS),
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
)
