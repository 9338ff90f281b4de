"""Helpers the kinds share: problems from cell errors, member look-up by number or ID."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from omboon.core.errors import Problem
from omboon.imports import cells
from omboon.members.models import LEFT_STATUSES, Member
from omboon.members.rules import id_is_valid


def cell_problem(key: str, exc: cells.CellError, row: int, value) -> Problem:
    return Problem(key, exc.message_th, exc.message_en, row=row, value=cells.text(value)[:100])


def past_date(raw, key: str, row: int, found: list[Problem], today: dt.date) -> dt.date | None:
    """A cell's date (BE or CE), with a problem in ``found`` when it is unreadable or after ``today``."""
    try:
        day = cells.parse_date(raw.get(key))
    except cells.CellError as exc:
        found.append(cell_problem(key, exc, row, raw.get(key)))
        return None
    if day > today:
        found.append(Problem(key, "วันที่อยู่ในอนาคต", "the date is in the future", row=row,
                             value=day.isoformat(), code="future"))
    return day


def at_row(problems: list[Problem], row: int, field: str | None = None) -> list[Problem]:
    """A domain rule's problems (``ledger.rules`` …) as problems of one row of the file (and,
    where the file names it otherwise, of its column)."""
    return [replace(p, row=row, field=field or p.field) for p in problems]


def required(key: str, th: str, en: str, row: int) -> Problem:
    return Problem(key, f"ต้องระบุ{th}", f"{en} is required", row=row, code="required")


class MemberIndex:
    """A group's members by number (also zero-padded: "12" finds "0012") and by national ID."""

    def __init__(self, organisation):
        self.by_number: dict[str, Member] = {}
        self.by_id: dict[str, Member] = {}
        for m in Member.objects.filter(organisation=organisation).only(
                "pk", "number", "national_id", "join_date", "status", "status_date", "birth_date",
                "first_name", "last_name", "title", "organisation_id"):
            self.by_number[m.number] = m
            self.by_id[m.national_id] = m
        self.widths = sorted({len(n) for n in self.by_number})

    def resolve(self, member_cell, id_cell) -> tuple[str, str, Member | None]:
        """(the member number, the national ID, the member or None) of a row's member and ID
        cells; a blank or missing cell reads as ""."""
        number = cells.digits(member_cell) if not cells.is_blank(member_cell) else ""
        id_value = cells.parse_id(id_cell)
        return number, id_value, self.find(number, id_value)

    def find(self, number: str, id_value: str = "") -> Member | None:
        if id_value and id_is_valid(id_value):
            found = self.by_id.get(id_value)
            if found is not None:
                return found
        if not number:
            return None
        if len(number) == 13 and id_is_valid(number):
            found = self.by_id.get(number)
            if found is not None:
                return found
        found = self.by_number.get(number)
        if found is None and number.isdigit():
            for width in self.widths:
                found = self.by_number.get(number.zfill(width))
                if found is not None:
                    break
        return found


def member_ref_problem(number: str, id_value: str, row: int) -> Problem:
    shown = number or id_value
    if not shown:
        return Problem("member", "ต้องระบุเลขที่สมาชิกหรือเลขประจำตัวประชาชน",
                       "the member number or national ID is required", row=row, code="required")
    return Problem("member", f"ไม่พบสมาชิก {shown} ในกลุ่มนี้ (นำเข้าสมาชิกก่อน)",
                   f"no member {shown} in this group (import the members first)", row=row, value=shown,
                   code="no_member")


def check_member_dates(member: Member, day: dt.date, *, key: str, row: int, what_th: str, what_en: str,
                       allow_on_death: bool = False) -> list[Problem]:
    """Joined ≤ the day; nothing after the member died, resigned or was expelled."""
    problems = []
    if day < member.join_date:
        problems.append(Problem(key, f"{what_th}ก่อนวันที่สมาชิก {member.number} เข้าเป็นสมาชิก ({member.join_date:%d/%m/%Y})",
                                f"{what_en} is before member {member.number} joined ({member.join_date:%d/%m/%Y})",
                                row=row, value=day.isoformat(), code="before_join"))
    if (member.status in LEFT_STATUSES and member.status_date and day > member.status_date
            and not (allow_on_death and member.status == Member.Status.DECEASED)):
        problems.append(Problem(
            key, f"{what_th}หลังจากสมาชิก {member.number} {Member.Status(member.status).label}แล้ว "
                 f"({member.status_date:%d/%m/%Y})",
            f"{what_en} is after member {member.number} {member.status} ({member.status_date:%d/%m/%Y})",
            row=row, value=day.isoformat(), code="after_leaving"))
    return problems
