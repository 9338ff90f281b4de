"""The loans imports: the loans running at the cut-over date (``loans``) and the repayments
made to them since (``loan-repayments``).

loans            one row per running loan: borrower, product, principal, date paid out, the terms
                 (blank: the product's), paid so far (principal and interest), the principal still
                 outstanding and the guarantors (member numbers or national IDs). Checked by the
                 loans app's own rules (``loans.rules.BRING_FORWARD``) and written by its bulk
                 sibling ``loans.bulk.loans_bring_forward``: the loans, their guarantors, what they
                 had paid (so each schedule shows the instalments already paid) and ONE opening
                 entry that moves 1300 brought forward in total — by the opening-balances import —
                 onto the borrowers. So the file's total outstanding must equal what the books hold
                 of 1300, not yet any borrower's, at the cut-over date; otherwise nothing is written.
loan-repayments  one row per repayment of a running loan (by loan number, or by the member number of
                 a member with one running loan), in date order per loan and after the loan's
                 latest transaction. Each row is ``loans.services.loan_repay``: shared out oldest
                 instalment first, penalty → fee → interest → principal, a receipt of its own; a
                 loan repaid in full closes, and a row after that is refused, as is one into a closed
                 month, one to a written-off loan (a recovery instead) and one above what is owed —
                 unless the product credits the surplus to the borrower's voluntary savings, on
                 the same receipt (refused still where the borrower has no such account).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.db.models import Sum

from omboon.core.errors import Problem, problems_of
from omboon.core.money import format_baht
from omboon.imports import cells
from omboon.imports.common import MemberIndex, at_row, cell_problem, member_ref_problem, past_date, required
from omboon.imports.kinds.shared import idem_key, today_local
from omboon.imports.spec import Field, KindSpec
from omboon.imports.values import Choice, Coded
from omboon.ledger import chart
from omboon.ledger.models import JournalLine
from omboon.ledger.rules import check_month_open, last_closed_period
from omboon.loans import allocation, bulk, rules, schedule, selectors
from omboon.loans import services as loans
from omboon.loans.models import Loan, LoanProduct, LoanProductVersion
from omboon.members.models import Member

LOAN_FIELDS = (
    Field("member", "เลขที่สมาชิก", "member number", required=True,
          aliases=("member_number", "เลขสมาชิก", "รหัสสมาชิก", "ผู้กู้", "borrower"), example="0001",
          note_th="ผู้กู้ หรือเลขประจำตัวประชาชน", note_en="the borrower, or the national ID"),
    Field("national_id", "เลขประจำตัวประชาชน", "national ID", aliases=("เลขบัตรประชาชน",)),
    Field("product", "ประเภทเงินกู้", "product", required=True, aliases=("ประเภท", "product code"), example="GEN",
          note_th="รหัสหรือชื่อประเภทเงินกู้ของกลุ่ม", note_en="the group's loan product code or name"),
    Field("principal", "เงินต้น", "principal", required=True, aliases=("เงินกู้", "วงเงินกู้", "จำนวนเงินกู้", "amount"),
          example="20,000.00"),
    Field("disbursed_on", "วันที่รับเงินกู้", "disbursed on", required=True,
          aliases=("วันที่กู้", "วันจ่ายเงินกู้", "disbursed", "วันที่จ่ายเงินกู้"), example="15/06/2567"),
    Field("method", "วิธีคิดดอกเบี้ย", "method", aliases=("interest method",), example="",
          note_th="ว่าง = ตามประเภทเงินกู้: คงที่ ลดต้นลดดอก หรือ เงินต้นเท่ากัน",
          note_en="blank: the product's; flat, declining or equal-principal"),
    Field("rate", "อัตราดอกเบี้ย", "rate", aliases=("ดอกเบี้ย", "interest rate", "อัตรา"), example="",
          note_th="ร้อยละ ว่าง = ตามประเภทเงินกู้", note_en="percent; blank: the product's"),
    Field("per", "อัตราต่อ", "rate per", aliases=("ต่อ", "per"), example="",
          note_th="ปี หรือ เดือน ว่าง = ตามประเภทเงินกู้", note_en="year or month; blank: the product's"),
    Field("term", "จำนวนงวด", "term", aliases=("งวด", "instalments"), example="",
          note_th="ว่าง = ตามประเภทเงินกู้", note_en="blank: the product's"),
    Field("every", "ชำระทุก", "repaid every", aliases=("งวดละ", "ชำระ", "every"), example="",
          note_th="สัปดาห์ เดือน หรือ ปี ว่าง = ตามประเภทเงินกู้", note_en="week, month or year; blank: the product's"),
    Field("first_due", "วันครบกำหนดงวดแรก", "first due", aliases=("งวดแรก", "first due date"), example="",
          note_th="ว่าง = หนึ่งงวดหลังวันรับเงินกู้", note_en="blank: one period after the disbursement"),
    Field("paid", "ชำระแล้ว", "paid so far", required=True,
          aliases=("ชำระแล้วทั้งหมด", "ยอดชำระแล้ว", "paid"), example="10,900.00",
          note_th="เงินต้นและดอกเบี้ยรวมกัน", note_en="principal and interest together"),
    Field("balance", "เงินต้นคงเหลือ", "outstanding balance", required=True,
          aliases=("คงเหลือ", "ยอดคงเหลือ", "ลูกหนี้คงเหลือ", "balance", "outstanding"), example="10,000.00"),
    Field("guarantors", "ผู้ค้ำประกัน", "guarantors", aliases=("ผู้ค้ำ", "คนค้ำ"), example="0002, 0003",
          note_th="เลขที่สมาชิกหรือเลขประจำตัวประชาชน คั่นด้วยจุลภาค",
          note_en="member numbers or national IDs, comma-separated"),
    Field("purpose", "วัตถุประสงค์", "purpose", aliases=("วัตถุประสงค์การกู้",), example="ซื้อปุ๋ย"),
    Field("date", "วันที่ยอดยกมา", "as of", required=True, aliases=("วันที่", "cut-over date"), example="31/12/2567",
          note_th="วันเดียวกันทุกแถว", note_en="the same date on every row"),
)

METHOD = Coded("method", (Choice(schedule.FLAT, "ดอกเบี้ยคงที่", "flat"),
                          Choice(schedule.DECLINING, "ลดต้นลดดอก", "declining"),
                          Choice(schedule.EQUAL_PRINCIPAL, "เงินต้นเท่ากัน", "equal principal")), {
    "คงที่": schedule.FLAT, "flat rate": schedule.FLAT, "ดอกเบี้ยเต็มต้น": schedule.FLAT, "เต็มต้น": schedule.FLAT,
    "ลดต้นลดดอกงวดเท่ากัน": schedule.DECLINING, "งวดเท่ากัน": schedule.DECLINING, "ลดต้น": schedule.DECLINING,
    "declining balance": schedule.DECLINING, "emi": schedule.DECLINING,
    "ลดต้นลดดอกเงินต้นเท่ากัน": schedule.EQUAL_PRINCIPAL, "ต้นเท่ากัน": schedule.EQUAL_PRINCIPAL,
    "equal-principal": schedule.EQUAL_PRINCIPAL,
})
PER = Coded("per", (Choice(schedule.PER_YEAR, "ต่อปี", "a year"), Choice(schedule.PER_MONTH, "ต่อเดือน", "a month")), {
    "ปี": schedule.PER_YEAR, "year": schedule.PER_YEAR, "ต่อปี": schedule.PER_YEAR, "yearly": schedule.PER_YEAR,
    "เดือน": schedule.PER_MONTH, "month": schedule.PER_MONTH, "monthly": schedule.PER_MONTH,
})
EVERY = Coded("every", (Choice(schedule.WEEK, "รายสัปดาห์", "weekly"), Choice(schedule.MONTH, "รายเดือน", "monthly"),
                        Choice(schedule.YEAR, "รายปี", "yearly")), {
    "สัปดาห์": schedule.WEEK, "อาทิตย์": schedule.WEEK, "week": schedule.WEEK, "ทุกสัปดาห์": schedule.WEEK,
    "เดือน": schedule.MONTH, "month": schedule.MONTH, "ทุกเดือน": schedule.MONTH, "เดือนละครั้ง": schedule.MONTH,
    "ปี": schedule.YEAR, "year": schedule.YEAR, "ทุกปี": schedule.YEAR, "ปีละครั้ง": schedule.YEAR,
    "ชำระครั้งเดียว": schedule.YEAR,
})


class Products:
    """A group's loan products by code and by Thai or English name, with their versions."""

    def __init__(self, organisation):
        self.by_word: dict[str, LoanProduct] = {}
        self.versions: dict[int, list] = {}
        for p in LoanProduct.objects.filter(organisation=organisation).prefetch_related("versions"):
            self.versions[p.pk] = sorted(p.versions.all(), key=lambda v: v.effective_from)
            for word in (p.code, p.name_th, p.name_en):
                if word:
                    self.by_word.setdefault(word.strip().lower(), p)

    def find(self, cell) -> LoanProduct | None:
        return self.by_word.get(cells.text(cell).strip().lower())

    def version(self, product: LoanProduct, on: dt.date | None):
        """The version in force on ``on``; before the first one, the first (a loan older than the
        product's record in the app follows its earliest terms unless the file gives others)."""
        versions = self.versions.get(product.pk) or []
        if on is not None:
            for v in reversed(versions):
                if v.effective_from <= on:
                    return v
        return versions[0] if versions else None


def _product_problem(cell, row: int) -> Problem:
    shown = cells.text(cell)[:40]
    if not shown:
        return required("product", "ประเภทเงินกู้", "the product", row)
    return Problem("product", f"ไม่มีประเภทเงินกู้ {shown} ในกลุ่มนี้ (ตั้งประเภทเงินกู้ก่อน)",
                   f"no loan product {shown} in this group (set the product up first)", row=row, value=shown,
                   code="no_product")


def _amount(raw, key: str, row: int, found: list[Problem]) -> int | None:
    try:
        return cells.parse_amount(raw.get(key))
    except cells.CellError as exc:
        found.append(cell_problem(key, exc, row, raw.get(key)))
        return None


def _rate(raw, row: int, found: list[Problem]) -> Decimal | None:
    shown = cells.text(raw.get("rate")).replace("%", "").replace(",", "").strip()
    try:
        return Decimal(shown)
    except InvalidOperation:
        found.append(Problem("rate", "อัตราดอกเบี้ยต้องเป็นตัวเลข เช่น 12 หรือ 1.25", "the rate must be a number, "
                             "e.g. 12 or 1.25", row=row, value=shown[:40], code="not_a_number"))
        return None


def _term(raw, row: int, found: list[Problem]) -> int | None:
    shown = cells.text(raw.get("term")).strip()
    number = re.sub(r"(\.0+)$", "", shown)
    if number.isdigit():
        return int(number)
    found.append(Problem("term", "จำนวนงวดต้องเป็นจำนวนเต็ม", "the term must be a whole number", row=row,
                         value=shown[:40], code="not_a_number"))
    return None


def _terms(version, raw, row: int, found: list[Problem]) -> schedule.Terms | None:
    """The product version's terms with what the file gives in their place."""
    if version is None:
        return None
    data = dict(version.terms)
    for key in ("method", "per", "every"):
        if not cells.is_blank(raw.get(key)):
            data[key] = raw[key]  # a code (``imports.values`` translated the word)
    if not cells.is_blank(raw.get("rate")):
        data["rate"] = _rate(raw, row, found)
    if not cells.is_blank(raw.get("term")):
        data["term"] = _term(raw, row, found)
    if data.get("rate") is None or data.get("term") is None:
        return None
    return schedule.Terms.from_dict(data)


def _guarantors(members: MemberIndex, cell, row: int, found: list[Problem]) -> tuple:
    out = []
    for word in re.split(r"[,;/\s]+", cells.text(cell).strip()):
        if not word:
            continue
        number = cells.digits(word) or word
        member = members.find(number, number if len(number) == 13 else "")
        if member is None:
            found.append(Problem("guarantors", f"ไม่พบผู้ค้ำประกัน {word[:20]} ในกลุ่มนี้",
                                 f"no guarantor {word[:20]} in this group", row=row, value=word[:20],
                                 code="no_member"))
        else:
            out.append(member)
    return tuple(out)


def unallocated(organisation, as_of: dt.date) -> int:
    """What the books hold of 1300 at ``as_of`` that is no borrower's yet: the opening balance
    brought forward in total, less what went to loans."""
    sums = (JournalLine.objects.filter(organisation=organisation, member__isnull=True, date__lte=as_of,
                                       account__standard_code=chart.LOANS)
            .aggregate(d=Sum("debit"), c=Sum("credit")))
    return (sums["d"] or 0) - (sums["c"] or 0)


# --- loans ---------------------------------------------------------------------------------------

def check_loans(organisation, rows, *, today=None):
    today = today or today_local()
    members = MemberIndex(organisation)
    products = Products(organisation)
    closed = last_closed_period(organisation)
    problems: list[Problem] = []
    accepted = []
    dates: dict[dt.date, int] = {}
    total = paid_total = 0
    for row, raw in rows:
        found: list[Problem] = []
        number, id_value, member = members.resolve(raw.get("member"), raw.get("national_id"))
        if member is None:
            found.append(member_ref_problem(number, id_value, row))
        product = products.find(raw.get("product"))
        if product is None:
            found.append(_product_problem(raw.get("product"), row))
        principal = _amount(raw, "principal", row, found)
        paid = _amount(raw, "paid", row, found)
        balance = _amount(raw, "balance", row, found)
        disbursed = past_date(raw, "disbursed_on", row, found, today)
        first_due = None
        if not cells.is_blank(raw.get("first_due")):
            try:
                first_due = cells.parse_date(raw.get("first_due"))
            except cells.CellError as exc:
                found.append(cell_problem("first_due", exc, row, raw.get("first_due")))
        day = past_date(raw, "date", row, found, today)
        if day is not None:
            dates.setdefault(day, row)
            found += at_row(check_month_open(closed, day, "date"), row)
        version = products.version(product, disbursed) if product is not None else None
        terms = _terms(version, raw, row, found)
        guarantors = _guarantors(members, raw.get("guarantors"), row, found)
        if found:
            problems += found
            continue
        subject = rules.BroughtForward(organisation, member, version, principal, terms, disbursed, first_due,
                                       paid, balance, guarantors, day)
        found = at_row(problems_of(rules.BRING_FORWARD, subject), row)
        if found:
            problems += found
            continue
        total += balance
        paid_total += paid
        accepted.append((row, {"member_id": member.pk, "version_id": version.pk, "principal": principal,
                               "terms": terms.as_dict(), "disbursed_on": disbursed, "first_due": first_due,
                               "paid": paid, "balance": balance, "guarantors": [g.pk for g in guarantors],
                               "purpose": cells.text(raw.get("purpose")).strip()[:255], "date": day}))
    if len(dates) > 1:
        problems.append(Problem("date", "วันที่ยอดยกมาต้องเป็นวันเดียวกันทุกแถว", "every row needs the same cut-over date",
                                value=", ".join(d.isoformat() for d in sorted(dates)), code="dates"))
    elif dates:
        books = unallocated(organisation, next(iter(dates)))
        if total != books:
            problems.append(Problem(
                "balance", f"เงินต้นคงเหลือรวมในไฟล์ {format_baht(total)} บาท (แถวที่ผ่านการตรวจ) ไม่เท่ากับยอดยกมาของบัญชี 1300 "
                           f"ลูกหนี้เงินกู้ {format_baht(books)} บาท (นำเข้ายอดยกมาก่อน หรือแก้ไฟล์)",
                f"the file's outstanding balances, {format_baht(total)} baht (rows that passed), differ from the "
                f"books' opening balance of 1300 loans to members, {format_baht(books)} baht (import the opening "
                "balances first, or correct the file)", value=format_baht(total - books), code="opening_differs"))
    if any(p.row is None for p in problems):
        accepted = []  # the opening entry is all or nothing
    summary = {"loans": len(accepted), "outstanding": total, "paid": paid_total}
    return accepted, problems, summary


def commit_loans(job, organisation, actor, rows) -> int:
    """The loans through ``loans.bulk.loans_bring_forward``: one opening entry for them all."""
    if not rows:
        return 0
    people = Member.objects.in_bulk({pk for _, d in rows for pk in (d["member_id"], *d["guarantors"])})
    versions = LoanProductVersion.objects.select_related("product").in_bulk({d["version_id"] for _, d in rows})
    as_of = rows[0][1]["date"]
    subjects = [rules.BroughtForward(organisation, people[d["member_id"]], versions[d["version_id"]], d["principal"],
                                     schedule.Terms.from_dict(d["terms"]), d["disbursed_on"], d["first_due"],
                                     d["paid"], d["balance"], tuple(people[g] for g in d["guarantors"]), as_of)
                for _, d in rows]
    bulk.loans_bring_forward(actor=actor, organisation=organisation, as_of=as_of, loans=subjects,
                             purposes=[d["purpose"] for _, d in rows], idempotency_key=idem_key(job, "all"),
                             source=("imports.importjob", str(job.pk)),
                             memo=f"ยอดยกมาเงินกู้สมาชิก (นำเข้า {job.file_name}) / members' loans brought forward")
    return len(rows)


LOANS_SPEC = KindSpec(
    "loans", "เงินกู้คงค้างยกมา", "Running loans brought forward", LOAN_FIELDS, check_loans, commit_loans,
    one_batch=True, alternatives=(("member", "national_id"),), coded=(METHOD, PER, EVERY),
    instructions_th=(
        ("หนึ่งแถวต่อสัญญาเงินกู้ที่ยังไม่ปิด ณ วันที่ยอดยกมา: ผู้กู้ ประเภทเงินกู้ เงินต้น วันที่รับเงินกู้ ชำระแล้ว "
         "(เงินต้นและดอกเบี้ยรวมกัน) เงินต้นคงเหลือ และผู้ค้ำประกัน"),
        "เงื่อนไข (วิธีคิดดอกเบี้ย อัตรา จำนวนงวด ชำระทุก) ว่างไว้ = ตามประเภทเงินกู้",
        ("นำเข้ายอดยกมา (งบทดลอง) ก่อน: เงินต้นคงเหลือรวมต้องเท่ากับยอดยกมาของบัญชี 1300 ลูกหนี้เงินกู้ "
         "มิฉะนั้นไม่นำเข้าเลย"),
        "ระบบออกเลขที่สัญญาใหม่ตามลำดับของกลุ่ม และตารางผ่อนชำระแสดงงวดที่ชำระแล้วตามยอดชำระแล้ว",
    ),
    instructions_en=(
        ("One row per loan still running at the cut-over date: borrower, product, principal, date paid out, "
         "paid so far (principal and interest together), outstanding principal and guarantors."),
        "Terms (method, rate, term, repaid every) left blank are the product's.",
        ("Import the opening balances (the trial balance) first: the outstanding balances must add up to the "
         "books' opening balance of 1300 loans to members, or nothing is imported."),
        "Loans are numbered in the group's series; each schedule shows the instalments paid so far.",
    ),
)


# --- loan-repayments -----------------------------------------------------------------------------

REPAYMENT_FIELDS = (
    Field("loan", "เลขที่สัญญา", "loan number", aliases=("สัญญาเลขที่", "สัญญา", "loan", "loan no"), example="12",
          note_th="หรือเลขที่สมาชิกของผู้กู้ที่มีเงินกู้สัญญาเดียว", note_en="or the member number of a borrower with one loan"),
    Field("member", "เลขที่สมาชิก", "member number", aliases=("member_number", "เลขสมาชิก", "ผู้กู้"), example=""),
    Field("date", "วันที่ชำระ", "date", required=True, aliases=("วันที่", "date paid"), example="05/01/2568"),
    Field("amount", "จำนวนเงิน", "amount", required=True, aliases=("ยอดชำระ", "ยอดเงิน"), example="1,800.00"),
)


class LoanIndex:
    """A group's loans that were paid out, by number and by borrower (a borrower's running ones)."""

    def __init__(self, organisation):
        self.by_number: dict[int, Loan] = {}
        self.running: dict[int, list[Loan]] = {}
        for loan in (Loan.objects.filter(organisation=organisation, disbursed_on__isnull=False)
                     .select_related("member", "organisation")):
            self.by_number[loan.number] = loan
            if loan.status == Loan.Status.DISBURSED:
                self.running.setdefault(loan.member_id, []).append(loan)


class Standing:
    """A loan as the file's earlier rows leave it: status, schedule, what is settled, the
    penalty owed and the date of its latest transaction."""

    def __init__(self, loan: Loan):
        self.loan = copy.copy(loan)  # its status changes as rows close it; never saved
        self.instalments = selectors.schedule_of(loan)
        self.settled, self.penalty = selectors.settled_and_penalty(loan)
        self.last = selectors.last_transaction_date(loan)

    @property
    def owed(self) -> int:
        return allocation.owed(self.instalments, self.settled, penalty=self.penalty) if self.instalments else 0

    def take(self, amount: int, day: dt.date) -> None:
        """A repayment of ``amount``; what is above the amount owed goes to savings (the rules
        allowed it), so the loan takes at most what it owed."""
        owed = self.owed
        parts = allocation.allocate(self.instalments, self.settled, min(amount, owed), penalty=self.penalty,
                                    order=selectors.allocation_order(self.loan))
        self.settled = self.settled + parts
        self.penalty -= parts.penalty
        self.last = day
        if amount >= owed:
            self.loan.status = Loan.Status.CLOSED


def check_repayments(organisation, rows, *, today=None):
    today = today or today_local()
    index = LoanIndex(organisation)
    members = MemberIndex(organisation)
    closed = last_closed_period(organisation)
    states: dict[int, Standing] = {}
    problems: list[Problem] = []
    accepted = []
    total = 0
    for row, raw in rows:
        found: list[Problem] = []
        loan = None
        if not cells.is_blank(raw.get("loan")):
            shown = cells.text(raw.get("loan")).strip()[:40]
            number = cells.digits(shown)
            loan = index.by_number.get(int(number)) if number else None
            if loan is None:
                found.append(Problem("loan", f"ไม่มีเงินกู้สัญญาเลขที่ {shown} ที่จ่ายเงินแล้ว",
                                     f"no loan {shown} that was paid out", row=row, value=shown, code="no_loan"))
        else:
            number, _id, member = members.resolve(raw.get("member"), None)
            if member is None:
                found.append(member_ref_problem(number, "", row))
            else:
                running = index.running.get(member.pk, [])
                if len(running) == 1:
                    loan = running[0]
                else:
                    found.append(Problem(
                        "member", f"สมาชิก {member.number} มีเงินกู้ที่ยังไม่ปิด {len(running)} สัญญา ให้ระบุเลขที่สัญญา",
                        f"member {member.number} has {len(running)} running loans: give the loan number", row=row,
                        value=member.number, code="which_loan"))
        amount = None
        try:
            amount = cells.parse_amount(raw.get("amount"))
        except cells.CellError as exc:
            found.append(cell_problem("amount", exc, row, raw.get("amount")))
        day = past_date(raw, "date", row, found, today)
        if day is not None:
            found += at_row(check_month_open(closed, day, "date"), row)
        if loan is not None and day is not None:
            state = states.get(loan.pk) or states.setdefault(loan.pk, Standing(loan))
            if state.last is not None and day < state.last and not found:
                found.append(Problem("date", f"สัญญา {loan.number} มีรายการถึงวันที่ {state.last:%d/%m/%Y} แล้ว "
                                             "รายการที่นำเข้าต้องเรียงตามวันที่และอยู่หลังจากนั้น",
                                     f"loan {loan.number} has transactions up to {state.last.isoformat()}: rows must "
                                     "come in date order after them", row=row, value=day.isoformat(), code="order"))
            if amount is not None and not found:
                over = amount > state.owed  # refused, or the surplus into savings where the product says so
                found += at_row(problems_of(rules.IMPORTED_REPAY, rules.LoanAct(
                    state.loan, None, date=day, amount=amount, owed=state.owed,
                    savings_target=loans.surplus_target(state.loan, day) if over else None)), row)
        if found:
            problems += found
            continue
        state.take(amount, day)
        total += amount
        accepted.append((row, {"loan_id": loan.pk, "date": day, "amount": amount}))
    return accepted, problems, {"repayments": len(accepted), "total": total}


def commit_repayments(job, organisation, actor, rows) -> int:
    """Each row through ``loans.services.loan_repay``, in the file's order."""
    by_pk = Loan.objects.in_bulk({d["loan_id"] for _, d in rows})
    for _row, d in rows:
        loans.loan_repay(actor=actor, loan=by_pk[d["loan_id"]], amount=d["amount"], date=d["date"])
    return len(rows)


REPAYMENTS_SPEC = KindSpec(
    "loan-repayments", "รับชำระเงินกู้ย้อนหลัง", "Loan repayments", REPAYMENT_FIELDS, check_repayments,
    commit_repayments, alternatives=(("loan", "member"),),
    instructions_th=(
        "หนึ่งแถวต่อการชำระหนึ่งครั้ง: เลขที่สัญญา (หรือเลขที่สมาชิกของผู้กู้ที่มีเงินกู้สัญญาเดียว) วันที่ชำระ จำนวนเงิน",
        ("แต่ละสัญญาเรียงตามวันที่ และอยู่หลังรายการที่มีอยู่แล้ว; ระบบแบ่งเงินเข้างวดที่ค้างนานที่สุดก่อน "
         "(ค่าปรับ ดอกเบี้ย แล้วเงินต้น) ใบเสร็จละหนึ่งรายการ"),
        ("ไม่รับเงินเกินยอดค้าง (เว้นแต่ประเภทเงินกู้กำหนดให้ส่วนเกินเข้าบัญชีเงินฝากออมทรัพย์ของผู้กู้ "
         "ในใบเสร็จเดียวกัน) ไม่รับชำระสัญญาที่ปิดแล้วหรือตัดหนี้สูญแล้ว และไม่ลงในเดือนที่ปิดบัญชีแล้ว"),
    ),
    instructions_en=(
        ("One row per repayment: loan number (or the member number of a borrower with one running loan), "
         "date, amount."),
        ("Each loan's rows in date order, after its transactions already recorded; each is shared out oldest "
         "instalment first (penalty, interest, then principal), a receipt each."),
        ("No more than is owed (unless the loan product credits the surplus to the borrower's voluntary "
         "savings, on the same receipt), nothing to a closed or written-off loan, nothing in a closed month."),
    ),
)
