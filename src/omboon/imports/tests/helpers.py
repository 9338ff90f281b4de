"""Builders of test files: members and payments as csv or xlsx, in any encoding."""

from __future__ import annotations

import csv
import datetime as dt
import io

import xlsxwriter

from omboon.core.national_id import with_check_digit
from omboon.imports import services

MEMBER_HEADERS = ["เลขที่สมาชิก", "คำนำหน้า", "ชื่อ", "นามสกุล", "เพศ", "เลขประจำตัวประชาชน", "วันเกิด",
                  "วันที่เข้าเป็นสมาชิก", "โทรศัพท์", "หมู่"]
PAYMENT_HEADERS = ["เลขที่สมาชิก", "วันที่ชำระ", "ประเภทเงิน", "จำนวนเงิน"]
FIRST = ["สมศรี", "สมชาย", "บุญมี", "มาลี", "ประยุทธ", "สุดา", "วิชัย", "อำไพ"]
LAST = ["ใจดี", "รักษ์ดี", "ศรีสุข", "ทองคำ", "บุญมา", "แก้วใส"]


def national_id(n: int) -> str:
    return with_check_digit(f"3{n:011d}"[:12])


def member_rows(count: int, *, start: int = 1) -> list[list]:
    rows = []
    for i in range(start, start + count):
        rows.append([f"{i:04d}", "นาง" if i % 2 else "นาย", FIRST[i % len(FIRST)], LAST[i % len(LAST)],
                     "หญิง" if i % 2 else "ชาย", national_id(1000 + i), f"{1 + i % 28:02d}/0{1 + i % 9}/25{10 + i % 30}",
                     "01/01/2560", f"08{i:08d}", str(1 + i % 9)])
    return rows


def payment_rows(members: int, months: int, *, start: dt.date = dt.date(2019, 1, 5)) -> list[list]:
    rows = []
    for m in range(months):
        year, month = start.year + (start.month - 1 + m) // 12, (start.month - 1 + m) % 12 + 1
        day = dt.date(year, month, start.day)
        text = f"{day.day:02d}/{day.month:02d}/{day.year + 543}"
        for i in range(1, members + 1):
            rows.append([f"{i:04d}", text, "ออมวันละบาท", "30.00"])
    return rows


def csv_bytes(headers, rows, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(headers, rows, *, formulas: dict | None = None) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    ws = book.add_worksheet("data")
    for c, h in enumerate(headers):
        ws.write_string(0, c, h)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, (int, float)):
                ws.write_number(r, c, value)
            elif isinstance(value, dt.date):
                ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day),
                                  book.add_format({"num_format": "dd/mm/yyyy"}))
            else:
                ws.write_string(r, c, value)
    for (r, c), (formula, cached) in (formulas or {}).items():
        ws.write_formula(r, c, formula, None, cached)
    book.close()
    return out.getvalue()


def run_import(org, kind, data, *, actor=None, filename="file.csv", batch_size=1000, skip_rejected=False,
               mapping=None, approver=None):
    """Check, start and run an import as the web and the CLI do; returns (checked, job). A kind
    that pays money out waits for approval: ``approver`` (a second person) approves it first."""
    sheet = services.read(data, filename)
    checked = services.import_check(organisation=org, kind=kind, sheet=sheet, mapping=mapping)
    job = services.import_job_start(actor=actor, organisation=org, kind=kind, filename=filename,
                                    sha=services.file_sha256(data), checked=checked, batch_size=batch_size,
                                    skip_rejected=skip_rejected)
    if job.status == job.Status.APPROVAL and approver is not None:
        job = services.import_job_approve(actor=approver, job=job, checked=checked, count=job.payout_count,
                                          total=job.payout_total)
    job = services.import_job_run(actor=actor, job=job, sheet=sheet, checked=checked)
    return checked, job
