"""The ledger's statements for the report registry (rendered by ``omboon.reports.render``).

Every report takes a range: ``end`` defaults to today and ``start`` to the first of ``end``'s
month. Money is integer satang in ``MONEY`` columns.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from omboon.core.reporting import DATE, MONEY, TEXT, Column, Report, Table, note, register
from omboon.core.thaidate import format_date
from omboon.ledger import selectors


def _range(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    end = end or timezone.localdate()
    start = start or end.replace(day=1)
    return start, end


def _name(obj, lang: str) -> str:
    return obj.name(lang) if obj is not None else ""


def _code_name_columns() -> list[Column]:
    return [Column("code", "รหัสบัญชี", "Code"), Column("name", "ชื่อบัญชี", "Account")]


class LedgerReport(Report):
    groups_only = True


@register
class TrialBalanceReport(LedgerReport):
    code = "trial-balance"
    title_th = "งบทดลอง"
    title_en = "Trial balance"

    def build(self, *, organisation, start, end, lang="th", params=None):
        start, end = _range(start, end)
        tb = selectors.trial_balance(organisation, end)
        rows = [{"code": r.account.code, "name": r.account.name(lang), "debit": r.debit, "credit": r.credit}
                for r in tb.rows]
        table = Table(f"ณ วันที่ {format_date(end)}", f"As of {format_date(end, lang='en')}",
                      [*_code_name_columns(), Column("debit", "เดบิต", "Debit", MONEY, total=True),
                       Column("credit", "เครดิต", "Credit", MONEY, total=True)], rows)
        return self.result(organisation, start, end, [table])


@register
class IncomeExpenditureReport(LedgerReport):
    code = "income-expenditure"
    title_th = "งบรายรับ-รายจ่าย"
    title_en = "Income and expenditure"

    def build(self, *, organisation, start, end, lang="th", params=None):
        start, end = _range(start, end)
        ie = selectors.income_expenditure(organisation, start, end)
        cols = [*_code_name_columns(),
                Column("period", "ช่วงนี้", "This period", MONEY),
                Column("year_to_date", "ตั้งแต่ต้นปีบัญชี", "Year to date", MONEY),
                Column("last_year", "ช่วงเดียวกันปีก่อน", "Same period last year", MONEY)]

        def section(title_th, title_en, rows, key):
            out = [{"code": "", "name": title_en if lang == "en" else title_th, "_style": "heading"}]
            out += [{"code": r.account.code, "name": r.account.name(lang), "period": r.period,
                     "year_to_date": r.year_to_date, "last_year": r.last_year, "_indent": 1} for r in rows]
            out.append({"code": "", "name": "รวม" + title_th if lang != "en" else f"Total {title_en.lower()}",
                        "_style": "subtotal", **{c: ie.total(key, c) for c in ("period", "year_to_date",
                                                                                "last_year")}})
            return out

        rows = [*section("รายรับ", "Income", ie.income, "income"),
                *section("รายจ่าย", "Expenditure", ie.expenditure, "expenditure"),
                {"code": "", "name": "รายรับสูงกว่า (ต่ำกว่า) รายจ่าย" if lang != "en" else "Surplus (deficit)",
                 "_style": "subtotal", **{c: ie.surplus(c) for c in ("period", "year_to_date", "last_year")}}]
        table = Table(f"{format_date(start)} – {format_date(end)}",
                      f"{format_date(start, lang='en')} – {format_date(end, lang='en')}", cols, rows)
        return self.result(organisation, start, end, [table],
                           notes=[note(lang, f"ปีบัญชีเริ่ม {format_date(ie.fiscal_year_start)}",
                                       f"fiscal year from {format_date(ie.fiscal_year_start, lang='en')}")])


@register
class FinancialPositionReport(LedgerReport):
    code = "financial-position"
    title_th = "งบแสดงฐานะการเงิน"
    title_en = "Statement of financial position"

    def build(self, *, organisation, start, end, lang="th", params=None):
        start, end = _range(start, end)
        fp = selectors.financial_position(organisation, end)
        en = lang == "en"

        def section(title_th, title_en, rows, total_th, total_en, total):
            out = [{"code": "", "name": title_en if en else title_th, "_style": "heading"}]
            out += [{"code": r.account.code if r.account else "", "name": r.label_en if en else r.label_th,
                     "amount": r.amount, "_indent": 1} for r in rows]
            out.append({"code": "", "name": total_en if en else total_th, "amount": total, "_style": "subtotal"})
            return out

        rows = [
            *section("สินทรัพย์", "Assets", fp.assets, "รวมสินทรัพย์", "Total assets", fp.total_assets),
            *section("หนี้สิน", "Liabilities", fp.liabilities, "รวมหนี้สิน", "Total liabilities",
                     fp._sum(fp.liabilities)),
            *section("ทุนและกองทุน", "Funds and equity", fp.equity, "รวมทุน", "Total equity", fp._sum(fp.equity)),
            {"code": "", "name": "Total liabilities and equity" if en else "รวมหนี้สินและทุน",
             "amount": fp.total_liabilities_and_equity, "_style": "subtotal"},
        ]
        table = Table(f"ณ วันที่ {format_date(end)}", f"As of {format_date(end, lang='en')}",
                      [*_code_name_columns(), Column("amount", "จำนวนเงิน", "Amount", MONEY)], rows)
        return self.result(organisation, start, end, [table])


def _book_table(book: selectors.AccountBook, lang: str) -> Table:
    en = lang == "en"
    sign = 1 if book.account.debit_normal else -1
    rows = [{"date": None, "document": "", "memo": "Balance brought forward" if en else "ยอดยกมา",
             "balance": sign * book.opening, "_style": "subtotal"}]
    rows += [{"date": ln.date, "document": ln.document, "memo": ln.memo, "fund": ln.fund, "debit": ln.debit or None,
              "credit": ln.credit or None, "balance": sign * ln.balance} for ln in book.lines]
    rows.append({"date": None, "document": "", "memo": "Balance carried forward" if en else "ยอดยกไป",
                 "debit": book.total_debit, "credit": book.total_credit, "balance": sign * book.closing,
                 "_style": "subtotal"})
    cols = [Column("date", "วันที่", "Date", DATE), Column("document", "เลขที่เอกสาร", "Document"),
            Column("memo", "รายการ", "Description"), Column("fund", "กองทุน", "Fund", TEXT),
            Column("debit", "เดบิต", "Debit", MONEY), Column("credit", "เครดิต", "Credit", MONEY),
            Column("balance", "คงเหลือ", "Balance", MONEY)]
    return Table(f"{book.account.code} {book.account.name_th}", f"{book.account.code} {book.account.name('en')}",
                 cols, rows)


@register
class CashBookReport(LedgerReport):
    code = "cash-book"
    title_th = "สมุดเงินสด"
    title_en = "Cash book"

    def build(self, *, organisation, start, end, lang="th", params=None):
        start, end = _range(start, end)
        return self.result(organisation, start, end,
                           [_book_table(selectors.cash_book(organisation, start, end), lang)])


@register
class GeneralLedgerReport(LedgerReport):
    code = "general-ledger"
    title_th = "บัญชีแยกประเภท"
    title_en = "General ledger"

    def build(self, *, organisation, start, end, lang="th", params=None):
        """``params["account"]``: one account code; without it every account that moved or
        has a balance."""
        start, end = _range(start, end)
        params = params or {}
        if params.get("account"):
            accounts = [selectors.account_by_code(organisation, params["account"])]
        else:
            used = {a for a, _f in selectors.balances(organisation, start - dt.timedelta(days=1))}
            used |= {a for a, _f in selectors.movements(organisation, start, end, exclude_closing=False)}
            accounts = [a for a in selectors.accounts(organisation) if a.pk in used]
        tables = [_book_table(selectors.account_book(organisation, a, start, end), lang) for a in accounts]
        return self.result(organisation, start, end, tables)


@register
class FundMovementReport(LedgerReport):
    code = "fund-movement"
    title_th = "งบแสดงการเปลี่ยนแปลงกองทุน"
    title_en = "Statement of fund movements"

    def build(self, *, organisation, start, end, lang="th", params=None):
        start, end = _range(start, end)
        rows = [{"code": r.fund.code, "name": r.fund.name(lang), "opening": r.opening, "income": r.income,
                 "expenditure": r.expenditure, "transfers": r.transfers, "closing": r.closing}
                for r in selectors.fund_movement(organisation, start, end)]
        cols = [Column("code", "รหัส", "Code"), Column("name", "กองทุน", "Fund"),
                Column("opening", "ยอดต้นงวด", "Opening", MONEY, total=True),
                Column("income", "รายรับ", "Income", MONEY, total=True),
                Column("expenditure", "รายจ่าย", "Expenditure", MONEY, total=True),
                Column("transfers", "โอนระหว่างกองทุน", "Transfers", MONEY, total=True),
                Column("closing", "ยอดปลายงวด", "Closing", MONEY, total=True)]
        table = Table(f"{format_date(start)} – {format_date(end)}",
                      f"{format_date(start, lang='en')} – {format_date(end, lang='en')}", cols, rows)
        return self.result(organisation, start, end, [table],
                           notes=[note(lang, "ยอดกองทุน = สินทรัพย์หักหนี้สินของกองทุน",
                                       "a fund's balance is its assets less its liabilities")])


CODES = ["trial-balance", "income-expenditure", "financial-position", "cash-book", "general-ledger",
         "fund-movement"]
