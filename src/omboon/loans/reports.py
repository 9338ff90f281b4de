"""Loan reports for the registry: the portfolio by aging bucket with PAR and the arrears rate
(``loan-aging``), every loan outstanding and the portfolio by product (``loan-portfolio``), and
the list for a collection day (``loans-due``: what each running loan owes by that day, by part).
Money is integer satang; they read ``selectors.standings`` (DESIGN.md "Arrears"), so their
outstanding principal adds up to 1300 in the books."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils import timezone

from omboon.core.money import format_baht
from omboon.core.reporting import DATE, INT, MONEY, PCT, Column, Report, Table, note, register
from omboon.core.thaidate import format_date
from omboon.ledger import chart
from omboon.ledger import selectors as ledger
from omboon.loans import allowance, arrears, selectors
from omboon.loans.allocation import Parts, remaining
from omboon.loans.models import Guarantor, Loan


def _pct(part: int, whole: int) -> float:
    return round(part * 100 / whole, 2) if whole else 0.0


def loans_in_books(organisation, on: dt.date) -> int:
    """The balance of 1300 (loans to members, debit − credit) in the group's books at ``on``."""
    return ledger.code_balance(organisation, chart.LOANS, on)


def _par_note(lang: str):
    return note(lang, "PAR30 คือเงินต้นคงค้างทั้งสัญญาของเงินกู้ที่มีงวดค้างชำระเกิน 30 วัน หารด้วยเงินต้นคงค้างทั้งหมด; "
                      "อัตราเงินต้นค้างชำระคือเฉพาะเงินต้นที่ถึงกำหนดแล้วยังไม่ชำระ เป็นคนละตัวเลขกับ PAR",
                "PAR30 is the whole outstanding principal of loans with an instalment more than 30 days "
                "overdue ÷ the gross outstanding principal; the arrears rate counts only the principal "
                "fallen due and unpaid, a different figure")


def _as_of(end: dt.date) -> tuple[str, str]:
    return f"ณ วันที่ {format_date(end)}", f"As of {format_date(end, lang='en')}"


@register
class LoanAgingReport(Report):
    code = "loan-aging"
    title_th = "อายุหนี้เงินกู้ค้างชำระและคุณภาพสินเชื่อ (PAR)"
    title_en = "Loan aging and portfolio at risk (PAR)"
    groups_only = True

    def build(self, *, organisation, start, end, lang="th", params=None):
        end = end or timezone.localdate()
        en = lang == "en"
        standings = selectors.standings(organisation, end)
        p = arrears.portfolio([s for _loan, s in standings])
        percents = allowance.percentages(organisation, end)
        needed = allowance.required(p, percents) if percents else []
        current = [s for _loan, s in standings if s.bucket is None]
        rows = [{"bucket": "Not overdue" if en else "ไม่ค้างชำระ", "loans": len(current),
                 "outstanding": sum(s.outstanding for s in current),
                 "share": _pct(sum(s.outstanding for s in current), p.gross), "percent": None, "required": 0}]
        for i, (b, (n, amount)) in enumerate(p.by_bucket.items()):
            label = arrears.bucket_label(b)
            rows.append({"bucket": f"{label} days overdue" if en else f"ค้าง {label} วัน", "loans": n,
                         "outstanding": amount, "share": _pct(amount, p.gross),
                         "percent": needed[i].percent if needed else None,
                         "required": needed[i].required if needed else 0})
        columns = [
            Column("bucket", "อายุหนี้ค้างชำระ", "Days overdue"),
            Column("loans", "จำนวนสัญญา", "Loans", INT, total=True),
            Column("outstanding", "เงินต้นคงค้าง (บาท)", "Outstanding principal (baht)", MONEY, total=True),
            Column("share", "สัดส่วน (%)", "Share (%)", PCT)]
        if needed:  # the bylaws set an allowance for doubtful loans: each bucket's part of it
            columns += [Column("percent", "ร้อยละค่าเผื่อหนี้สงสัยจะสูญ", "Allowance (%)", PCT),
                        Column("required", "ค่าเผื่อหนี้สงสัยจะสูญที่ต้องตั้ง (บาท)", "Allowance required (baht)",
                               MONEY, total=True)]
        else:
            rows = [{k: v for k, v in r.items() if k not in ("percent", "required")} for r in rows]
        th, en_title = _as_of(end)
        buckets = Table(th, en_title, columns, rows)
        quality = [{"item": f"PAR{d}", "amount": p.at_risk[d], "share": _pct(p.at_risk[d], p.gross)}
                   for d in (1, 30, 60, 90)]
        quality.append({"item": "Arrears rate (not PAR)" if en else "อัตราเงินต้นค้างชำระ (ไม่ใช่ PAR)",
                        "amount": p.overdue_principal, "share": _pct(p.overdue_principal, p.gross)})
        if needed:
            total = sum(b.required for b in needed)
            quality.append({"item": "Allowance for doubtful loans required" if en else "ค่าเผื่อหนี้สงสัยจะสูญที่ต้องตั้ง",
                            "amount": total, "share": _pct(total, p.gross)})
        held = allowance.balance_in_books(organisation, end)
        if needed or held:
            quality.append({"item": "Allowance for doubtful loans, 1320, in the books" if en
                            else "ค่าเผื่อหนี้สงสัยจะสูญ 1320 ในสมุดบัญชี", "amount": held, "share": _pct(held, p.gross)})
        books = loans_in_books(organisation, end)
        recon = [{"item": "Loans to members, 1300, in the books" if en else "ลูกหนี้เงินกู้ 1300 ในสมุดบัญชี",
                  "amount": books, "share": None},
                 {"item": "Difference" if en else "ผลต่าง", "amount": p.gross - books, "share": None}]
        tables = [buckets,
                  Table("คุณภาพสินเชื่อ", "Portfolio quality", [
                      Column("item", "รายการ", "Item"),
                      Column("amount", "เงินต้น (บาท)", "Principal (baht)", MONEY),
                      Column("share", "ร้อยละของเงินต้นคงค้าง", "% of gross outstanding", PCT)], quality + recon)]
        notes = [_par_note(lang),
                 note(lang, "จำนวนวันค้างนับจากวันครบกำหนดของงวดที่เก่าที่สุดที่ยังชำระไม่ครบ; ผลต่างกับบัญชี 1300 ต้องเป็นศูนย์",
                      "days overdue count from the oldest due date not fully paid; the difference from 1300 "
                      "must be zero")]
        if needed:
            notes.append(note(lang, "ค่าเผื่อหนี้สงสัยจะสูญที่ต้องตั้ง = เงินต้นคงค้างของแต่ละช่วงอายุหนี้ × ร้อยละตามข้อบังคับ "
                                    "ทุกสิ้นเดือนที่ปิดบัญชีจะลงรายการปรับปรุงบัญชี 1320 ให้เท่ายอดนี้ (เดบิต/เครดิต 5510 หนี้สงสัยจะสูญ)",
                              "the allowance required = each aging bucket's outstanding principal × the bylaws' "
                              "percentage; closing a month posts an adjustment bringing 1320 to it (against 5510 "
                              "doubtful loans expense)"))
        return self.result(organisation, None, end, tables, notes=notes, signatures=False)


@register
class LoanPortfolioReport(Report):
    """Every loan outstanding on the day — its borrower, product, principal, what is left and
    how late it is — and the same added up by product with its PAR30: the committee's register
    of the portfolio (``loan-aging`` gives the buckets, the allowance and the books)."""

    code = "loan-portfolio"
    title_th = "ทะเบียนเงินกู้คงค้างและคุณภาพสินเชื่อรายประเภท"
    title_en = "Loan portfolio: loans outstanding and quality by product"
    groups_only = True

    def build(self, *, organisation, start, end, lang="th", params=None):
        end = end or timezone.localdate()
        en = lang == "en"
        standing = {held.pk: s for held, s in selectors.standings(organisation, end)}
        loans = (Loan.objects.filter(pk__in=list(standing)).order_by("number")
                 .select_related("member", "product_version__product")
                 .only("number", "disbursed_on", "principal", "member__number", "member__title",
                       "member__first_name", "member__last_name", "product_version__product__code",
                       "product_version__product__name_th", "product_version__product__name_en"))
        rows, by_product = [], {}
        for loan in loans:
            s, product = standing[loan.pk], loan.product_version.product
            code = product.code
            bucket = arrears.bucket_label(s.bucket) if s.bucket else ""
            rows.append({"loan": str(loan.number), "member": loan.member.number, "name": loan.member.full_name,
                         "product": code, "disbursed": loan.disbursed_on, "principal": loan.principal,
                         "outstanding": s.outstanding, "overdue": s.overdue_principal, "days": s.days_overdue,
                         "bucket": (f"{bucket} days" if en else f"{bucket} วัน") if bucket else ""})
            name = (product.name_en or product.name_th) if en else product.name_th
            p = by_product.setdefault(code, {"product": f"{code} {name}",
                                             "loans": 0, "outstanding": 0, "overdue": 0, "par30": 0})
            p["loans"] += 1
            p["outstanding"] += s.outstanding
            p["overdue"] += s.overdue_principal
            p["par30"] += s.outstanding if s.days_overdue > 30 else 0
        products = [{**p, "share": _pct(p["par30"], p["outstanding"])} for _code, p in sorted(by_product.items())]
        th, en_title = _as_of(end)
        tables = [
            Table(f"รายประเภทเงินกู้ {th}", f"By product, {en_title[0].lower()}{en_title[1:]}", [
                Column("product", "ประเภทเงินกู้", "Product"),
                Column("loans", "จำนวนสัญญา", "Loans", INT, total=True),
                Column("outstanding", "เงินต้นคงค้าง (บาท)", "Outstanding principal (baht)", MONEY, total=True),
                Column("overdue", "เงินต้นค้างชำระ (บาท)", "Principal overdue (baht)", MONEY, total=True),
                Column("par30", "เงินต้นคงค้างที่ค้างเกิน 30 วัน (บาท)", "Outstanding over 30 days overdue (baht)",
                       MONEY, total=True),
                Column("share", "PAR30 (%)", "PAR30 (%)", PCT)], products),
            Table("สัญญาเงินกู้คงค้าง", "Loans outstanding", [
                Column("loan", "สัญญาเลขที่", "Loan"), Column("member", "เลขที่สมาชิก", "Member no."),
                Column("name", "ชื่อ-สกุล", "Name"), Column("product", "ประเภท", "Product"),
                Column("disbursed", "วันที่จ่ายเงินกู้", "Disbursed", DATE),
                Column("principal", "เงินกู้ (บาท)", "Principal (baht)", MONEY, total=True),
                Column("outstanding", "เงินต้นคงค้าง (บาท)", "Outstanding (baht)", MONEY, total=True),
                Column("overdue", "เงินต้นค้างชำระ (บาท)", "Principal overdue (baht)", MONEY, total=True),
                Column("days", "ค้างชำระ (วัน)", "Days overdue", INT),
                Column("bucket", "ช่วงอายุหนี้", "Aging bucket")], rows)]
        notes = [_par_note(lang),
                 note(lang, "เงินต้นคงค้างรวมเท่ากับรายงานอายุหนี้ (loan-aging) และบัญชี 1300 ในสมุดบัญชี",
                      "the outstanding total equals the loan-aging report's and 1300 in the books")]
        return self.result(organisation, None, end, tables, notes=notes, signatures=False)


def due_parts(instalments, paid: Parts, on: dt.date) -> tuple[Parts, dt.date | None, int]:
    """What is due by ``on``, by part, the oldest unpaid due date and the number of instalments
    with something still due."""
    due, oldest, count = Parts(), None, 0
    for i, left in zip(instalments, remaining(instalments, paid)):
        if i.due <= on and left.total:
            due, count = due + left, count + 1
            oldest = oldest or i.due
    return due, oldest, count


@register
class LoansDueReport(Report):
    code = "loans-due"
    title_th = "รายการเงินกู้ที่ต้องชำระในวันเก็บเงิน"
    title_en = "Loan repayments due on the collection day"
    groups_only = True

    def build(self, *, organisation, start, end, lang="th", params=None):
        end = end or timezone.localdate()
        loans = list(Loan.objects.filter(organisation=organisation, status=Loan.Status.DISBURSED,
                                         disbursed_on__lte=end).select_related("member")
                     .order_by("member__number", "number"))
        paid_by = selectors._paid_by_loan(loans, end)
        rows = []
        for loan in loans:
            due, oldest, count = due_parts(selectors.schedule_of(loan), paid_by.get(loan.pk, Parts()), end)
            if not due.total:
                continue
            rows.append({"member": loan.member.number, "name": loan.member.full_name, "loan": str(loan.number),
                         "since": oldest, "instalments": count, "interest": due.interest,
                         "principal": due.principal, "penalty": due.penalty + due.fee, "total": due.total})
        th, en = (f"ครบกำหนดถึงวันที่ {format_date(end)}", f"Due by {format_date(end, lang='en')}")
        table = Table(th, en, [
            Column("member", "เลขที่สมาชิก", "Member no."), Column("name", "ชื่อ-สกุล", "Name"),
            Column("loan", "สัญญาเลขที่", "Loan"), Column("since", "งวดค้างตั้งแต่", "Oldest due", DATE),
            Column("instalments", "จำนวนงวด", "Instalments", INT),
            Column("interest", "ดอกเบี้ย (บาท)", "Interest (baht)", MONEY, total=True),
            Column("principal", "เงินต้น (บาท)", "Principal (baht)", MONEY, total=True),
            Column("penalty", "ค่าปรับและค่าธรรมเนียม (บาท)", "Penalty and fees (baht)", MONEY, total=True),
            Column("total", "รวมต้องชำระ (บาท)", "Total due (baht)", MONEY, total=True)], rows)
        notes = [note(lang, "ทุกงวดที่ครบกำหนดถึงวันนั้นหักส่วนที่ชำระแล้ว (งวดเก่าที่สุดก่อน) ตรงกับยอดที่กรอกไว้ในหน้าวันเก็บเงิน",
                      "every instalment due by the day less what was paid (oldest first), as pre-filled on the "
                      "collection day's page")]
        return self.result(organisation, None, end, [table], notes=notes, signatures=False)


def _loan_of(organisation, params: dict) -> list[Loan]:
    """The loans a statement is asked for: ``loan=NUMBER`` (one), or ``member=NUMBER`` (every
    disbursed loan of the member)."""
    qs = selectors.loans_of(organisation).filter(status__in=(*selectors.LIVE, Loan.Status.WRITTEN_OFF))
    number, member = str(params.get("loan") or "").strip(), str(params.get("member") or "").strip()
    if number.isdigit():
        return list(qs.filter(number=int(number)).order_by("organisation__code", "number"))
    if member:
        return list(qs.filter(member__number=member).order_by("number"))
    raise Http404("ระบุสัญญาด้วย loan=เลขที่สัญญา หรือ member=เลขที่สมาชิก / give loan=NUMBER or member=NUMBER")


@register
class LoanStatementReport(Report):
    code = "loan-statement"
    title_th = "รายการเคลื่อนไหวเงินกู้รายสัญญา"
    title_en = "Loan statement"
    per_member = True  # of one loan (or a member's loans), opened with loan= or member=

    def build(self, *, organisation, start, end, lang="th", params=None):
        end = end or timezone.localdate()
        tables = []
        for loan in _loan_of(organisation, params or {}):
            instalments = selectors.schedule_of(loan)
            paid = selectors._paid_by_loan([loan], end).get(loan.pk, Parts())
            left = remaining(instalments, paid)
            head = ((f"สัญญาเลขที่ {loan.number} {loan.member.full_name} เงินกู้ {format_baht(loan.principal)} บาท "
                     f"รับเงิน {format_date(loan.disbursed_on)}"),
                    (f"Loan {loan.number}, {loan.member.full_name}, {format_baht(loan.principal)} baht, disbursed "
                     f"{format_date(loan.disbursed_on, lang='en')}"))
            tables.append(Table(f"{head[0]}: ตารางผ่อนชำระ", f"{head[1]}: schedule", [
                Column("n", "งวดที่", "No.", INT), Column("due", "ครบกำหนด", "Due", DATE),
                Column("principal", "เงินต้น", "Principal", MONEY, total=True),
                Column("interest", "ดอกเบี้ย", "Interest", MONEY, total=True),
                Column("total", "รวม", "Total", MONEY, total=True),
                Column("left", "ยังค้าง", "Still owed", MONEY, total=True),
                Column("balance", "เงินต้นคงเหลือตามตาราง", "Scheduled balance", MONEY)],
                [{"n": i.n, "due": i.due, "principal": i.principal, "interest": i.interest, "total": i.total,
                  "left": r.total, "balance": i.balance} for i, r in zip(instalments, left)]))
            balance, rows = loan.principal, []
            for rep in (loan.repayments.filter(reversal__isnull=True, date__lte=end).select_related("entry")
                        .order_by("date", "pk")):
                balance -= rep.principal
                rows.append({"date": rep.date, "document": rep.entry.document_number if rep.entry_id else "",
                             "penalty": rep.penalty + rep.fee, "interest": rep.interest, "principal": rep.principal,
                             "amount": rep.amount, "balance": balance})
            tables.append(Table(f"{head[0]}: การชำระ", f"{head[1]}: repayments", [
                Column("date", "วันที่", "Date", DATE), Column("document", "เลขที่เอกสาร", "Document"),
                Column("penalty", "ค่าปรับและค่าธรรมเนียม", "Penalty and fees", MONEY, total=True),
                Column("interest", "ดอกเบี้ย", "Interest", MONEY, total=True),
                Column("principal", "เงินต้น", "Principal", MONEY, total=True),
                Column("amount", "รวมชำระ", "Paid", MONEY, total=True),
                Column("balance", "เงินต้นคงเหลือ", "Principal outstanding", MONEY)], rows))
        notes = [note(lang, "ยังค้าง: ส่วนของแต่ละงวดที่ยังไม่ได้ชำระ (การชำระลงงวดเก่าที่สุดก่อน) ณ วันที่ของรายงาน; "
                            "รายการที่กลับรายการแล้วไม่นับ",
                      "still owed: each instalment's part not yet paid (repayments go to the oldest first) on "
                      "the report's date; reversed repayments do not count")]
        if not tables:
            notes.append(note(lang, "ไม่มีสัญญาเงินกู้", "no loan"))
        return self.result(organisation, None, end, tables, notes=notes, signatures=False)


@register
class GuarantorsReport(Report):
    code = "guarantors"
    title_th = "ผู้ค้ำประกันและภาระค้ำประกัน"
    title_en = "Guarantors and their exposure"
    groups_only = True

    def build(self, *, organisation, start, end, lang="th", params=None):
        end = end or timezone.localdate()
        rows_in = list(Guarantor.objects.filter(loan__organisation=organisation,
                                                loan__status__in=selectors.STANDING_FOR)
                       .select_related("member", "loan__member").order_by("member__number", "loan__number"))
        loans = [g.loan for g in rows_in]
        paid_by = selectors._paid_by_loan(loans, end)
        statuses = {v: (v if lang == "en" else str(label)) for v, label in Loan.Status.choices}
        rows = []
        for g in rows_in:
            loan = g.loan
            exposure = loan.principal
            if loan.status == Loan.Status.DISBURSED:
                exposure -= paid_by.get(loan.pk, Parts()).principal
            rows.append({"member": g.member.number, "name": g.member.full_name, "loan": str(loan.number),
                         "borrower": loan.member.full_name, "status": statuses.get(loan.status, loan.status),
                         "principal": loan.principal, "exposure": exposure})
        th, en = _as_of(end)
        table = Table(th, en, [
            Column("member", "เลขที่สมาชิก", "Member no."), Column("name", "ผู้ค้ำประกัน", "Guarantor"),
            Column("loan", "สัญญาเลขที่", "Loan"), Column("borrower", "ผู้กู้", "Borrower"),
            Column("status", "สถานะสัญญา", "Loan status"),
            Column("principal", "เงินกู้ (บาท)", "Principal (baht)", MONEY),
            Column("exposure", "ภาระค้ำประกัน (บาท)", "Exposure (baht)", MONEY, total=True)], rows)
        per = {}
        for r in rows:
            n, amount = per.get((r["member"], r["name"]), (0, 0))
            per[(r["member"], r["name"])] = (n + 1, amount + r["exposure"])
        summary = Table("รวมรายผู้ค้ำประกัน", "By guarantor", [
            Column("member", "เลขที่สมาชิก", "Member no."), Column("name", "ผู้ค้ำประกัน", "Guarantor"),
            Column("loans", "จำนวนสัญญา", "Loans", INT, total=True),
            Column("exposure", "ภาระค้ำประกันรวม (บาท)", "Total exposure (baht)", MONEY, total=True)],
            [{"member": m, "name": name, "loans": n, "exposure": amount} for (m, name), (n, amount) in per.items()])
        notes = [note(lang, "ภาระค้ำประกัน: เงินต้นคงค้างของสัญญาที่รับเงินแล้ว หรือวงเงินของคำขอและสัญญาที่อนุมัติแล้ว "
                            "(ตามที่ตรวจเมื่ออนุมัติ)",
                      "exposure: the outstanding principal of a disbursed loan, or the principal of an "
                      "application or approved loan (as checked at approval)")]
        return self.result(organisation, None, end, [summary, table], notes=notes, signatures=False)


# The year-end allocation's report (loans/year_end/reports.py) registers when this module is
# imported by the registry.
from omboon.loans.year_end import reports as year_end_reports  # noqa: E402, F401
