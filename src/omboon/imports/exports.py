"""Files the import hands back: templates to fill in, and the rejected rows with their errors.

Every text cell goes through ``omboon.core.reporting.formula_safe``: a cell starting with
= + - @ is written so no spreadsheet runs it. xlsxwriter is told never to turn strings into
formulas, numbers or URLs either.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import xlsxwriter

from omboon.core.reporting import formula_safe
from omboon.imports import cells, kinds
from omboon.imports.spec import Checked, KindSpec
from omboon.ledger.models import JournalLine
from omboon.members.models import Beneficiary, Member
from omboon.orgs import scoping

XLSX_OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
                "strings_to_urls": False}
ERROR_HEADER = "ข้อผิดพลาด (errors)"


def _safe(value) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return cells.text(value)
    return formula_safe(str(value))


def _write_row(ws, row: int, values, fmt=None) -> None:
    for col, value in enumerate(values):
        value = _safe(value)
        if isinstance(value, str):
            ws.write_string(row, col, value, fmt)
        else:
            ws.write_number(row, col, value, fmt)


def template_xlsx(spec: KindSpec) -> bytes:
    """A sheet to fill in (headers only), an example sheet and an instructions sheet."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, XLSX_OPTIONS)
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    need = book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True})
    text = book.add_format({"num_format": "@"})
    data = book.add_worksheet("ข้อมูล (data)")
    example = book.add_worksheet("ตัวอย่าง (example)")
    for ws in (data, example):
        for col, f in enumerate(spec.fields):
            ws.write_string(0, col, f.header, need if f.required else head)
            ws.set_column(col, col, max(14, len(f.header) + 2), text)  # text: IDs keep their digits
        ws.freeze_panes(1, 0)
        ws.set_row(0, 36)
    _write_row(example, 1, [f.example for f in spec.fields])
    info = book.add_worksheet("คำอธิบาย (instructions)")
    info.set_column(0, 0, 34)
    info.set_column(1, 1, 60)
    info.set_column(2, 2, 60)
    info.write_string(0, 0, f"นำเข้า{spec.title_th} / {spec.title_en} import", head)
    r = 2
    for th, en in zip(spec.instructions_th, spec.instructions_en):
        info.write_string(r, 1, th)
        info.write_string(r, 2, en)
        r += 1
    info.write_string(r, 1, "กรอกข้อมูลในแผ่นงานแรก ลบหรือเก็บแผ่นงานตัวอย่างได้ ระบบอ่านเฉพาะแผ่นงานแรก")
    info.write_string(r, 2, "Fill in the first sheet; only the first sheet is read.")
    r += 2
    for col, title in enumerate(("คอลัมน์ (column)", "คำอธิบาย", "description")):
        info.write_string(r, col, title, head)
    for f in spec.fields:
        r += 1
        mark = " *" if f.required else ""
        info.write_string(r, 0, f.header + mark)
        info.write_string(r, 1, f.note_th or "")
        info.write_string(r, 2, f.note_en or "")
    info.write_string(r + 2, 0, "* ต้องมี / required")
    book.close()
    return out.getvalue()


def template_csv(spec: KindSpec) -> bytes:
    """UTF-8 with a BOM (Excel opens Thai correctly): the headers and an example row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([f.header for f in spec.fields])
    writer.writerow([_safe(f.example) for f in spec.fields])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _messages(checked: Checked) -> dict[int | None, list[str]]:
    by_row: dict[int | None, list[str]] = {}
    for p in checked.problems:
        by_row.setdefault(p.row, []).append(
            f"{checked.column_of(p.field)}: {p.message_th} / {p.message_en}")
    return by_row


def errors_xlsx(checked: Checked) -> bytes:
    """The rejected rows as they were, with an error column, and every problem on a second
    sheet (row, column, value, Thai, English). Fix the first sheet and import it again.
    National IDs are masked (whoever may see the job may download this): the row and column
    say where to fix the uploader's own file."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, XLSX_OPTIONS)
    head = book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
    wrap = book.add_format({"text_wrap": True, "font_color": "#9C0006"})
    ws = book.add_worksheet("แถวที่ไม่ผ่าน (rejected)")
    headers = checked.shown_headers  # the rows' cells and the problems come masked (privacy)
    _write_row(ws, 0, [*headers, ERROR_HEADER], head)
    by_row = _messages(checked)
    r = 1
    for row in sorted(k for k in by_row if k is not None):
        values = list(checked.raw.get(row, []))
        values += [""] * (len(headers) - len(values))
        _write_row(ws, r, values[:len(headers)])
        ws.write_string(r, len(headers), formula_safe(f"แถว {row}: " + " | ".join(by_row[row])), wrap)
        r += 1
    ws.set_column(len(headers), len(headers), 80)
    ws.freeze_panes(1, 0)
    all_ws = book.add_worksheet("ข้อผิดพลาด (problems)")
    _write_row(all_ws, 0, ["แถว (row)", "คอลัมน์ (column)", "ค่า (value)", "ภาษาไทย", "English"], head)
    for i, p in enumerate(checked.problems, start=1):
        _write_row(all_ws, i, [p.row if p.row is not None else "ทั้งไฟล์ / whole file",
                               checked.column_of(p.field), "" if p.value is None else str(p.value),
                               p.message_th, p.message_en])
    all_ws.set_column(0, 2, 18)
    all_ws.set_column(3, 4, 60)
    book.close()
    return out.getvalue()


def errors_csv(checked: Checked) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["row", "column", "value", "message_th", "message_en"])
    for p in checked.problems:
        writer.writerow([p.row if p.row is not None else "", _safe(checked.column_of(p.field)),
                         _safe("" if p.value is None else str(p.value)), _safe(p.message_th), _safe(p.message_en)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template(kind: str, fmt: str) -> tuple[bytes, str, str]:
    """(content, file name, content type) of a kind's template."""
    spec = kinds.get(kind)
    if fmt == "csv":
        return template_csv(spec), f"omboon-{kind}.csv", "text/csv; charset=utf-8"
    return (template_xlsx(spec), f"omboon-{kind}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# --- a group's data, in the import's own format (a round trip brings it back) -------------------

MEMBER_EXPORT_FIELDS = ("number", "title", "first_name", "last_name", "sex", "national_id", "birth_date",
                        "join_date", "phone", "house_no", "moo", "street", "subdistrict_code", "district_code",
                        "province_code", "postcode", "status", "status_date")


def _csv(headers, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_safe(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_members(organisation) -> bytes:
    """Every member of a group as the members template (csv, full national IDs: a backup for the
    group itself, not a report to share). Downloaded only through
    ``services.members_export_ids`` (a writer of the group itself; audited)."""

    spec = kinds.get("members")
    fields = [spec.field(k) for k in MEMBER_EXPORT_FIELDS]
    rows = []
    for m in scoping.in_scope(Member.objects.all(), organisation).order_by("number"):
        rows.append([getattr(m, f.key) if getattr(m, f.key) is not None else "" for f in fields])
    return _csv([f.header for f in fields], rows)


def export_payments(organisation) -> bytes:
    """Every member payment in the books (credits to 4100/4200/4300 with a member on the line) as
    the payments template (csv)."""

    spec = kinds.get("payments")
    by_code = {code: kind for kind, code in kinds.PAYMENT_TYPES.items()}
    lines = (scoping.in_scope(JournalLine.objects.all(), organisation)
             .filter(account__code__in=list(by_code), credit__gt=0, member__isnull=False)
             .order_by("date", "member__number", "id").values_list("member__number", "date", "account__code", "credit"))
    rows = [[number, day.isoformat(), by_code[code], f"{credit // 100}.{credit % 100:02d}"]
            for number, day, code, credit in lines]
    return _csv([spec.field(k).header for k in ("member", "date", "type", "amount")], rows)


BENEFICIARY_EXPORT_FIELDS = ("member", "title", "first_name", "last_name", "relation", "share_percent", "phone")


def export_beneficiaries(organisation) -> bytes:
    """Every member's beneficiaries as the beneficiaries template (csv), in the members' order."""

    spec = kinds.get("beneficiaries")
    rows = []
    for b in (scoping.in_scope(Beneficiary.objects.all(), organisation).select_related("member")
              .order_by("member__number", "position")):
        title, first, last = kinds.split_full_name(b.name)
        rows.append([b.member.number, title, first, last, b.relation, b.share_percent, b.phone])
    return _csv([spec.field(k).header for k in BENEFICIARY_EXPORT_FIELDS], rows)
