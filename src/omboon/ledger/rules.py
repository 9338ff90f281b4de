"""Validations of the books: each returns a list of ``Problem`` (Thai first, English second).

Forms, imports, the API and the services share them, so every problem shows at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from omboon.core.errors import Problem
from omboon.core.thaidate import format_month
from omboon.ledger import chart
from omboon.ledger.models import DocumentType, Period
from omboon.orgs import scoping

# Accounts whose credit is money leaving the group (by standard code: a group's own cash and
# bank sub-accounts map to these).
CASH_STANDARD_CODES = frozenset({chart.CASH, chart.BANK})


def _is_amount(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_doc_type(doc_type: str) -> list[Problem]:
    if doc_type not in DocumentType.values:
        return [Problem("doc_type", f"ไม่รู้จักประเภทเอกสาร {doc_type!r}", f"unknown document type {doc_type!r}",
                        value=doc_type)]
    return []


def check_amounts(lines: list) -> list[Problem]:
    """At least two lines; each exactly one positive integer side; debits equal credits."""
    problems: list[Problem] = []
    if len(lines) < 2:
        problems.append(Problem("lines", "รายการบัญชีต้องมีอย่างน้อยสองบรรทัด",
                                "an entry needs at least two lines"))
    total_debit = total_credit = 0
    for i, line in enumerate(lines, start=1):
        debit, credit = line.debit, line.credit
        if not _is_amount(debit) or not _is_amount(credit):
            problems.append(Problem("amount", "จำนวนเงินต้องเป็นจำนวนเต็มสตางค์",
                                    "amounts are whole satang (integers)", row=i, value=f"{debit}/{credit}"))
            continue
        if debit < 0 or credit < 0:
            problems.append(Problem("amount", "จำนวนเงินติดลบไม่ได้", "amounts cannot be negative",
                                    row=i, value=f"{debit}/{credit}"))
        elif (debit > 0) == (credit > 0):
            if debit == 0:
                problems.append(Problem("amount", "บรรทัดที่เป็นศูนย์ไม่ได้", "a line cannot be zero", row=i))
            else:
                problems.append(Problem("amount", "บรรทัดหนึ่งต้องเป็นเดบิตหรือเครดิตอย่างใดอย่างหนึ่ง",
                                        "a line is either a debit or a credit, not both", row=i))
        total_debit += debit
        total_credit += credit
    if not problems and total_debit != total_credit:
        problems.append(Problem(
            "lines",
            f"ยอดเดบิต ({total_debit} สตางค์) ไม่เท่ากับยอดเครดิต ({total_credit} สตางค์)",
            f"debits ({total_debit} satang) do not equal credits ({total_credit} satang)",
        ))
    return problems


def check_accounts(organisation, lines: list) -> list[Problem]:
    """Accounts and funds exist, belong to this group and are active; members too."""
    problems: list[Problem] = []
    for i, line in enumerate(lines, start=1):
        account, fund, member = line.account, line.fund, line.member
        if account is None:
            problems.append(Problem("account", "ไม่พบบัญชีนี้ในผังบัญชีของกลุ่ม",
                                    "no such account in the group's chart", row=i, value=line.account_ref))
        elif account.organisation_id != organisation.pk:
            problems.append(Problem("account", "บัญชีนี้เป็นของกลุ่มอื่น", "the account belongs to another group",
                                    row=i, value=account.code))
        elif not account.is_active:
            problems.append(Problem("account", f"บัญชี {account.code} ปิดใช้งานแล้ว",
                                    f"account {account.code} is inactive", row=i, value=account.code))
        if fund is None:
            problems.append(Problem("fund", "ไม่พบกองทุนนี้", "no such fund", row=i, value=line.fund_ref))
        elif fund.organisation_id != organisation.pk:
            problems.append(Problem("fund", "กองทุนนี้เป็นของกลุ่มอื่น", "the fund belongs to another group",
                                    row=i, value=fund.code))
        if member is not None and member.organisation_id != organisation.pk:
            problems.append(Problem("member", "สมาชิกนี้อยู่กลุ่มอื่น", "the member belongs to another group",
                                    row=i, value=str(member.pk)))
    return problems


def last_closed_period(organisation) -> Period | None:
    return (Period.objects.filter(organisation=organisation, status=Period.Status.CLOSED)
            .order_by("-year", "-month").first())


def check_open_date(organisation, date: dt.date) -> list[Problem]:
    if not isinstance(date, dt.date):
        return [Problem("date", "ต้องระบุวันที่", "a date is required", value=str(date))]
    last = last_closed_period(organisation)
    if last is not None and (date.year, date.month) <= (last.year, last.month):
        shown = format_month(last.year, last.month)
        shown_en = format_month(last.year, last.month, lang="en")
        return [Problem("date", f"ปิดบัญชีถึงเดือน{shown}แล้ว ลงรายการวันที่ {date:%Y-%m-%d} ไม่ได้",
                        f"the books are closed up to {shown_en}; cannot post on {date:%Y-%m-%d}",
                        value=date.isoformat())]
    return []


def check_group(organisation) -> list[Problem]:
    if not organisation.is_group:
        return [Problem("organisation", "เครือข่ายไม่มีสมุดบัญชีของตนเอง บันทึกได้เฉพาะกลุ่ม",
                        "a network keeps no books of its own; only groups post entries")]
    return []


@dataclass(frozen=True)
class Approval:
    """Who asked for money to leave the group and who approved it: an approved voucher, an
    approved claim, an import of payouts whose commit a second person approved."""

    maker: object  # the user who entered it
    approver: object  # the second person
    what: str = ""  # "ledger.voucher:12", "welfare.claim:7", "imports.importjob:3"


def _is_cash(line) -> bool:
    return line.account is not None and line.account.standard_code in CASH_STANDARD_CODES


def cash_out(lines: list) -> int:
    """Satang leaving the group's cash and bank accounts in these lines (credits less debits)."""
    return sum((ln.credit or 0) - (ln.debit or 0) for ln in lines if _is_cash(ln))


def check_second_person(organisation, lines: list, approval: Approval | None) -> list[Problem]:
    """Money out always has a second person: an entry that takes money out of cash or bank is
    posted only with an approval by someone who may approve in the group and is not its maker.
    Transfers between cash and bank, money in, and entries that move no cash need none here."""
    if cash_out(lines) <= 0:
        return []
    if approval is None or approval.approver is None:
        return [Problem("approval", "เงินออกจากกลุ่มต้องมีผู้อนุมัติคนที่สอง: ทำใบสำคัญจ่ายให้กรรมการอนุมัติก่อน",
                        "money leaving the group needs a second person's approval: make a payment voucher "
                        "and have a committee member approve it", code="second_person")]
    if approval.maker is not None and getattr(approval.maker, "pk", None) == approval.approver.pk:
        return [Problem("approval", "ผู้อนุมัติต้องไม่ใช่ผู้บันทึกรายการ",
                        "the approver cannot be the person who entered it", code="second_person")]
    if not scoping.resolve(approval.approver, organisation).can(scoping.APPROVE):
        return [Problem("approval", "ผู้อนุมัติต้องเป็นกรรมการที่มีสิทธิ์อนุมัติ",
                        "the approver must be a committee member who may approve", code="second_person")]
    return []


def journal_single_person(organisation) -> bool:
    """The bylaws let a journal voucher that moves no cash be posted by one person."""
    return bool((organisation.bylaws or {}).get("journal_single_person", False))


def one_person_journal(organisation, kind: str, lines: list) -> bool:
    """A journal voucher that moves no cash, where the bylaws let one person post it."""
    return kind == "journal" and journal_single_person(organisation) and not any(map(_is_cash, lines))


def check_direct_post(organisation, lines: list) -> list[Problem]:
    """An entry posted straight to the books (the API's ``POST entries``), not from a voucher:
    money in always; an entry that moves no cash only where the bylaws allow one person; money
    out never (it goes through a voucher and its approval)."""
    if cash_out(lines) > 0:
        return check_second_person(organisation, lines, None)
    if not any(map(_is_cash, lines)) and not journal_single_person(organisation):
        return [Problem("approval", "ระเบียบของกลุ่มให้ใบสำคัญทั่วไปมีผู้อนุมัติคนที่สอง: ทำใบสำคัญให้กรรมการอนุมัติ",
                        "the group's bylaws want a second person on journal vouchers: make a voucher "
                        "and have a committee member approve it", code="second_person")]
    return []
