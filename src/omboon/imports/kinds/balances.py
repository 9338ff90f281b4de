"""The opening-balances import: one opening entry (OB) through ``ledger.services.entry_post``."""

from __future__ import annotations

import datetime as dt

from omboon.core.errors import Problem
from omboon.imports import cells
from omboon.imports.common import (
    at_row,
    cell_problem,
    required,
)
from omboon.imports.kinds.shared import idem_key, today_local
from omboon.imports.spec import Field, KindSpec
from omboon.ledger.models import Account, DocumentType, Fund, JournalEntry
from omboon.ledger.rules import check_line, check_month_open, last_closed_period
from omboon.ledger.services import Line, entry_post

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
    today = today or today_local()
    accounts = {a.code: a for a in Account.objects.filter(organisation=organisation)}
    funds = {f.code: f for f in Fund.objects.filter(organisation=organisation)}
    default = next((f for f in funds.values() if f.is_default), None)
    closed = last_closed_period(organisation)
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
        if not any(p.field in ("debit", "credit") for p in found):  # a line of the opening entry
            found += at_row(check_line(debit, credit), row, "credit" if credit < 0 <= debit else "debit")
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
            found += at_row(check_month_open(closed, day, "date"), row)
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
    if not rows:
        return 0
    lines = [Line(account=d["account"], fund=d["fund"], debit=d["debit"], credit=d["credit"],
                  memo=f"ยอดยกมา แถว {row}") for row, d in rows]
    entry_post(actor=actor, organisation=organisation, date=rows[0][1]["date"], doc_type=DocumentType.OPENING,
               lines=lines, memo=f"ยอดยกมา (นำเข้า {job.file_name}) / opening balances"[:255],
               idempotency_key=idem_key(job, "all"), source=("imports.importjob", str(job.pk)))
    return len(rows)


SPEC = KindSpec(
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
)
