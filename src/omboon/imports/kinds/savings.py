"""The savings imports: members' accounts with their balances at the cut-over date
(``savings-accounts``), and the history of their deposits, withdrawals and interest
(``savings-transactions``).

savings-accounts  one row per member and product: the account is opened (``savings.services.
                  account_open``) and its balance brought forward by ONE opening entry (OB) that
                  moves each kind's total from the books' opening balance — 2100/2110/2120/3400
                  brought forward in total, without members, by the opening-balances import —
                  onto the members' accounts: Dr the total, Cr each member's account. So the file's
                  total of each kind must equal what the books hold of it, not yet any member's,
                  at the cut-over date; otherwise the file is refused and nothing is written.
savings-transactions  one row per deposit, withdrawal or interest of an existing account, in date
                  order per account and after its last entry; one entry per day and kind: a receipt
                  (Dr cash or bank, Cr the accounts), a payment (Dr the accounts, Cr cash or bank) or
                  a journal of interest (Dr 5400, Cr the accounts). Withdrawals are money out, so the
                  job waits for a second person's approval like every payout import; no account ever
                  goes below zero.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Max, Sum

from omboon.core.errors import Problem
from omboon.imports import cells
from omboon.imports.common import MemberIndex, at_row, cell_problem, member_ref_problem, past_date, required
from omboon.imports.kinds.shared import idem_key, today_local
from omboon.imports.spec import Field, KindSpec
from omboon.imports.values import Choice, Coded
from omboon.ledger import chart
from omboon.ledger.models import DocumentType, JournalLine
from omboon.ledger.rules import Approval, check_month_open, last_closed_period
from omboon.ledger.services import Line, entry_post
from omboon.members.models import Member
from omboon.savings import selectors as savings_selectors
from omboon.savings import services as savings
from omboon.savings.models import KIND_ACCOUNT, Account, Product

ACCOUNT_FIELDS = (
    Field("member", "เลขที่สมาชิก", "member number", required=True,
          aliases=("member_number", "เลขสมาชิก", "รหัสสมาชิก", "สมาชิก"), example="0001",
          note_th="หรือเลขประจำตัวประชาชน", note_en="or the national ID"),
    Field("national_id", "เลขประจำตัวประชาชน", "national ID", aliases=("เลขบัตรประชาชน",)),
    Field("product", "ประเภทเงินฝาก", "product", required=True, aliases=("ประเภท", "บัญชี", "product code"),
          example="SAJ", note_th="รหัสหรือชื่อประเภทเงินฝากของกลุ่ม", note_en="the group's product code or name"),
    Field("balance", "ยอดคงเหลือ", "balance", required=True, aliases=("ยอดเงิน", "ยอดยกมา", "amount"),
          example="12,500.00"),
    Field("date", "วันที่ยอดยกมา", "as of", required=True, aliases=("วันที่", "date", "cut-over date"),
          example="31/12/2567", note_th="วันเดียวกันทุกแถว", note_en="the same date on every row"),
    Field("opened_on", "วันที่เปิดบัญชี", "opened on", aliases=("วันเปิดบัญชี",), example="01/06/2560",
          note_th="ว่าง = วันที่ยอดยกมา", note_en="blank: the cut-over date"),
)

TRANSACTION_FIELDS = (
    Field("account", "เลขที่บัญชี", "account number", aliases=("บัญชีเลขที่", "account no"), example="SAJ-00001",
          note_th="หรือเลขที่สมาชิกกับประเภทเงินฝาก", note_en="or the member number and the product"),
    Field("member", "เลขที่สมาชิก", "member number", aliases=("member_number", "เลขสมาชิก", "สมาชิก"),
          example=""),
    Field("product", "ประเภทเงินฝาก", "product", aliases=("product code",), example=""),
    Field("date", "วันที่", "date", required=True, aliases=("วันที่ทำรายการ",), example="05/01/2568"),
    Field("type", "รายการ", "type", required=True, aliases=("ประเภทรายการ", "kind"), example="ฝาก",
          note_th="ฝาก ถอน หรือ ดอกเบี้ย", note_en="deposit, withdrawal or interest"),
    Field("amount", "จำนวนเงิน", "amount", required=True, aliases=("ยอดเงิน",), example="100.00"),
    Field("via", "ช่องทาง", "cash or bank", aliases=("รับจ่ายทาง",), example="cash",
          note_th="เงินสด (ว่าง) หรือ ธนาคาร", note_en="cash (blank) or bank"),
)

DEPOSIT, WITHDRAWAL, INTEREST = "deposit", "withdrawal", "interest"
TYPE = Coded("type", (Choice(DEPOSIT, "ฝาก", "deposit"), Choice(WITHDRAWAL, "ถอน", "withdrawal"),
                      Choice(INTEREST, "ดอกเบี้ย", "interest")), {
    "ฝากเงิน": DEPOSIT, "เงินฝาก": DEPOSIT, "ส่งสัจจะ": DEPOSIT, "สัจจะ": DEPOSIT, "ซื้อหุ้น": DEPOSIT,
    "ถอนเงิน": WITHDRAWAL, "เบิก": WITHDRAWAL, "ถอนคืน": WITHDRAWAL,
    "ดอกเบี้ยเงินฝาก": INTEREST, "ดบ": INTEREST,
})
VIA = {"": "cash", "cash": "cash", "เงินสด": "cash", "สด": "cash", "bank": "bank", "ธนาคาร": "bank",
       "โอน": "bank", "เงินฝากธนาคาร": "bank"}


class Products:
    """A group's products by code and by Thai or English name."""

    def __init__(self, organisation):
        self.by_word: dict[str, Product] = {}
        for p in Product.objects.filter(organisation=organisation):
            for word in (p.code, p.name_th, p.name_en):
                if word:
                    self.by_word.setdefault(word.strip().lower(), p)

    def find(self, cell) -> Product | None:
        return self.by_word.get(cells.text(cell).strip().lower())


def _product_problem(cell, row: int) -> Problem:
    shown = cells.text(cell)[:40]
    if not shown:
        return required("product", "ประเภทเงินฝาก", "the product", row)
    return Problem("product", f"ไม่มีประเภทเงินฝาก {shown} ในกลุ่มนี้ (ตั้งประเภทเงินฝากก่อน)",
                   f"no product {shown} in this group (set the product up first)", row=row, value=shown,
                   code="no_product")


def _amount(raw, key: str, row: int, found: list[Problem], *, positive: bool) -> int | None:
    try:
        amount = cells.parse_amount(raw.get(key))
    except cells.CellError as exc:
        found.append(cell_problem(key, exc, row, raw.get(key)))
        return None
    if amount < 0 or (positive and amount == 0):
        found.append(Problem(key, "จำนวนเงินต้องมากกว่าศูนย์" if positive else "ยอดเงินติดลบไม่ได้",
                             "the amount must be more than zero" if positive else "a balance cannot be negative",
                             row=row, value=amount / 100, code="not_positive"))
        return None
    return amount


def unallocated(organisation, as_of: dt.date) -> dict[str, int]:
    """{standard code: what the books hold of 2100/2110/2120/3400 at ``as_of`` that is no
    member's yet} — the opening balance brought forward in total, less what went to members."""
    rows = (JournalLine.objects.filter(organisation=organisation, sub_account__isnull=True, date__lte=as_of,
                                       account__standard_code__in=chart.SUB_ACCOUNTED)
            .values_list("account__standard_code").annotate(Sum("debit"), Sum("credit")).order_by())
    return {code: c - d for code, d, c in rows}


def _baht(satang: int) -> str:
    return f"{satang / 100:,.2f}"


# --- savings-accounts ----------------------------------------------------------------------------

def check_accounts(organisation, rows, *, today=None):
    today = today or today_local()
    members = MemberIndex(organisation)
    products = Products(organisation)
    closed = last_closed_period(organisation)
    open_now = set(Account.objects.filter(organisation=organisation).exclude(status=Account.Status.CLOSED)
                   .values_list("member_id", "product_id"))
    # accounts the bylaws opened when the members joined (their import), still without a line: the
    # balance goes into them instead of a second account
    unused = {(m, p): (pk, opened) for pk, m, p, opened in
              Account.objects.filter(organisation=organisation, status=Account.Status.OPEN,
                                     sub_account__lines__isnull=True)
              .values_list("pk", "member_id", "product_id", "opened_on")}
    problems: list[Problem] = []
    accepted = []
    seen: dict[tuple[int, int], int] = {}
    dates: dict[dt.date, int] = {}
    totals: dict[str, int] = defaultdict(int)
    for row, raw in rows:
        found: list[Problem] = []
        number, id_value, member = members.resolve(raw.get("member"), raw.get("national_id"))
        if member is None:
            found.append(member_ref_problem(number, id_value, row))
        elif member.status != Member.Status.ACTIVE:
            found.append(Problem("member", f"สมาชิก {member.number} พ้นสภาพแล้ว เปิดบัญชีไม่ได้",
                                 f"member {member.number} has left: no account can be opened", row=row,
                                 value=member.number, code="left"))
        product = products.find(raw.get("product"))
        if product is None:
            found.append(_product_problem(raw.get("product"), row))
        balance = _amount(raw, "balance", row, found, positive=False)
        day = past_date(raw, "date", row, found, today)
        if day is not None:
            dates.setdefault(day, row)
            found += at_row(check_month_open(closed, day, "date"), row)
        opened = day
        if not cells.is_blank(raw.get("opened_on")):
            opened = past_date(raw, "opened_on", row, found, today)
            if opened and day and opened > day:
                found.append(Problem("opened_on", "วันที่เปิดบัญชีอยู่หลังวันที่ยอดยกมา",
                                     "the account opens after the cut-over date", row=row,
                                     value=opened.isoformat(), code="order"))
        if member is not None and opened is not None and opened < member.join_date:
            found.append(Problem("opened_on", "เปิดบัญชีก่อนวันที่เข้าเป็นสมาชิก",
                                 "the account opens before the member joined", row=row,
                                 value=opened.isoformat(), code="before_joining"))
        if product is not None and opened is not None and savings_selectors.version_in_force(product, opened) is None:
            found.append(Problem("opened_on", f"ประเภทเงินฝาก {product.code} ยังไม่มีเงื่อนไขที่มีผลในวันเปิดบัญชี",
                                 f"product {product.code} has no terms in force on the opening date", row=row,
                                 value=opened.isoformat(), code="no_terms"))
        if member is not None and product is not None:
            key = (member.pk, product.pk)
            if key in unused and key not in seen and day is not None and unused[key][1] <= day:
                seen[key] = row
            elif key in open_now:
                found.append(Problem("product", f"สมาชิก {member.number} มีบัญชี {product.code} อยู่แล้ว",
                                     f"member {member.number} already has a {product.code} account", row=row,
                                     value=product.code, code="exists"))
            elif key in seen:
                found.append(Problem("product", f"สมาชิก {member.number} มีบัญชี {product.code} ซ้ำกับแถว {seen[key]}",
                                     f"member {member.number} has a {product.code} account on row {seen[key]} too",
                                     row=row, value=product.code, code="duplicate"))
            else:
                seen[key] = row
        if found:
            problems += found
            continue
        totals[KIND_ACCOUNT[product.kind]] += balance
        reuse = unused.get((member.pk, product.pk), (None, None))[0]
        accepted.append((row, {"member_id": member.pk, "product_id": product.pk, "balance": balance, "date": day,
                               "opened_on": opened, "account_id": reuse}))
    if len(dates) > 1:
        problems.append(Problem("date", "วันที่ยอดยกมาต้องเป็นวันเดียวกันทุกแถว", "every row needs the same cut-over date",
                                value=", ".join(d.isoformat() for d in sorted(dates)), code="dates"))
    elif dates and not problems:
        books = unallocated(organisation, next(iter(dates)))
        for code, total in sorted(totals.items()):
            if total != books.get(code, 0):
                problems.append(Problem(
                    "balance", f"ยอดรวมบัญชี {code} ในไฟล์ {_baht(total)} บาท ไม่เท่ากับยอดยกมาในบัญชีแยกประเภท "
                               f"{_baht(books.get(code, 0))} บาท (นำเข้ายอดยกมาก่อน หรือแก้ไฟล์)",
                    f"the file's total of account {code}, {_baht(total)} baht, differs from the books' opening "
                    f"balance of {_baht(books.get(code, 0))} baht (import the opening balances first, or correct "
                    "the file)", value=_baht(total - books.get(code, 0)), code="opening_differs"))
    if any(p.row is None for p in problems):
        accepted = []  # the opening entry is all or nothing
    summary = {"accounts": len(accepted), "total": sum(totals.values())}
    return accepted, problems, summary


def commit_accounts(job, organisation, actor, rows) -> int:
    """Open each account (or take the still empty one the bylaws opened on joining), then one
    opening entry: Dr each kind's total (the books' opening
    balance, no member's) and Cr each member's account its balance."""
    if not rows:
        return 0
    members = Member.objects.in_bulk([d["member_id"] for _, d in rows])
    products = Product.objects.in_bulk([d["product_id"] for _, d in rows])
    credits: list[Line] = []
    totals: dict[str, int] = defaultdict(int)
    reused = Account.objects.in_bulk([d["account_id"] for _, d in rows if d.get("account_id")])
    for row, d in rows:
        account = reused.get(d.get("account_id")) or savings.account_open(
            actor=actor, organisation=organisation, member=members[d["member_id"]],
            product=products[d["product_id"]], opened_on=d["opened_on"])
        if d["balance"]:
            code = KIND_ACCOUNT[account.product.kind]
            totals[code] += d["balance"]
            credits.append(Line(account=account.sub_account.account, credit=d["balance"],
                                sub_account=account.sub_account, member=account.member,
                                memo=f"{account.number} แถว {row}"))
    if credits:
        debits = [Line(account=code, debit=total, memo="ยอดยกมาแยกตามบัญชีสมาชิก")
                  for code, total in sorted(totals.items())]
        entry_post(actor=actor, organisation=organisation, date=rows[0][1]["date"], doc_type=DocumentType.OPENING,
                   lines=[*debits, *credits], idempotency_key=idem_key(job, "all"),
                   memo=f"ยอดยกมาบัญชีเงินฝากสมาชิก (นำเข้า {job.file_name}) / members' savings brought forward"[:255],
                   source=("imports.importjob", str(job.pk)))
    return len(rows)


ACCOUNTS_SPEC = KindSpec(
    "savings-accounts", "บัญชีเงินฝากและยอดยกมา", "Savings accounts and balances", ACCOUNT_FIELDS, check_accounts,
    commit_accounts, one_batch=True, alternatives=(("member", "national_id"),),
    instructions_th=(
        "หนึ่งแถวต่อสมาชิกหนึ่งคนและประเภทเงินฝากหนึ่งประเภท: เลขที่สมาชิก ประเภทเงินฝาก (รหัสหรือชื่อ) ยอดคงเหลือ ณ วันที่ยอดยกมา",
        ("นำเข้ายอดยกมา (งบทดลอง) ก่อน: ยอดรวมของแต่ละประเภท (2100 สัจจะ 2110 ออมทรัพย์ 2120 ประจำ 3400 หุ้น) "
        "ต้องเท่ากับยอดยกมาในบัญชีแยกประเภท มิฉะนั้นไม่นำเข้าเลย"),
        "ระบบเปิดบัญชีให้สมาชิกแต่ละคน (เลขที่บัญชีใหม่ตามลำดับของกลุ่ม) และลงยอดยกมาเข้าบัญชีของสมาชิก",
    ),
    instructions_en=(
        "One row per member and product: member number, product (code or name), balance at the cut-over date.",
        ("Import the opening balances (the trial balance) first: each kind's total (2100 compulsory, 2110 "
        "voluntary, 2120 fixed-term, 3400 shares) must equal the books' opening balance, or nothing is imported."),
        "Each member's account is opened (numbered in the group's series) and its balance brought forward.",
    ),
)


# --- savings-transactions ------------------------------------------------------------------------

class AccountIndex:
    """A group's accounts by number and by (member, product)."""

    def __init__(self, organisation):
        self.by_number: dict[str, Account] = {}
        self.by_member: dict[tuple[int, int], Account] = {}
        for a in (Account.objects.filter(organisation=organisation).exclude(status=Account.Status.CLOSED)
                  .select_related("product", "sub_account__account")):
            self.by_number[a.number.upper()] = a
            self.by_member[(a.member_id, a.product_id)] = a


def check_transactions(organisation, rows, *, today=None):
    today = today or today_local()
    index = AccountIndex(organisation)
    members = MemberIndex(organisation)
    products = Products(organisation)
    closed = last_closed_period(organisation)
    subs = [a.sub_account_id for a in index.by_number.values()]
    held = savings_selectors.sub_balances(organisation, ids=subs)
    last = dict(JournalLine.objects.filter(sub_account_id__in=subs).values_list("sub_account_id")
                .annotate(Max("date")).order_by())
    problems: list[Problem] = []
    accepted = []
    sums = {DEPOSIT: 0, WITHDRAWAL: 0, INTEREST: 0}
    for row, raw in rows:
        found: list[Problem] = []
        account = None
        if not cells.is_blank(raw.get("account")):
            account = index.by_number.get(cells.text(raw.get("account")).strip().upper())
            if account is None:
                found.append(Problem("account", f"ไม่มีบัญชีเลขที่ {cells.text(raw.get('account'))[:40]} ที่เปิดอยู่",
                                     f"no open account {cells.text(raw.get('account'))[:40]}", row=row,
                                     value=cells.text(raw.get("account"))[:40], code="no_account"))
        else:
            number, _id, member = members.resolve(raw.get("member"), None)
            product = products.find(raw.get("product"))
            if member is None:
                found.append(member_ref_problem(number, "", row))
            if product is None:
                found.append(_product_problem(raw.get("product"), row))
            if member is not None and product is not None:
                account = index.by_member.get((member.pk, product.pk))
                if account is None:
                    found.append(Problem("account", f"สมาชิก {member.number} ไม่มีบัญชี {product.code} ที่เปิดอยู่",
                                         f"member {member.number} has no open {product.code} account", row=row,
                                         value=product.code, code="no_account"))
        kind = raw.get("type")
        if kind not in (DEPOSIT, WITHDRAWAL, INTEREST):
            found.append(Problem("type", "รายการต้องเป็น ฝาก ถอน หรือ ดอกเบี้ย", "the type must be deposit, withdrawal "
                                 "or interest", row=row, value=cells.text(kind)[:40], code="type"))
        via = VIA.get(cells.text(raw.get("via")).strip().lower())
        if via is None:
            found.append(Problem("via", "ช่องทางต้องเป็น เงินสด หรือ ธนาคาร", "cash or bank", row=row,
                                 value=cells.text(raw.get("via"))[:40], code="via"))
        amount = _amount(raw, "amount", row, found, positive=True)
        day = past_date(raw, "date", row, found, today)
        if day is not None:
            found += at_row(check_month_open(closed, day, "date"), row)
        if account is not None and day is not None:
            after = last.get(account.sub_account_id) or account.opened_on
            if day < after:
                found.append(Problem("date", f"บัญชี {account.number} มีรายการถึงวันที่ {after:%d/%m/%Y} แล้ว "
                                             "รายการที่นำเข้าต้องเรียงตามวันที่และอยู่หลังจากนั้น",
                                     f"account {account.number} has entries up to {after.isoformat()}: rows must "
                                     "come in date order after them", row=row, value=day.isoformat(), code="order"))
        if not found:
            sign = -1 if kind == WITHDRAWAL else 1
            balance = held.get(account.sub_account_id, 0) + sign * amount
            if balance < 0:
                found.append(Problem("amount", f"ถอนเกินยอดคงเหลือของบัญชี {account.number} "
                                               f"({_baht(held.get(account.sub_account_id, 0))} บาท)",
                                     f"the withdrawal is more than account {account.number} holds "
                                     f"({_baht(held.get(account.sub_account_id, 0))} baht)", row=row,
                                     value=amount / 100, code="negative"))
        if found:
            problems += found
            continue
        held[account.sub_account_id] = balance
        last[account.sub_account_id] = day
        sums[kind] += amount
        accepted.append((row, {"account_id": account.pk, "date": day, "type": kind, "amount": amount, "via": via}))
    summary = {"transactions": len(accepted), "deposits": sums[DEPOSIT], "withdrawals": sums[WITHDRAWAL],
               "interest": sums[INTEREST], "total": sums[WITHDRAWAL]}
    return accepted, problems, summary


CASH = {"cash": chart.CASH, "bank": chart.BANK}


def commit_transactions(job, organisation, actor, rows) -> int:
    """One entry per day, type and cash or bank, posted in date order; withdrawals in the
    maker's name with the second person who approved the job."""
    accounts = Account.objects.select_related("sub_account__account", "sub_account__member").in_bulk(
        [d["account_id"] for _, d in rows])
    groups: dict[tuple, list] = defaultdict(list)
    for row, d in rows:
        groups[(d["date"], d["type"], d["via"])].append((row, d))
    approval = Approval(maker=actor, approver=job.approved_by, what=f"imports.importjob:{job.pk}")
    for (day, kind, via), part in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] != DEPOSIT, kv[0])):
        total = sum(d["amount"] for _, d in part)
        members = [Line(account=accounts[d["account_id"]].sub_account.account, sub_account=accounts[d["account_id"]]
                        .sub_account, memo=f"{accounts[d['account_id']].number} แถว {row}",
                        **({"debit": d["amount"]} if kind == WITHDRAWAL else {"credit": d["amount"]}))
                   for row, d in part]
        if kind == DEPOSIT:
            lines, doc, extra = [Line(account=CASH[via], debit=total), *members], DocumentType.RECEIPT, {}
        elif kind == WITHDRAWAL:
            lines, doc, extra = [*members, Line(account=CASH[via], credit=total)], DocumentType.PAYMENT, \
                {"approval": approval}
        else:
            lines, doc, extra = [Line(account=chart.INTEREST_ON_SAVINGS, debit=total), *members], \
                DocumentType.JOURNAL, {}
        label = {DEPOSIT: "ฝาก", WITHDRAWAL: "ถอน", INTEREST: "ดอกเบี้ย"}[kind]
        entry_post(actor=actor, organisation=organisation, date=day, doc_type=doc, lines=lines,
                   memo=f"{label}ย้อนหลัง {len(part)} รายการ (นำเข้า {job.file_name})"[:255],
                   idempotency_key=idem_key(job, f"{part[0][0]}:{day.isoformat()}:{kind}:{via}"),
                   source=("imports.importjob", str(job.pk)), **extra)
    return len(rows)


TRANSACTIONS_SPEC = KindSpec(
    "savings-transactions", "รายการเงินฝากย้อนหลัง", "Savings history", TRANSACTION_FIELDS, check_transactions,
    commit_transactions, alternatives=(("account", "member"),), pays_out=True, coded=(TYPE,),
    instructions_th=(
        "หนึ่งแถวต่อรายการ: เลขที่บัญชี (หรือเลขที่สมาชิกกับประเภทเงินฝาก) วันที่ รายการ (ฝาก ถอน ดอกเบี้ย) จำนวนเงิน",
        "บัญชีต้องเปิดไว้แล้ว (นำเข้าบัญชีเงินฝากก่อน) รายการของแต่ละบัญชีเรียงตามวันที่ และอยู่หลังรายการที่มีอยู่แล้ว",
        "ลงบัญชีวันละหนึ่งใบต่อประเภทรายการ: ฝาก = ใบเสร็จ (เดบิตเงินสด) ถอน = ใบสำคัญจ่าย ดอกเบี้ย = เดบิต 5400",
        "มีการถอนเงิน (เงินจ่ายออก): ผู้มีสิทธิ์อนุมัติอีกคนหนึ่งต้องอนุมัติก่อนจึงลงบัญชี ยอดในบัญชีติดลบไม่ได้",
    ),
    instructions_en=(
        ("One row per transaction: account number (or member number and product), date, type (deposit, "
        "withdrawal, interest), amount."),
        ("The accounts must be open (import the savings accounts first); each account's rows in date order, "
        "after the entries it already has."),
        "One entry a day per type: deposits a receipt (Dr cash), withdrawals a payment, interest Dr 5400.",
        ("Withdrawals are money out: a second person who may approve approves the job before anything posts; "
        "no account may go below zero."),
    ),
)
