"""The beneficiaries import: each member's new beneficiaries through ``members.services.beneficiaries_set``."""

from __future__ import annotations

from collections import defaultdict

from omboon.core.errors import Problem
from omboon.imports import cells
from omboon.imports.common import (
    MemberIndex,
    member_ref_problem,
    required,
)
from omboon.imports.kinds.members import TITLE, split_full_name
from omboon.imports.spec import Field, KindSpec
from omboon.members import rules as member_rules
from omboon.members.models import Beneficiary, Member
from omboon.members.services import beneficiaries_set

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

    existing = _existing_beneficiaries(organisation)
    by_member: dict[int, list[dict]] = defaultdict(list)
    for _row, d in rows:
        by_member[d["member_id"]].append({k: d[k] for k in member_rules.BENEFICIARY_FIELDS})
    members = Member.objects.in_bulk(list(by_member))
    for member_id, new in by_member.items():
        beneficiaries_set(actor=actor, member=members[member_id], rows=[*existing.get(member_id, []), *new])
    return len(rows)


SPEC = KindSpec(
    "beneficiaries", "ผู้รับผลประโยชน์", "Beneficiaries", BENEFICIARY_FIELDS, check_beneficiaries,
    commit_beneficiaries, one_batch=True, coded=(TITLE,),
    alternatives=(("member", "national_id"), ("first_name", "last_name", "full_name")),
    instructions_th=(
        "หนึ่งแถวต่อผู้รับผลประโยชน์หนึ่งคน: เลขที่สมาชิก ชื่อ นามสกุล ความสัมพันธ์ และส่วนแบ่งร้อยละ",
        "สมาชิกที่มีผู้รับผลประโยชน์หลายคนใช้หลายแถว เลขที่สมาชิกเดียวกัน ส่วนแบ่งของแต่ละสมาชิกรวมกันต้องได้ 100",
        "ต้องนำเข้าสมาชิกก่อน ถ้าสมาชิกมีผู้รับผลประโยชน์ในระบบอยู่แล้ว ส่วนแบ่งเดิมรวมกับในไฟล์ต้องได้ 100",
        "แถวใดของสมาชิกคนหนึ่งมีปัญหา แถวอื่นของสมาชิกคนนั้นจะไม่ถูกนำเข้าด้วย (ส่วนแบ่งต้องครบพร้อมกัน)",
    ),
    instructions_en=(
        "One row per beneficiary: member number, first name, last name, relationship and share in percent.",
        ("A member with several beneficiaries has several rows with the same member number; each member's "
        "shares add up to 100."),
        ("Import the members first; if a member already has beneficiaries in the system, their shares and the "
        "file's together make 100."),
        "If any row of a member has a problem, none of that member's rows is imported (the shares go in whole).",
    ),
)
