"""The member form without Django forms: the services clean and check every value (the same
rules as imports and the API), so a page only carries text in and problems out.

``member_fields`` lists the fields of the create/edit form with their labels, the values to
show back and the problems of each; problems naming no field of the form go at the top.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from omboon.core import national_id, thaidate
from omboon.core.errors import Problem
from omboon.members.models import Member

TEXT, DATE, SELECT, FLAG = "text", "date", "select", "flag"


@dataclass
class Field:
    name: str
    label_th: str
    label_en: str
    kind: str = TEXT
    choices: list = field(default_factory=list)
    value: object = ""
    problems: list[Problem] = field(default_factory=list)
    required: bool = False
    inputmode: str = ""
    hint: str = ""


def _specs(*, creating: bool) -> list[Field]:
    fields = [
        Field("number", "เลขที่สมาชิก", "member no." + (" (blank: next number)" if creating else ""),
              inputmode="numeric", required=not creating),
        Field("title", "คำนำหน้า", "title"),
        Field("first_name", "ชื่อ", "first name", required=True),
        Field("last_name", "นามสกุล", "last name", required=True),
        Field("sex", "เพศ", "sex", SELECT, choices=Member.Sex.choices, required=True),
        Field("national_id", "เลขประจำตัวประชาชน", "national ID", inputmode="numeric", required=True),
        Field("birth_date", "วันเกิด (วว/ดด/ปปปป พ.ศ.)", "birth date (dd/mm/yyyy BE)", DATE,
              inputmode="numeric", required=True),
        Field("join_date", "วันที่เข้าเป็นสมาชิก (วว/ดด/ปปปป พ.ศ.)", "join date (dd/mm/yyyy BE)", DATE,
              inputmode="numeric", required=True),
    ]
    if creating:
        fields.append(Field("status", "สถานะ", "status", SELECT,
                            choices=[c for c in Member.Status.choices
                                     if c[0] in (Member.Status.ACTIVE, Member.Status.APPLIED)]))
    fields += [
        Field("phone", "โทรศัพท์", "phone", inputmode="tel"),
        Field("house_no", "บ้านเลขที่", "house no."),
        Field("moo", "หมู่", "village (moo)", inputmode="numeric"),
        Field("street", "ถนน", "street"),
        Field("subdistrict_code", "รหัสตำบล", "subdistrict code", inputmode="numeric"),
        Field("district_code", "รหัสอำเภอ", "district code", inputmode="numeric"),
        Field("province_code", "รหัสจังหวัด", "province code", inputmode="numeric"),
        Field("postcode", "รหัสไปรษณีย์", "postcode", inputmode="numeric"),
        Field("disabled", "ผู้พิการ", "person with a disability", FLAG),
        Field("chronically_ill", "ผู้ป่วยเรื้อรัง", "chronically ill", FLAG),
        Field("low_income", "ผู้มีรายได้น้อย", "low income", FLAG),
    ]
    return fields


def values_from_post(post, *, creating: bool) -> dict:
    """The posted text of every field; an unticked box is False. Editing, a blank national ID
    keeps the one recorded (the form never shows it in full, so it is typed only to change it)."""
    values = {}
    for f in _specs(creating=creating):
        values[f.name] = f.name in post if f.kind == FLAG else post.get(f.name, "")
    if creating and not values.get("number", "").strip():
        values.pop("number")
    if not creating and not str(values.get("national_id", "")).strip():
        values.pop("national_id")
    return values


def values_from_member(member: Member) -> dict:
    """The member's values to edit: the national ID is left blank (its masked form is the hint)."""
    values = {f.name: getattr(member, f.name) for f in _specs(creating=False) if f.name != "national_id"}
    values["national_id"] = ""
    for name in ("birth_date", "join_date"):
        values[name] = thaidate.format_date(values[name], style="numeric") if values[name] else ""
    values["moo"] = values["moo"] or ""
    return values


def member_fields(values: dict, problems: list[Problem], *, creating: bool, member: Member | None = None
                  ) -> tuple[list[Field], list[Problem]]:
    """The form's fields with values and their problems, and the problems of no field. Editing,
    the national ID field is blank with the recorded ID masked as its hint."""
    by_field = defaultdict(list)
    for p in problems:
        by_field[p.field].append(p)
    fields = _specs(creating=creating)
    for f in fields:
        f.value = values.get(f.name, False if f.kind == FLAG else "")
        f.problems = by_field.pop(f.name, [])
        if f.name == "national_id" and member is not None:
            f.required = False
            f.hint = national_id.masked(member.national_id)
    return fields, [p for group in by_field.values() for p in group]


def beneficiary_rows(post) -> list[dict]:
    """Rows posted as name_1, relation_1, share_percent_1, phone_1, name_2, ..."""
    rows = []
    count = int(post.get("rows") or 0) if str(post.get("rows") or "").isdigit() else 0
    for i in range(1, min(count, 20) + 1):
        rows.append({k: post.get(f"{k}_{i}", "") for k in ("name", "relation", "share_percent", "phone")})
    return rows
