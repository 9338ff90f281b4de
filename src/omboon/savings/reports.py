"""Savings reports for the registry: every member account's balance at a date, reconciled
with the books (``savings-balances``), deposits, withdrawals and interest by month
(``savings-movements``) and the accounts that have stopped moving (``savings-dormant``).
Balances are the month-end snapshots and the lines since (``selectors.sub_balances``); money is
integer satang. A network sees its groups sharing full records, each account under its group."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from omboon.core import months
from omboon.core.reporting import DATE, INT, MONEY, TEXT, Column, Report, Table, note, register
from omboon.core.thaidate import format_date, format_month
from omboon.ledger import chart
from omboon.savings import selectors, services
from omboon.savings.models import KIND_ACCOUNT, Account, Kind

CODE_NAMES = {code: Kind(kind).label for kind, code in KIND_ACCOUNT.items()}
CODE_NAMES_EN = {chart.SAVINGS_DEPOSITS: "Compulsory savings", chart.VOLUNTARY_SAVINGS: "Voluntary savings",
                 chart.FIXED_DEPOSITS: "Fixed-term deposits", chart.SHARE_CAPITAL: "Shares"}


def code_name(code: str, lang: str) -> str:
    return CODE_NAMES_EN.get(code, code) if lang == "en" else str(CODE_NAMES.get(code, code))


def _status(account: Account, lang: str) -> str:
    return account.status if lang == "en" else str(Account.Status(account.status).label)


def _accounts(organisation, product: str = ""):
    qs = selectors.accounts(organisation).select_related("organisation")
    if product:
        qs = qs.filter(product__code=product.strip().upper())
    return qs.order_by("organisation__code", "number")


def _as_of(end: dt.date | None, lang: str) -> tuple[str, str]:
    end = end or timezone.localdate()
    return f"ณ วันที่ {format_date(end)}", f"As of {format_date(end, lang='en')}"


@register
class SavingsBalancesReport(Report):
    code = "savings-balances"
    title_th = "ยอดเงินฝากและหุ้นของสมาชิกรายบัญชี"
    title_en = "Members' savings and share balances"

    def build(self, *, organisation, start, end, lang="th", params=None):
        end = end or timezone.localdate()
        product = (params or {}).get("product") or ""
        by_sub = selectors.balances_in_scope(organisation, end)
        network = organisation.is_network
        rows, per_code, counted = [], {}, {}
        statuses = {v: (v if lang == "en" else str(label)) for v, label in Account.Status.choices}
        # plain values, not model instances: a group of thousands of accounts reads in one query
        for (group, number, member, title, first, last, product_th, product_en, status, closed_on, sub_id,
             code) in (_accounts(organisation, product).filter(opened_on__lte=end).values_list(
                "organisation__code", "number", "member__number", "member__title", "member__first_name",
                "member__last_name", "product__name_th", "product__name_en", "status", "closed_on",
                "sub_account_id", "sub_account__account__standard_code")):
            balance = by_sub.get(sub_id, 0)
            if status == Account.Status.CLOSED and not balance and closed_on and closed_on <= end:
                continue
            rows.append({"group": group, "number": number, "member": member,
                         "name": f"{title}{first} {last}".strip(),
                         "product": product_en if lang == "en" and product_en else product_th,
                         "status": statuses.get(status, status), "balance": balance})
            per_code[code] = per_code.get(code, 0) + balance
            counted[code] = counted.get(code, 0) + (1 if balance else 0)
        columns = [Column("number", "เลขที่บัญชี", "Account"), Column("member", "เลขที่สมาชิก", "Member no."),
                   Column("name", "ชื่อ-สกุล", "Name"), Column("product", "ประเภท", "Product"),
                   Column("status", "สถานะ", "Status", TEXT),
                   Column("balance", "ยอดคงเหลือ (บาท)", "Balance (baht)", MONEY, total=True)]
        if network:
            columns.insert(0, Column("group", "กลุ่ม", "Group"))
        th, en = _as_of(end, lang)
        accounts = Table(th, en, columns, rows)
        tables = [accounts]
        notes = [note(lang, "ยอดคงเหลือจากรายการในสมุดบัญชีของแต่ละบัญชี (ยอด ณ สิ้นเดือนที่ปิดบัญชีแล้วบวกรายการหลังจากนั้น)",
                      "balances are each account's journal lines (the last closed month's snapshot and the "
                      "lines since)")]
        if not product:
            ledger = selectors.ledger_totals(organisation, end)
            recon = [{"code": code, "item": code_name(code, lang), "accounts": counted.get(code, 0),
                      "members": per_code.get(code, 0), "ledger": ledger.get(code, 0),
                      "difference": per_code.get(code, 0) - ledger.get(code, 0)}
                     for code in sorted(set(per_code) | set(ledger))]
            tables.append(Table("เทียบกับบัญชีแยกประเภท", "Against the books", [
                Column("code", "รหัสบัญชี", "Code"), Column("item", "รายการ", "Item"),
                Column("accounts", "บัญชีที่มียอด", "Accounts with a balance", INT, total=True),
                Column("members", "รวมบัญชีสมาชิก (บาท)", "Members' accounts (baht)", MONEY, total=True),
                Column("ledger", "ยอดในบัญชีแยกประเภท (บาท)", "In the books (baht)", MONEY, total=True),
                Column("difference", "ผลต่าง", "Difference", MONEY, total=True)], recon))
            notes.append(note(lang, "ผลต่างต้องเป็นศูนย์: เงินฝากและหุ้นในบัญชี 21xx/3400 คือผลรวมของบัญชีสมาชิก",
                              "the difference must be zero: 21xx/3400 in the books are the members' accounts "
                              "added up"))
        return self.result(organisation, None, end, tables, notes=notes, signatures=False)


@register
class SavingsMovementsReport(Report):
    code = "savings-movements"
    title_th = "ความเคลื่อนไหวเงินฝากและหุ้นรายเดือน"
    title_en = "Savings movements by month"

    def build(self, *, organisation, start, end, lang="th", params=None):
        end = end or timezone.localdate()
        if start is None:
            y, m = months.add(end.year, end.month, -11)
            start = dt.date(y, m, 1)
        moves = selectors.movements_by_month(organisation, start, end)
        by_month: dict[tuple[int, int], dict] = {}
        by_code: dict[str, dict] = {}
        for (y, m, code), kinds in moves.items():
            for target in (by_month.setdefault((y, m), {}), by_code.setdefault(code, {})):
                for k, v in kinds.items():
                    target[k] = target.get(k, 0) + v

        def row(kinds: dict) -> dict:
            other = kinds.get("opening", 0) + kinds.get("other", 0)
            return {"deposit": kinds.get("deposit", 0), "withdrawal": -kinds.get("withdrawal", 0),
                    "interest": kinds.get("interest", 0), "other": other,
                    "net": sum(kinds.get(k, 0) for k in selectors.MOVEMENT_KINDS)}

        amounts = [Column("deposit", "ฝาก (บาท)", "Deposits (baht)", MONEY, total=True),
                   Column("withdrawal", "ถอน (บาท)", "Withdrawals (baht)", MONEY, total=True),
                   Column("interest", "ดอกเบี้ย (บาท)", "Interest (baht)", MONEY, total=True),
                   Column("other", "ยอดยกมา/โอน (บาท)", "Opening and transfers (baht)", MONEY, total=True),
                   Column("net", "เพิ่มขึ้นสุทธิ (บาท)", "Net change (baht)", MONEY, total=True)]
        month_rows = [{"month": format_month(y, m, lang=lang), **row(k)} for (y, m), k in sorted(by_month.items())]
        code_rows = [{"code": c, "item": code_name(c, lang), **row(k)} for c, k in sorted(by_code.items())]
        period_th = f"{format_date(start)} – {format_date(end)}"
        period_en = f"{format_date(start, lang='en')} – {format_date(end, lang='en')}"
        tables = [Table(f"รายเดือน {period_th}", f"By month, {period_en}",
                        [Column("month", "เดือน", "Month"), *amounts], month_rows),
                  Table("ตามประเภทเงินฝาก", "By kind of savings",
                        [Column("code", "รหัสบัญชี", "Code"), Column("item", "ประเภท", "Kind"), *amounts], code_rows)]
        return self.result(organisation, start, end, tables, notes=[note(
            lang, "ฝาก = ใบเสร็จรับเงิน ถอน = ใบสำคัญจ่าย ดอกเบี้ย = การลงดอกเบี้ยแต่ละงวด; "
                  "รายการกลับรายการนับรวมกับรายการที่ถูกกลับ",
            "deposits are receipts, withdrawals payments, interest the interest runs; a reversal counts with "
            "the entry it reverses")])


@register
class SavingsDormantReport(Report):
    code = "savings-dormant"
    title_th = "บัญชีเงินฝากที่ไม่เคลื่อนไหว"
    title_en = "Dormant savings accounts"

    def build(self, *, organisation, start, end, lang="th", params=None):
        end = end or timezone.localdate()
        last = selectors.last_movements(organisation)
        by_sub = selectors.balances_in_scope(organisation, end)
        rows = []
        for a in _accounts(organisation).exclude(status=Account.Status.CLOSED).filter(opened_on__lte=end):
            n = int((a.organisation.bylaws or {}).get("savings_dormant_months") or services.DORMANT_MONTHS)
            moved = last.get(a.sub_account_id) or a.opened_on
            idle = months.completed(moved, end) if moved <= end else 0
            if a.status != Account.Status.DORMANT and idle < n:
                continue
            rows.append({"group": a.organisation.code, "number": a.number, "member": a.member.number,
                         "name": a.member.full_name, "product": a.product.name(lang), "status": _status(a, lang),
                         "last": last.get(a.sub_account_id), "idle": idle,
                         "balance": by_sub.get(a.sub_account_id, 0)})
        columns = [Column("number", "เลขที่บัญชี", "Account"), Column("member", "เลขที่สมาชิก", "Member no."),
                   Column("name", "ชื่อ-สกุล", "Name"), Column("product", "ประเภท", "Product"),
                   Column("status", "สถานะ", "Status"),
                   Column("last", "เคลื่อนไหวล่าสุด", "Last movement", DATE),
                   Column("idle", "ไม่เคลื่อนไหว (เดือน)", "Idle (months)", INT),
                   Column("balance", "ยอดคงเหลือ (บาท)", "Balance (baht)", MONEY, total=True)]
        if organisation.is_network:
            columns.insert(0, Column("group", "กลุ่ม", "Group"))
        th, en = _as_of(end, lang)
        return self.result(organisation, None, end, [Table(th, en, columns, rows)], signatures=False, notes=[note(
            lang, "บัญชีที่มีสถานะไม่เคลื่อนไหว และบัญชีปกติที่ไม่มีรายการนานเท่าที่ระเบียบกำหนด (12 เดือน หากไม่ได้กำหนด)",
            "accounts marked dormant, and open accounts with no movement for the bylaws' number of months "
            "(12 unless said)")])
