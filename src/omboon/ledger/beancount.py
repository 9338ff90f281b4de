"""The group's books as Beancount text: accounts named by code (``Assets:C1100``) with Thai
and English names as metadata, funds as posting metadata, amounts in THB."""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from omboon.ledger import selectors
from omboon.ledger.models import AccountType, JournalEntry, JournalLine

ROOT = {
    AccountType.ASSET: "Assets",
    AccountType.LIABILITY: "Liabilities",
    AccountType.EQUITY: "Equity",
    AccountType.INCOME: "Income",
    AccountType.EXPENSE: "Expenses",
}


def account_name(account) -> str:
    safe = "".join(ch if ch.isalnum() or ch == "-" else "-" for ch in account.code)
    return f"{ROOT[account.type]}:C{safe}"


def amount(satang: int) -> str:
    sign = "-" if satang < 0 else ""
    satang = abs(satang)
    return f"{sign}{satang // 100}.{satang % 100:02d}"


def _quote(text: str) -> str:
    return '"' + (text or "").replace("\\", "\\\\").replace('"', "'").replace("\n", " ") + '"'


def export(organisation, out: TextIO) -> int:
    """Write the books; returns the number of transactions."""
    accounts = list(selectors.accounts(organisation))
    first = selectors.lines(organisation).order_by("date").values_list("date", flat=True).first()
    opened = min(d for d in (first, organisation.founded_on, dt.date.today()) if d)
    out.write(f";; {organisation.code} {organisation.name_th} — Omboon export\n")
    out.write('option "title" ' + _quote(f"{organisation.code} {organisation.name_th}") + "\n")
    out.write('option "operating_currency" "THB"\n\n')
    for a in accounts:
        out.write(f"{opened.isoformat()} open {account_name(a)} THB\n")
        out.write(f"  name_th: {_quote(a.name_th)}\n  name_en: {_quote(a.name_en)}\n")
        out.write(f"  standard_code: {_quote(a.standard_code)}\n")
    out.write("\n")
    names = {a.pk: account_name(a) for a in accounts}
    count = 0
    current = None
    rows = (JournalLine.objects.filter(organisation=organisation)
            .order_by("date", "entry_id", "id")
            .values_list("entry_id", "date", "entry__doc_type", "entry__fiscal_year", "entry__number",
                         "entry__memo", "entry__reverses_id", "account_id", "fund__code", "member_id",
                         "debit", "credit")
            .iterator(chunk_size=5000))
    for entry_id, date, doc_type, fy, number, memo, reverses_id, account_id, fund, member_id, debit, credit in rows:
        if entry_id != current:
            current = entry_id
            count += 1
            document = JournalEntry(doc_type=doc_type, fiscal_year=fy, number=number).document_number
            out.write(f"\n{date.isoformat()} * {_quote(document)} {_quote(memo)}\n")
            out.write(f"  entry_id: {_quote(str(entry_id))}\n  doc_type: {_quote(doc_type)}\n")
            if reverses_id:
                out.write(f"  reverses: {_quote(str(reverses_id))}\n")
        out.write(f"  {names[account_id]}  {amount(debit - credit)} THB\n")
        out.write(f"    fund: {_quote(fund)}\n")
        if member_id:
            out.write(f"    member_id: {_quote(str(member_id))}\n")
    return count
