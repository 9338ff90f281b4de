"""Validations of the books: each returns a list of ``Problem`` (Thai first, English second).

Forms, imports, the API and the services share them, so every problem shows at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from omboon.core.errors import Problem
from omboon.core.money import format_baht, is_whole
from omboon.core.thaidate import format_date, format_month
from omboon.ledger import chart
from omboon.ledger.models import DocumentType, Period, Voucher
from omboon.orgs import scoping
from omboon.orgs import selectors as org_selectors
from omboon.orgs.maker_checker import second_person

# Accounts whose credit is money leaving the group (by standard code: a group's own cash and
# bank sub-accounts map to these).
CASH_STANDARD_CODES = frozenset({chart.CASH, chart.BANK})


def check_doc_type(doc_type: str) -> list[Problem]:
    if doc_type not in DocumentType.values:
        return [Problem("doc_type", f"ไม่รู้จักประเภทเอกสาร {doc_type!r}", f"unknown document type {doc_type!r}",
                        value=doc_type)]
    return []


def check_line(debit, credit) -> list[Problem]:
    """One line: whole satang, neither side negative, exactly one side more than zero (an
    opening balance's row in an import is checked by the same function)."""
    if not is_whole(debit) or not is_whole(credit):
        return [Problem("amount", "จำนวนเงินต้องเป็นจำนวนเต็มสตางค์", "amounts are whole satang (integers)",
                        value=f"{debit}/{credit}", code="not_whole")]
    if debit < 0 or credit < 0:
        return [Problem("amount", "จำนวนเงินติดลบไม่ได้ (ยอดติดลบให้ใส่อีกด้านแทน)",
                        "amounts cannot be negative (a negative amount goes on the other side)",
                        value=f"{debit}/{credit}", code="not_positive")]
    if debit == 0 and credit == 0:
        return [Problem("amount", "บรรทัดที่เป็นศูนย์ไม่ได้", "a line cannot be zero", code="one_side")]
    if debit > 0 and credit > 0:
        return [Problem("amount", "บรรทัดหนึ่งต้องเป็นเดบิตหรือเครดิตอย่างใดอย่างหนึ่ง",
                        "a line is either a debit or a credit, not both", code="one_side")]
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
        problems += [replace(p, row=i) for p in check_line(debit, credit)]
        if is_whole(debit) and is_whole(credit):
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


def _member_id(line):
    member = getattr(line, "member", None)
    return member.pk if member is not None else getattr(line, "member_id", None)


def check_sub_accounts(organisation, lines: list, doc_type: str = "") -> list[Problem]:
    """Lines on a per-member account (``chart.SUB_ACCOUNTED``: savings 2100/2110/2120, shares
    3400) name the member's sub-account, of this group, under that very account, and of the
    line's member if the line names one; no other line names a sub-account.

    An opening entry (OB) may carry such an account in total, without sub-accounts: a trial
    balance brought forward from paper books, whose per-member split comes with the savings
    accounts' own opening balances. Its total is then not any member's."""
    problems: list[Problem] = []
    for i, line in enumerate(lines, start=1):
        account, sub = line.account, getattr(line, "sub_account", None)
        if account is None:
            continue  # said by check_accounts
        kept_per_member = account.standard_code in chart.SUB_ACCOUNTED
        if sub is None:
            if kept_per_member and doc_type != DocumentType.OPENING:
                problems.append(Problem(
                    "sub_account", f"บัญชี {account.code} แยกตามสมาชิก ต้องระบุบัญชีเงินฝากหรือหุ้นของสมาชิก",
                    f"account {account.code} is kept per member: name the member's savings or share account",
                    row=i, value=account.code, code="sub_account"))
            continue
        if not kept_per_member:
            problems.append(Problem("sub_account", f"บัญชี {account.code} ไม่ได้แยกตามสมาชิก ระบุบัญชีย่อยไม่ได้",
                                    f"account {account.code} is not kept per member: it takes no sub-account",
                                    row=i, value=sub.number, code="sub_account"))
        elif sub.organisation_id != organisation.pk:
            problems.append(Problem("sub_account", "บัญชีของสมาชิกนี้เป็นของกลุ่มอื่น",
                                    "the member's account belongs to another group", row=i, value=sub.number,
                                    code="sub_account"))
        elif sub.account_id != account.pk:
            problems.append(Problem("sub_account", f"บัญชี {sub.number} ไม่ได้อยู่ใต้บัญชี {account.code}",
                                    f"account {sub.number} is not under account {account.code}", row=i,
                                    value=sub.number, code="sub_account"))
        elif _member_id(line) not in (None, sub.member_id):
            problems.append(Problem("sub_account", f"บัญชี {sub.number} เป็นของสมาชิกคนอื่น",
                                    f"account {sub.number} belongs to another member", row=i, value=sub.number,
                                    code="sub_account"))
    return problems


def unknown_members(missing: list) -> list[Problem]:
    """Member ids an entry's lines name that the group does not have."""
    return [Problem("member", "ไม่พบสมาชิก", "no such member", value=str(missing))] if missing else []


def last_closed_period(organisation) -> Period | None:
    return (Period.objects.filter(organisation=organisation, status=Period.Status.CLOSED)
            .order_by("-year", "-month").first())


def check_open_date(organisation, date: dt.date) -> list[Problem]:
    if not isinstance(date, dt.date):
        return [Problem("date", "ต้องระบุวันที่", "a date is required", value=str(date))]
    return check_month_open(last_closed_period(organisation), date)


def check_month_open(last: Period | None, date: dt.date, field: str = "date") -> list[Problem]:
    """Nothing dated in a month the books have closed; ``last`` is the last closed period, read
    once (``last_closed_period``) by a caller that checks many dates, an import's rows."""
    if last is not None and (date.year, date.month) <= (last.year, last.month):
        shown = format_month(last.year, last.month)
        shown_en = format_month(last.year, last.month, lang="en")
        return [Problem(field, f"ปิดบัญชีถึงเดือน{shown} แล้ว ลงรายการวันที่ {format_date(date)} ไม่ได้",
                        f"the books are closed up to {shown_en}; cannot post on {format_date(date, lang='en')}",
                        value=date.isoformat(), code="closed")]
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
    return second_person(approval.approver, organisation, "vouchers", [getattr(approval.maker, "pk", None)],
                         field="approval", th="ผู้อนุมัติต้องไม่ใช่ผู้บันทึกรายการ",
                         en="the approver cannot be the person who entered it")


def journal_single_person(organisation) -> bool:
    """The bylaws let a journal voucher that moves no cash be posted by one person."""
    return bool(org_selectors.bylaws_on(organisation).get("journal_single_person", False))


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


# --- the checks of each write, as named lists of functions of one subject (run them with
# ``core.errors.problems_of``): the services run them, the bulk siblings the same lists over a
# batch, and pages ask them whether to offer an action.


@dataclass(frozen=True)
class Posting:
    """One entry as its checks read it: lines resolved to accounts and funds (or None)."""

    date: Any
    doc_type: str
    lines: list
    name: str = ""  # in a batch, what names the entry in its messages (its memo)
    key: str = ""  # in a batch, the entry's idempotency key (the messages' value)


@dataclass(frozen=True)
class Postings:
    """What an entry's checks read: one entry (``entry_post``) or a batch (``entries_post_bulk``)."""

    organisation: Any
    entries: list[Posting]
    approval: Approval | None = None
    correction: bool = False  # a reversal or a receipt's void: no second person needed
    direct: bool = False  # a person's entry straight to the books, not from a voucher (the API)
    # {sub-account id: balance on its normal side} before the entry, read under the
    # sub-accounts' row locks (``services.entry_post``); None: not read (bulk history)
    sub_balances: dict | None = None


def _named(posting: Posting, problems: list[Problem]) -> list[Problem]:
    if not posting.name:
        return problems
    return [Problem(p.field, f"{posting.name}: {p.message_th}", f"{posting.name}: {p.message_en}",
                    value=posting.key) for p in problems]


def books_kept(subject) -> list[Problem]:
    """The subject's organisation keeps books (a group, not a network)."""
    return check_group(subject.organisation)


def posting_doc_types(ps: Postings) -> list[Problem]:
    return [p for e in ps.entries for p in _named(e, check_doc_type(e.doc_type))]


def posting_balanced(ps: Postings) -> list[Problem]:
    return [p for e in ps.entries for p in _named(e, check_amounts(e.lines))]


def posting_accounts(ps: Postings) -> list[Problem]:
    """Accounts and funds of the group (in a batch, each account and fund pair once)."""
    if len(ps.entries) == 1 and not ps.entries[0].name:
        return check_accounts(ps.organisation, ps.entries[0].lines)
    seen: dict[tuple, Any] = {}
    for e in ps.entries:
        for line in e.lines:
            seen.setdefault((id(line.account), id(line.fund)), line)
    return check_accounts(ps.organisation, list(seen.values()))


def posting_sub_accounts(ps: Postings) -> list[Problem]:
    """Lines on per-member accounts name a member's sub-account (``check_sub_accounts``)."""
    return [p for e in ps.entries for p in _named(e, check_sub_accounts(ps.organisation, e.lines, e.doc_type))]


def posting_sub_accounts_covered(ps: Postings) -> list[Problem]:
    """No member's account goes below zero: a withdrawal, a fee or a reversal of a deposit
    takes out at most what the sub-account holds."""
    if ps.sub_balances is None:
        return []
    problems: list[Problem] = []
    for e in ps.entries:
        after = dict(ps.sub_balances)
        subs = {}
        for line in e.lines:
            sub = getattr(line, "sub_account", None)
            if sub is None or line.account is None or not is_whole(line.debit) or not is_whole(line.credit):
                continue
            up = line.debit - line.credit
            after[sub.pk] = after.get(sub.pk, 0) + (up if line.account.debit_normal else -up)
            subs[sub.pk] = sub
        for pk, sub in subs.items():
            if after[pk] < 0:
                problems += _named(e, [Problem(
                    "sub_account", f"ยอดเงินในบัญชี {sub.number} จะติดลบ ({after[pk]} สตางค์)",
                    f"account {sub.number} would go below zero ({after[pk]} satang)", value=sub.number,
                    code="negative")])
    return problems


def posting_open_month(ps: Postings) -> list[Problem]:
    """Nothing in a closed month (a batch: its earliest date)."""
    if not ps.entries:
        return []
    dates = [e.date for e in ps.entries]
    undated = [d for d in dates if not isinstance(d, dt.date)]
    return check_open_date(ps.organisation, undated[0] if undated else min(dates))


def posting_second_person(ps: Postings) -> list[Problem]:
    if ps.correction:
        return []
    return [p for e in ps.entries for p in _named(e, check_second_person(ps.organisation, e.lines, ps.approval))]


def posting_direct(ps: Postings) -> list[Problem]:
    if not ps.direct:
        return []
    return [p for e in ps.entries for p in _named(e, check_direct_post(ps.organisation, e.lines))]


ENTRY_POST = [books_kept, posting_doc_types, posting_balanced, posting_accounts, posting_sub_accounts,
              posting_sub_accounts_covered, posting_open_month, posting_second_person, posting_direct]


@dataclass(frozen=True)
class Reversal:
    entry: Any  # the JournalEntry to reverse
    date: Any
    reason: str
    already_reversed: bool


def reversal_reason(r: Reversal) -> list[Problem]:
    return [] if (r.reason or "").strip() else [Problem("reason", "ต้องระบุเหตุผลการกลับรายการ", "a reason is required")]


def reversal_once(r: Reversal) -> list[Problem]:
    if not r.already_reversed:
        return []
    return [Problem("entry", f"รายการ {r.entry.document_number} ถูกกลับรายการแล้ว",
                    f"entry {r.entry.document_number} is already reversed")]


def reversal_not_before(r: Reversal) -> list[Problem]:
    if isinstance(r.date, dt.date) and r.date < r.entry.date:
        return [Problem("date", "วันที่กลับรายการต้องไม่ก่อนวันที่ของรายการเดิม",
                        "a reversal cannot be dated before the entry it reverses", value=r.date.isoformat())]
    return []


def reversal_not_closing(r: Reversal) -> list[Problem]:
    """A year-end closing entry is undone by reopening the month, never by a reversal (the
    reopen deletes its balances; a reversal would leave the year closed twice over)."""
    if r.entry.doc_type != DocumentType.CLOSING:
        return []
    return [Problem("entry", "รายการปิดบัญชีสิ้นปีกลับรายการไม่ได้: ให้เปิดงวดบัญชีแทน",
                    "a year-end closing entry cannot be reversed: reopen the month instead", code="closing")]


ENTRY_REVERSE = [reversal_reason, reversal_once, reversal_not_before, reversal_not_closing]


@dataclass(frozen=True)
class NewAccount:
    organisation: Any
    code: str
    name_th: str
    standard_code: str
    parent: Any = None
    code_taken: bool = False


def account_code(a: NewAccount) -> list[Problem]:
    if not a.code:
        return [Problem("code", "ต้องระบุรหัสบัญชี", "an account code is required")]
    if a.code_taken:
        return [Problem("code", f"รหัสบัญชี {a.code} มีอยู่แล้ว", f"account code {a.code} exists", value=a.code)]
    return []


def account_standard_code(a: NewAccount) -> list[Problem]:
    if a.standard_code in chart.STANDARD_CODES:
        return []
    return [Problem("standard_code", f"ไม่มีรหัสมาตรฐาน {a.standard_code}", f"no standard code {a.standard_code}",
                    value=a.standard_code)]


def account_name(a: NewAccount) -> list[Problem]:
    return [] if (a.name_th or "").strip() else [Problem("name_th", "ต้องระบุชื่อบัญชีภาษาไทย",
                                                          "a Thai name is required")]


def account_parent(a: NewAccount) -> list[Problem]:
    if a.parent is not None and a.parent.organisation_id != a.organisation.pk:
        return [Problem("parent", "บัญชีแม่เป็นของกลุ่มอื่น", "the parent belongs to another group")]
    return []


ACCOUNT_CREATE = [books_kept, account_code, account_standard_code, account_name,
                  account_parent]


@dataclass(frozen=True)
class NewSubAccount:
    organisation: Any
    account: Any  # Account or None (no such code)
    member: Any
    number: str
    number_taken: bool = False


def sub_account_of_kept_account(a: NewSubAccount) -> list[Problem]:
    if a.account is None:
        return [Problem("account", "ไม่พบบัญชีนี้ในผังบัญชีของกลุ่ม", "no such account in the group's chart")]
    if a.account.organisation_id != a.organisation.pk:
        return [Problem("account", "บัญชีนี้เป็นของกลุ่มอื่น", "the account belongs to another group",
                        value=a.account.code)]
    if a.account.standard_code not in chart.SUB_ACCOUNTED:
        return [Problem("account", f"บัญชี {a.account.code} ไม่ได้แยกตามสมาชิก",
                        f"account {a.account.code} is not kept per member", value=a.account.code)]
    return []


def sub_account_member(a: NewSubAccount) -> list[Problem]:
    if a.member is None or a.member.organisation_id != a.organisation.pk:
        return [Problem("member", "สมาชิกนี้ไม่ได้อยู่ในกลุ่ม", "the member is not of this group")]
    return []


def sub_account_number(a: NewSubAccount) -> list[Problem]:
    if not a.number:
        return [Problem("number", "ต้องระบุเลขที่บัญชี", "an account number is required")]
    if a.number_taken:
        return [Problem("number", f"เลขที่บัญชี {a.number} มีอยู่แล้ว", f"account number {a.number} exists",
                        value=a.number)]
    return []


SUB_ACCOUNT_OPEN = [books_kept, sub_account_of_kept_account, sub_account_member, sub_account_number]


@dataclass(frozen=True)
class Closing:
    organisation: Any
    year: int
    month: int
    expected: tuple[int, int] | None  # ledger.services.next_period
    today: dt.date


def nothing_to_close() -> list[Problem]:
    return [Problem("month", "ยังไม่มีรายการให้ปิดบัญชี", "there is nothing to close yet")]


def closing_in_order(c: Closing) -> list[Problem]:
    if check_group(c.organisation):
        return []  # a network has no months (said by books_kept)
    if c.expected is None:
        return nothing_to_close()
    if (c.year, c.month) != c.expected:
        return [Problem("month", f"ต้องปิดบัญชีตามลำดับ เดือนถัดไปที่ต้องปิดคือ{format_month(*c.expected)}",
                        f"months close in order; the next to close is {format_month(*c.expected, lang='en')}",
                        value=f"{c.year}-{c.month:02d}")]
    return []


def closing_month_ended(c: Closing) -> list[Problem]:
    if check_group(c.organisation) or (c.year, c.month) != c.expected or chart.month_end(c.year, c.month) < c.today:
        return []
    return [Problem("month", "ปิดบัญชีได้เมื่อสิ้นเดือนแล้วเท่านั้น", "a month can be closed only after it has ended",
                    value=f"{c.year}-{c.month:02d}")]


PERIOD_CLOSE = [books_kept, closing_in_order, closing_month_ended]


@dataclass(frozen=True)
class Reopening:
    organisation: Any
    actor: Any
    year: int
    month: int
    reason: str
    closed: bool  # the month is closed


def reopening_by_manager(r: Reopening) -> list[Problem]:
    if r.actor is not None and scoping.resolve(r.actor, r.organisation).can(scoping.MANAGE):
        return []
    return [Problem("actor", "การเปิดงวดบัญชีที่ปิดแล้วต้องเป็นประธานหรือผู้ดูแลระบบ",
                    "reopening a closed month needs the chair or an administrator")]


def reopening_reason(r: Reopening) -> list[Problem]:
    return [] if (r.reason or "").strip() else [Problem("reason", "ต้องระบุเหตุผลการเปิดงวดบัญชี",
                                                         "a reason is required")]


def reopening_closed(r: Reopening) -> list[Problem]:
    if r.closed:
        return []
    return [Problem("month", "เดือนนี้ยังไม่ได้ปิดบัญชี", "this month is not closed", value=f"{r.year}-{r.month:02d}")]


PERIOD_REOPEN = [reopening_by_manager, reopening_reason, reopening_closed]


@dataclass(frozen=True)
class NewVoucher:
    organisation: Any
    actor: Any
    kind: str
    date: Any
    memo: str
    lines: list  # resolved


def voucher_kind(v: NewVoucher) -> list[Problem]:
    if v.kind in Voucher.Kind.values:
        return []
    return [Problem("kind", f"ไม่รู้จักประเภทใบสำคัญ {v.kind!r}", f"unknown voucher kind {v.kind!r}")]


def voucher_memo(v: NewVoucher) -> list[Problem]:
    return [] if (v.memo or "").strip() else [Problem("memo", "ต้องระบุรายละเอียด", "a description is required")]


def voucher_maker(v: NewVoucher) -> list[Problem]:
    if v.actor is not None and getattr(v.actor, "pk", None):
        return []
    return [Problem("actor", "ต้องระบุผู้บันทึก", "a voucher needs the person who made it")]


def voucher_lines(v: NewVoucher) -> list[Problem]:
    """Checked as its entry will be, so approving and posting it cannot fail on its lines."""
    return [*check_amounts(v.lines), *check_accounts(v.organisation, v.lines),
            *check_sub_accounts(v.organisation, v.lines, VOUCHER_DOC_TYPES.get(v.kind, "")),
            *check_open_date(v.organisation, v.date)]


VOUCHER_DOC_TYPES = {Voucher.Kind.RECEIPT: DocumentType.RECEIPT, Voucher.Kind.PAYMENT: DocumentType.PAYMENT,
                     Voucher.Kind.JOURNAL: DocumentType.JOURNAL}


VOUCHER_CREATE = [books_kept, voucher_kind, voucher_memo, voucher_maker, voucher_lines]


@dataclass(frozen=True)
class VoucherAct:
    """A person acting on a voucher: approve, post or cancel."""

    voucher: Any
    actor: Any
    reason: str = ""
    one_person: bool = False  # voucher_post: a draft journal the bylaws let one person post
    admin: AdminSpend | None = None  # voucher_approve: the year's administration against the bylaws' cap


@dataclass(frozen=True)
class AdminSpend:
    """The fiscal year's administration (5200, 5300) so far, this voucher's, the year's
    contributions (4100–4300) and the bylaws' cap, a percent of those contributions."""

    cap_percent: int
    spent: int
    this: int
    contributions: int


ADMIN_ACCOUNTS = (chart.ADMINISTRATION, chart.COMMITTEE_REMUNERATION)
CONTRIBUTION_ACCOUNTS = (chart.ENTRY_FEES, chart.YEARLY_CONTRIBUTIONS, chart.DAILY_SAVINGS)


def within_admin_cap(a: VoucherAct) -> list[Problem]:
    """Where the bylaws cap administration at a percent of the year's contributions, a voucher
    that would take the year's administration past it is not approved."""
    s = a.admin
    if s is None or s.this <= 0:
        return []
    limit = s.contributions * s.cap_percent // 100
    if s.spent + s.this <= limit:
        return []
    return [Problem("admin_cap", f"ค่าบริหารทั้งปีจะเป็น {format_baht(s.spent + s.this)} บาท เกินเพดานตามข้อบังคับ "
                                 f"ร้อยละ {s.cap_percent} ของเงินสมทบในปี ({format_baht(limit)} บาท)",
                    f"the year's administration would be {format_baht(s.spent + s.this)} baht, over the bylaws' "
                    f"cap of {s.cap_percent} % of the year's contributions ({format_baht(limit)} baht)",
                    value=s.spent + s.this, code="admin_cap")]


def approve_draft(a: VoucherAct) -> list[Problem]:
    if a.voucher.status == Voucher.Status.DRAFT:
        return []
    return [Problem("status", "อนุมัติได้เฉพาะใบสำคัญที่เป็นร่าง", "only a draft can be approved")]


def approver_second_person(a: VoucherAct) -> list[Problem]:
    """Maker-checker: someone who may approve in the group, and not the voucher's maker."""
    return second_person(a.actor, a.voucher.organisation, "vouchers", [a.voucher.created_by_id], field="approver",
                         th="ผู้อนุมัติต้องไม่ใช่ผู้บันทึกใบสำคัญ", en="the approver cannot be the person who made the voucher")


VOUCHER_APPROVE = [approve_draft, approver_second_person, within_admin_cap]


def post_approved(a: VoucherAct) -> list[Problem]:
    if a.voucher.status == Voucher.Status.APPROVED or (a.voucher.status == Voucher.Status.DRAFT and a.one_person):
        return []
    return [Problem("status", "ลงบัญชีได้เฉพาะใบสำคัญที่อนุมัติแล้ว", "only an approved voucher can be posted")]


def poster_writes(a: VoucherAct) -> list[Problem]:
    if a.actor is not None and scoping.resolve(a.actor, a.voucher.organisation).can(scoping.WRITE):
        return []
    return [Problem("actor", "ไม่มีสิทธิ์ลงบัญชี", "you may not post to the books")]


VOUCHER_POST = [post_approved, poster_writes]


def cancel_unposted(a: VoucherAct) -> list[Problem]:
    if a.voucher.status in (Voucher.Status.DRAFT, Voucher.Status.APPROVED):
        return []
    return [Problem("status", "ยกเลิกได้เฉพาะใบสำคัญที่ยังไม่ลงบัญชี", "only a voucher not yet posted can be cancelled")]


def cancel_reason(a: VoucherAct) -> list[Problem]:
    return [] if (a.reason or "").strip() else [Problem("reason", "ต้องระบุเหตุผล", "a reason is required")]


VOUCHER_CANCEL = [cancel_unposted, cancel_reason]
