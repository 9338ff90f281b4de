"""Reports across domains for the meeting, the general assembly, the network and CODI:
``group-status``, ``monthly``, ``annual`` and ``fund-status``. Each works for a group and for
a network (every group below it added up). Figures come from ``omboon.reports.selectors``;
the charts are the dashboard's (``omboon.reports.overview``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.utils import timezone

from omboon.core import reporting
from omboon.core.reporting import DATE, INT, MONEY, PCT, Column, Report, Table, note, register
from omboon.core.thaidate import format_date, format_month, to_be
from omboon.ledger import chart
from omboon.ledger.models import AccountType
from omboon.loans import selectors as loans
from omboon.members.models import Member
from omboon.reports import membership
from omboon.reports import overview as ov
from omboon.reports import selectors as sel
from omboon.savings import selectors as savings

LEFT_LABELS = {
    Member.Status.RESIGNED: ("ลาออก", "Resigned"),
    Member.Status.DECEASED: ("เสียชีวิต", "Died"),
    Member.Status.EXPELLED: ("พ้นสภาพ", "Expelled"),
}
CASES_NOTE = (  # (Thai, English), for reporting.note
    "จำนวนรายนับจากรายการจ่ายสวัสดิการในบัญชี 51xx ที่ไม่ถูกกลับรายการ (หนึ่งรายการต่อหนึ่งคำขอที่จ่ายแล้ว)",
    "cases are the benefit payment entries on 51xx accounts that were not reversed (one entry per paid claim)",
)


def _t(lang: str, th: str, en: str) -> str:
    return en if lang == "en" else th


def _today() -> dt.date:
    return timezone.localdate()


def _d(day: dt.date, lang: str) -> str:
    return format_date(day, "short", lang=lang)


def _item(lang: str) -> Column:
    return Column("item", "รายการ", "Item")


def member_rows(facts: membership.MemberFacts, start: dt.date | None, end: dt.date, lang: str) -> list[dict]:
    """Members at the start, joined, left by reason, and now (the first and last agree). A period
    from the founding date (or before it) starts with the members at founding — those who joined
    that day — not with 0 and every founder "joined"."""
    if start is not None and facts.founding and start <= min(facts.founding.values()):
        start = None
    if start is None:
        first = {"item": _t(lang, "สมาชิกเมื่อเริ่มก่อตั้ง", "Members at founding"), "n": facts.at_founding()}
    else:
        first = {"item": _t(lang, f"สมาชิก ณ วันเริ่มต้น ({_d(start, lang)})",
                            f"Members at the start ({_d(start, lang)})"),
                 "n": facts.at(start - dt.timedelta(days=1))}
    left = facts.left(start, end)
    rows = [first, {"item": _t(lang, "สมาชิกเข้าใหม่", "Joined"), "n": facts.joined(start, end), "_indent": 1}]
    for status, (th, en) in LEFT_LABELS.items():
        rows.append({"item": _t(lang, f"พ้นจากการเป็นสมาชิก: {th}", f"Left: {en.lower()}"),
                     "n": left[status], "_indent": 1})
    rows.append({"item": _t(lang, f"สมาชิก ณ วันที่ {_d(end, lang)}", f"Members on {_d(end, lang)}"),
                 "n": facts.at(end), "_style": "subtotal"})
    return rows


def benefit_table(rows: list[sel.BenefitRow], lang: str, title_th="สวัสดิการที่จ่ายตามประเภท",
                  title_en="Benefits paid by category") -> Table:
    return Table(title_th, title_en, [
        Column("item", "ประเภทสวัสดิการ", "Benefit"),
        Column("cases", "จำนวนราย", "Cases", INT, total=True),
        Column("amount", "จำนวนเงิน (บาท)", "Amount (baht)", MONEY, total=True),
    ], [{"item": r.name(lang), "cases": r.cases, "amount": r.amount} for r in rows])


def _code_rows(moves_now: sel.Movements, moves_then: sel.Movements | None, codes: list[str],
               lang: str, *, income: bool) -> list[dict]:
    rows = []
    for code in codes:
        now = moves_now.income([code]) if income else moves_now.expense([code])
        row = {"code": code, "item": sel.account_name(code, lang), "now": now}
        if moves_then is not None:
            then = moves_then.income([code]) if income else moves_then.expense([code])
            row.update(then=then, change=now - then)
            if not now and not then:
                continue
        elif not now:
            continue
        rows.append(row)
    return rows


def _codes_of(types: dict[str, str], kind: str, *moves: sel.Movements) -> list[str]:
    found = set()
    for m in moves:
        found |= set(m.total())
    return sorted(c for c in found if types.get(c) == kind)


def _compare_columns(now_th: str, now_en: str, then_th: str, then_en: str) -> list[Column]:
    return [Column("code", "รหัส", "Code"), _item("th"),
            Column("now", now_th, now_en, MONEY, total=True),
            Column("then", then_th, then_en, MONEY, total=True),
            Column("change", "เพิ่ม (ลด)", "Change", MONEY, total=True)]


def year_earlier(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


SAVINGS_NAMES = {chart.SAVINGS_DEPOSITS: ("เงินฝากสัจจะ", "Compulsory savings"),
                 chart.VOLUNTARY_SAVINGS: ("เงินฝากออมทรัพย์", "Voluntary savings"),
                 chart.FIXED_DEPOSITS: ("เงินฝากประจำ", "Fixed-term deposits"),
                 chart.SHARE_CAPITAL: ("ทุนเรือนหุ้น", "Share capital")}


def savings_table(organisation, start: dt.date | None, end: dt.date, lang: str) -> Table | None:
    """The members' savings and shares from ``start`` to ``end`` by kind (``savings.summary``):
    brought forward, deposits, withdrawals, interest, other, carried forward, and who holds
    them; None for an organisation without savings accounts."""
    rows = savings.summary(organisation, start, end)
    if not rows:
        return None
    return Table("เงินฝากและหุ้นของสมาชิก", "Members' savings and shares", [
        Column("code", "รหัส", "Code"), _item(lang),
        Column("opening", "ยกมา", "Brought forward", MONEY, total=True),
        Column("deposit", "ฝาก", "Deposits", MONEY, total=True),
        Column("withdrawal", "ถอน", "Withdrawals", MONEY, total=True),
        Column("interest", "ดอกเบี้ย", "Interest", MONEY, total=True),
        Column("other", "ยอดยกมา/โอน", "Opening and transfers", MONEY, total=True),
        Column("closing", "คงเหลือ", "Carried forward", MONEY, total=True),
        Column("accounts", "บัญชีที่มียอด", "Accounts", INT, total=True),
        Column("members", "สมาชิกที่มียอด", "Members", INT),
    ], [{"code": r.code, "item": _t(lang, *SAVINGS_NAMES.get(r.code, (r.code, r.code))), "opening": r.opening,
         "deposit": r.deposit, "withdrawal": r.withdrawal, "interest": r.interest, "other": r.other,
         "closing": r.closing, "accounts": r.accounts, "members": r.members} for r in rows])


def with_savings(tables: list[Table], organisation, start: dt.date | None, end: dt.date, lang: str) -> list[Table]:
    table = savings_table(organisation, start, end, lang)
    return [*tables, table] if table is not None else tables


def _share(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 2) if whole else None


LOANS_NOTE = (("PAR30 คือเงินต้นคงค้างทั้งสัญญาของเงินกู้ที่มีงวดค้างชำระเกิน 30 วัน หารด้วยเงินต้นคงค้างทั้งหมด; "
              "อัตราเงินต้นค้างชำระคือเฉพาะเงินต้นที่ถึงกำหนดแล้วยังไม่ชำระ หารด้วยเงินต้นคงค้างทั้งหมด เป็นคนละตัวเลขกับ PAR; "
              "เงินกู้คงค้างปลายงวดต้องเท่ากับบัญชี 1300 และดอกเบี้ยรับเท่ากับบัญชี 4710"),
              ("PAR30 is the whole outstanding principal of loans with an instalment more than 30 days overdue "
              "÷ the gross outstanding principal; the arrears rate is only the principal fallen due and unpaid "
              "÷ the gross outstanding principal, a different figure; loans outstanding at the end equal 1300 "
              "in the books and interest received equals 4710"))


def loans_table(organisation, start: dt.date | None, end: dt.date, lang: str) -> Table | None:
    """Loans to members from ``start`` to ``end`` (``loans.period_loans``): outstanding at the
    start, disbursed, principal repaid, written off, outstanding at the end beside 1300 in the
    books, interest (4710), penalties and recoveries, PAR30 and the arrears rate labelled apart;
    None when no loan was disbursed by ``end``."""
    if not loans.has_loans(organisation, end):
        return None
    p = loans.period_loans(organisation, start, end)
    gross = p.portfolio.gross
    books = sel.balances_by_code(organisation, end).get(chart.LOANS, 0)
    interest = sel.movements(organisation, start, end).income([chart.LOAN_INTEREST_INCOME])
    since = _t(lang, f"ณ วันที่ {_d(start, lang)}", f"on {_d(start, lang)}") if start else _t(lang, "ยกมา",
                                                                                                "brought forward")
    rows = [
        {"item": _t(lang, f"เงินกู้คงค้างต้นงวด ({since})", f"Loans outstanding at the start ({since})"),
         "n": None, "amount": p.opening, "share": None},
        {"item": _t(lang, "จ่ายเงินกู้", "Disbursed"), "n": p.disbursed_count, "amount": p.disbursed, "share": None,
         "_indent": 1},
        {"item": _t(lang, "รับชำระเงินต้น", "Principal repaid"), "n": None, "amount": -p.repaid, "share": None,
         "_indent": 1},
        {"item": _t(lang, "ตัดหนี้สูญ", "Written off"), "n": p.written_off_count, "amount": -p.written_off,
         "share": None, "_indent": 1},
        {"item": _t(lang, f"เงินกู้คงค้าง ณ วันที่ {_d(end, lang)}", f"Loans outstanding on {_d(end, lang)}"),
         "n": p.loans, "amount": p.closing, "share": None, "_style": "subtotal"},
        {"item": _t(lang, "ลูกหนี้เงินกู้ 1300 ในสมุดบัญชี", "Loans to members, 1300, in the books"), "n": None,
         "amount": books, "share": None, "_indent": 1},
        {"item": _t(lang, "ผลต่างกับบัญชี 1300", "Difference from 1300"), "n": None, "amount": p.closing - books,
         "share": None, "_indent": 1},
        {"item": _t(lang, "สมาชิกที่มีเงินกู้คงค้าง", "Members with a loan outstanding"), "n": p.borrowers,
         "amount": None, "share": None},
        {"item": _t(lang, "ดอกเบี้ยเงินกู้รับ (4710)", "Loan interest received (4710)"), "n": None,
         "amount": p.interest, "share": None},
        {"item": _t(lang, "ดอกเบี้ยรับในสมุดบัญชี 4710", "Interest received in the books, 4710"), "n": None,
         "amount": interest, "share": None, "_indent": 1},
        {"item": _t(lang, "ค่าปรับและค่าธรรมเนียมเงินกู้รับ", "Loan penalties and fees received"), "n": None,
         "amount": p.penalty, "share": None},
        {"item": _t(lang, "รับชำระหนี้ที่ตัดเป็นหนี้สูญแล้ว", "Recovered after write-off"), "n": None,
         "amount": p.recovered, "share": None},
        {"item": _t(lang, "PAR30 (เงินต้นคงค้างของสัญญาที่ค้างชำระเกิน 30 วัน)",
                    "PAR30 (outstanding principal of loans over 30 days overdue)"), "n": None,
         "amount": p.portfolio.at_risk[30], "share": _share(p.portfolio.at_risk[30], gross)},
        {"item": _t(lang, "อัตราเงินต้นค้างชำระ (ไม่ใช่ PAR)", "Arrears rate (not PAR)"), "n": None,
         "amount": p.portfolio.overdue_principal, "share": _share(p.portfolio.overdue_principal, gross)},
    ]
    return Table("เงินกู้แก่สมาชิก", "Loans to members", [
        _item(lang), Column("n", "จำนวน", "Number", INT), Column("amount", "จำนวนเงิน (บาท)", "Amount (baht)", MONEY),
        Column("share", "ร้อยละของเงินต้นคงค้าง", "% of gross outstanding", PCT)], rows)


def with_loans(tables: list[Table], notes: list[str], organisation, start: dt.date | None, end: dt.date,
               lang: str) -> list[Table]:
    table = loans_table(organisation, start, end, lang)
    if table is None:
        return tables
    notes.append(note(lang, *LOANS_NOTE))
    return [*tables, table]


# --- group status (the Ban Don Chai layout) --------------------------------------------------

@register
class GroupStatusReport(Report):
    code = "group-status"
    title_th = "รายงานสถานะกลุ่ม สมาชิก เงินสมทบ และสวัสดิการ"
    title_en = "Group status: members, contributions and benefits"

    def build(self, *, organisation, start, end, lang="th", params=None):
        end = end or _today()
        facts = membership.member_facts(organisation)
        moves = sel.movements(organisation, start, end)
        members = Table("สมาชิก", "Members", [_item(lang), Column("n", "จำนวน (คน)", "Members", INT)],
                        member_rows(facts, start, end, lang))
        contributions = Table("เงินสมทบจากสมาชิก", "Members' contributions", [
            Column("code", "รหัส", "Code"), _item(lang),
            Column("amount", "จำนวนเงิน (บาท)", "Amount (baht)", MONEY, total=True),
        ], [{"code": code, "item": sel.account_name(code, lang), "amount": moves.income([code])}
            for code in sel.MEMBER_INCOME])
        benefit_rows = sel.benefits(organisation, start, end, moves=moves)
        types = sel.standard_types(organisation)
        income_all = sum(c - d for code, (d, c) in moves.total().items() if types.get(code) == AccountType.INCOME)
        expense_all = sum(d - c for code, (d, c) in moves.total().items() if types.get(code) == AccountType.EXPENSE)
        member_income = moves.income(sel.MEMBER_INCOME)
        benefits_paid = sum(r.amount for r in benefit_rows)
        summary = Table("สรุปเงินกองทุน", "Fund summary", [_item(lang), Column("amount", "จำนวนเงิน (บาท)",
                                                                              "Amount (baht)", MONEY)], [
            {"item": _t(lang, "เงินสมทบจากสมาชิก", "Members' contributions"), "amount": member_income},
            {"item": _t(lang, "เงินสมทบจากรัฐ อปท. เงินบริจาค และรายได้อื่น",
                        "Matching grants, donations and other income"), "amount": income_all - member_income},
            {"item": _t(lang, "สวัสดิการที่จ่าย", "Benefits paid"), "amount": benefits_paid},
            {"item": _t(lang, "ค่าใช้จ่ายอื่น", "Other expenses"), "amount": expense_all - benefits_paid},
            {"item": _t(lang, f"เงินกองทุนคงเหลือ ณ วันที่ {_d(end, lang)}", f"Fund balance on {_d(end, lang)}"),
             "amount": sel.fund_balance(organisation, end), "_style": "subtotal"},
        ])
        overview = ov.overview(organisation, end=end, start=start, with_arrears=False, facts=facts, moves=moves,
                               benefits=benefit_rows)
        charts = [overview.members_chart(lang), overview.benefits_chart(lang), overview.balance_chart(lang)]
        tables = with_savings([members, contributions, benefit_table(benefit_rows, lang), summary],
                              organisation, start, end, lang)
        notes = [note(lang, *CASES_NOTE)]
        tables = with_loans(tables, notes, organisation, start, end, lang)
        return self.result(organisation, start, end, tables, charts=charts, notes=notes)


# --- monthly meeting report -----------------------------------------------------------------

@register
class MonthlyReport(Report):
    code = "monthly"
    title_th = "รายงานประจำเดือนสำหรับการประชุมกรรมการและสมาชิก"
    title_en = "Monthly meeting report"

    def build(self, *, organisation, start, end, lang="th", params=None):
        month = sel.month_of(end or _today())
        last = sel.previous_month(month)
        start, end = sel.month_start(month), sel.month_end(month)
        last_start, last_end = sel.month_start(last), sel.month_end(last)
        today = _today()
        as_of, last_as_of = min(end, max(today, start)), last_end
        name_now = format_month(*month, lang=lang)
        name_then = format_month(*last, lang=lang)
        moves = sel.movements(organisation, last_start, end)
        now = sel.Movements({m: v for m, v in moves.months.items() if m == month})
        then = sel.Movements({m: v for m, v in moves.months.items() if m == last})
        types = sel.standard_types(organisation)
        cols = _compare_columns(name_now, name_now, name_then, name_then)
        income = Table("รายรับประจำเดือน", "Receipts this month", cols,
                       _code_rows(now, then, _codes_of(types, AccountType.INCOME, now, then), lang, income=True))
        expense = Table("รายจ่ายประจำเดือน", "Payouts this month", cols,
                        _code_rows(now, then, _codes_of(types, AccountType.EXPENSE, now, then), lang, income=False))

        facts = membership.member_facts(organisation)
        members = Table("ความเคลื่อนไหวของสมาชิก", "Membership", [
            _item(lang), Column("now", name_now, name_now, INT), Column("then", name_then, name_then, INT)],
            [{"item": a["item"].split(" (")[0], "now": a["n"], "then": b["n"], **{k: v for k, v in a.items()
                                                                                 if k.startswith("_")}}
             for a, b in zip(member_rows(facts, start, end, lang), member_rows(facts, last_start, last_end, lang))])
        members.rows[0]["item"] = _t(lang, "สมาชิกต้นเดือน", "Members at the month's start")
        members.rows[-1]["item"] = _t(lang, "สมาชิก ณ สิ้นเดือน", "Members at the month's end")

        joined, left = membership.joined_and_left(organisation, start, end)
        network = organisation.is_network
        person_cols = [Column("number", "เลขที่", "No."), Column("name", "ชื่อ-สกุล", "Name")]
        if network:
            person_cols.append(Column("group", "กลุ่ม", "Group"))
        new_members = Table("สมาชิกเข้าใหม่", "New members", [
            *person_cols, Column("date", "วันที่สมัคร", "Joined", DATE)],
            [{"number": m.number, "name": m.full_name, "group": m.organisation.name(lang), "date": m.join_date}
             for m in joined])
        leaving = Table("สมาชิกพ้นสภาพ", "Members who left", [
            *person_cols, Column("reason", "เหตุ", "Reason"), Column("date", "วันที่", "Date", DATE)],
            [{"number": m.number, "name": m.full_name, "group": m.organisation.name(lang),
              "reason": _t(lang, *LEFT_LABELS[m.status]), "date": m.left_on} for m in left])

        benefits = sel.benefits(organisation, start, end, moves=now)
        benefits_then = {r.code: r for r in sel.benefits(organisation, last_start, last_end, moves=then)}
        codes = sorted({r.code for r in benefits} | set(benefits_then))
        by_code = {r.code: r for r in benefits}
        benefit_rows = []
        for code in codes:
            a, b = by_code.get(code), benefits_then.get(code)
            row = a or b
            benefit_rows.append({"item": row.name(lang), "cases": a.cases if a else 0, "amount": a.amount if a else 0,
                                 "cases_then": b.cases if b else 0, "amount_then": b.amount if b else 0})
        benefit_tab = Table("สวัสดิการที่จ่าย", "Benefits paid", [
            Column("item", "ประเภทสวัสดิการ", "Benefit"),
            Column("cases", f"ราย {name_now}", f"Cases {name_now}", INT, total=True),
            Column("amount", f"บาท {name_now}", f"Baht {name_now}", MONEY, total=True),
            Column("cases_then", f"ราย {name_then}", f"Cases {name_then}", INT, total=True),
            Column("amount_then", f"บาท {name_then}", f"Baht {name_then}", MONEY, total=True),
        ], benefit_rows)

        tables = [income, expense, members, new_members, leaving, benefit_tab]
        notes = [note(lang, *CASES_NOTE)]
        arrears_now = sel.arrears_summary(organisation, as_of)
        if arrears_now is not None:
            arrears_then = sel.arrears_summary(organisation, last_as_of)
            tables.append(Table(f"เงินสมทบค้างชำระ ณ วันที่ {_d(as_of, 'th')}",
                                f"Contributions in arrears on {_d(as_of, 'en')}", [
                _item(lang), Column("members", f"คน {name_now}", f"Members {name_now}", INT, total=True),
                Column("amount", f"บาท {name_now}", f"Baht {name_now}", MONEY, total=True),
                Column("members_then", f"คน {name_then}", f"Members {name_then}", INT, total=True),
                Column("amount_then", f"บาท {name_then}", f"Baht {name_then}", MONEY, total=True),
            ], [{"item": _t(lang, th, en), "members": n, "amount": a, "members_then": n2, "amount_then": a2}
                for (th, en, n, a), (_th, _en, n2, a2) in zip(arrears_now.bands, arrears_then.bands)]))
        else:
            notes.append(note(lang, "ยังไม่ได้ติดตั้งระบบเงินสมทบ จึงไม่มีตารางเงินค้างชำระ",
                              "the contributions app is not installed: no arrears table"))
        pending = sel.pending_claims(organisation, as_of)
        if pending is not None:
            labels = {"submitted": ("รออนุมัติ", "Waiting for approval"),
                      "approved": ("อนุมัติแล้ว รอจ่าย", "Approved, waiting for payment")}
            tables.append(Table("คำขอรับสวัสดิการรอดำเนินการ", "Claims pending", [
                _item(lang), Column("n", "จำนวนคำขอ", "Claims", INT, total=True),
                Column("amount", "จำนวนเงิน (บาท)", "Amount (baht)", MONEY, total=True),
            ], [{"item": _t(lang, *labels.get(s, (s, s))), "n": n, "amount": a} for s, n, a in pending]))
        else:
            notes.append(note(lang, "ยังไม่ได้ติดตั้งระบบสวัสดิการ จึงไม่มีตารางคำขอที่รอดำเนินการ",
                              "the welfare app is not installed: no pending claims table"))

        tables.append(position_table(organisation, end, last_end, name_now, name_then, lang,
                                     "เงินกองทุน ณ สิ้นเดือน", "Fund position at the month's end"))
        tables = with_savings(tables, organisation, start, end, lang)
        tables = with_loans(tables, notes, organisation, start, end, lang)
        overview = ov.overview(organisation, end=end, start=start, with_arrears=False, facts=facts)
        charts = [overview.flows_chart(lang), overview.balance_chart(lang), overview.members_chart(lang)]
        return self.result(organisation, start, end, tables, notes=notes, charts=charts)


def position_table(organisation, end: dt.date, then_end: dt.date, now_label: str, then_label: str,
                   lang: str, title_th: str, title_en: str) -> Table:
    """Assets and liabilities by standard code at two dates, and the fund (net assets)."""
    now = sel.balances_by_code(organisation, end)
    then = sel.balances_by_code(organisation, then_end)
    types = sel.standard_types(organisation)
    rows = []
    for kind, sign in ((AccountType.ASSET, 1), (AccountType.LIABILITY, -1)):
        for code in sorted(c for c in set(now) | set(then) if types.get(c) == kind):
            a, b = sign * now.get(code, 0), sign * then.get(code, 0)
            rows.append({"code": code, "item": (sel.account_name(code, lang) if kind == AccountType.ASSET else
                                                _t(lang, "หัก ", "less ") + sel.account_name(code, lang)),
                         "now": a, "then": b, "change": a - b, "_indent": 1})

    def net(values):
        return sum(v for c, v in values.items() if types.get(c) in (AccountType.ASSET, AccountType.LIABILITY))

    rows.append({"code": "", "item": _t(lang, "เงินกองทุนคงเหลือ (สินทรัพย์สุทธิ)", "Fund balance (net assets)"),
                 "now": net(now), "then": net(then), "change": net(now) - net(then), "_style": "subtotal"})
    return Table(title_th, title_en, [Column("code", "รหัส", "Code"), _item(lang),
                                      Column("now", now_label, now_label, MONEY),
                                      Column("then", then_label, then_label, MONEY),
                                      Column("change", "เพิ่ม (ลด)", "Change", MONEY)], rows)


# --- annual report for the general assembly ---------------------------------------------------

@register
class AnnualReport(Report):
    code = "annual"
    title_th = "รายงานประจำปีสำหรับการประชุมใหญ่สามัญ"
    title_en = "Annual report to the general assembly"

    def build(self, *, organisation, start, end, lang="th", params=None):
        end = end or _today()
        fy_month = organisation.fiscal_year_start_month if organisation.is_group else 1
        fy = chart.fiscal_year_of(fy_month, end)
        fy_start, _fy_end = chart.fiscal_year_bounds(fy_month, fy)
        start = start or fy_start
        last_start, last_end = year_earlier(start), year_earlier(end)
        now_label = _t(lang, f"ปี {to_be(fy)}", f"FY {fy}")
        then_label = _t(lang, f"ปี {to_be(fy) - 1}", f"FY {fy - 1}")

        tables: list[Table] = []
        notes: list[str] = []
        if organisation.is_group:
            # The ledger's own statements, through the reporting.
            for code, th, en in (("income-expenditure", "งบรายรับ-รายจ่าย", "Income and expenditure"),
                                 ("financial-position", "งบแสดงฐานะการเงิน", "Statement of financial position")):
                statement = reporting.get(code).build(organisation=organisation, start=start, end=end, lang=lang)
                for t in statement.tables:
                    tables.append(dataclasses.replace(t, title_th=f"{th} {t.title_th}",
                                                      title_en=f"{en} {t.title_en}"))
                notes.extend(statement.notes)
        else:
            moves_now = sel.movements(organisation, start, end)
            moves_then = sel.movements(organisation, last_start, last_end)
            types = sel.standard_types(organisation)
            cols = _compare_columns(now_label, now_label, then_label, then_label)
            tables.append(Table("งบรายรับ-รายจ่ายรวมของกลุ่มในเครือข่าย (รายรับ)",
                                "Consolidated income of the groups", cols,
                                _code_rows(moves_now, moves_then,
                                           _codes_of(types, AccountType.INCOME, moves_now, moves_then), lang,
                                           income=True)))
            tables.append(Table("งบรายรับ-รายจ่ายรวมของกลุ่มในเครือข่าย (รายจ่าย)",
                                "Consolidated expenditure of the groups", cols,
                                _code_rows(moves_now, moves_then,
                                           _codes_of(types, AccountType.EXPENSE, moves_now, moves_then), lang,
                                           income=False)))
            tables.append(position_table(organisation, end, last_end, now_label, then_label, lang,
                                         "ฐานะการเงินรวมของกลุ่มในเครือข่าย",
                                         "Consolidated financial position of the groups"))
            notes.append(note(lang, "เครือข่ายรวมบัญชีของทุกกลุ่มตามรหัสบัญชีมาตรฐาน",
                              "a network adds up its groups' books by standard account code"))

        facts = membership.member_facts(organisation)
        tables.append(Table("ความเคลื่อนไหวของสมาชิก", "Membership changes", [
            _item(lang), Column("now", now_label, now_label, INT), Column("then", then_label, then_label, INT)],
            [{"item": a["item"].split(" (")[0], "now": a["n"], "then": b["n"],
              **{k: v for k, v in a.items() if k.startswith("_")}}
             for a, b in zip(member_rows(facts, start, end, lang), member_rows(facts, last_start, last_end, lang))]))
        tables[-1].rows[0]["item"] = _t(lang, "สมาชิกต้นปี", "Members at the year's start")
        tables[-1].rows[-1]["item"] = _t(lang, "สมาชิก ณ สิ้นปี", "Members at the year's end")

        moves = sel.movements(organisation, start, end)
        now_rows = {r.code: r for r in sel.benefits(organisation, start, end, moves=moves)}
        then_rows = {r.code: r for r in sel.benefits(organisation, last_start, last_end)}
        rows = []
        for code in sorted(set(now_rows) | set(then_rows)):
            a, b = now_rows.get(code), then_rows.get(code)
            rows.append({"item": (a or b).name(lang), "cases": a.cases if a else 0, "amount": a.amount if a else 0,
                         "cases_then": b.cases if b else 0, "amount_then": b.amount if b else 0})
        tables.append(Table("สวัสดิการที่จ่ายเทียบกับปีก่อน", "Benefits paid compared with last year", [
            Column("item", "ประเภทสวัสดิการ", "Benefit"),
            Column("cases", f"ราย {now_label}", f"Cases {now_label}", INT, total=True),
            Column("amount", f"บาท {now_label}", f"Baht {now_label}", MONEY, total=True),
            Column("cases_then", f"ราย {then_label}", f"Cases {then_label}", INT, total=True),
            Column("amount_then", f"บาท {then_label}", f"Baht {then_label}", MONEY, total=True),
        ], rows))
        tables = with_savings(tables, organisation, start, end, lang)
        tables = with_loans(tables, notes, organisation, start, end, lang)
        notes.append(note(lang, *CASES_NOTE))
        overview = ov.overview(organisation, end=end, start=start, with_arrears=False, facts=facts, moves=moves)
        charts = [overview.flows_chart(lang), overview.benefits_chart(lang), overview.members_chart(lang),
                  overview.balance_chart(lang)]
        return self.result(organisation, start, end, tables, notes=notes, charts=charts)


# --- CODI's fund status form --------------------------------------------------------------------

@register
class FundStatusReport(Report):
    code = "fund-status"
    title_th = "แบบรายงานสถานะกองทุนสวัสดิการชุมชน"
    title_en = "Community welfare fund status (CODI form)"

    def build(self, *, organisation, start, end, lang="th", params=None):
        end = end or _today()
        facts = membership.member_facts(organisation)
        bands = facts.by_age_and_sex(end)
        ages = Table(f"สมาชิกตามช่วงอายุ ณ วันที่ {_d(end, 'th')}", f"Members by age on {_d(end, 'en')}", [
            Column("item", "ช่วงอายุ", "Age band"),
            Column("male", "ชาย", "Men", INT, total=True),
            Column("female", "หญิง", "Women", INT, total=True),
            Column("total", "รวม", "Total", INT, total=True),
        ], [{"item": _t(lang, th, en), "male": bands[key].get("M", 0), "female": bands[key].get("F", 0),
             "total": bands[key].get("M", 0) + bands[key].get("F", 0)}
            for key, th, en, _lo, _hi in membership.AGE_BANDS])
        moves = sel.movements(organisation, start, end)
        capital = Table("ทุนของกองทุนตามแหล่งที่มา", "Fund capital by source", [
            Column("item", "แหล่งที่มา", "Source"), Column("codes", "รหัสบัญชี", "Accounts"),
            Column("amount", "จำนวนเงิน (บาท)", "Amount (baht)", MONEY, total=True),
        ], [{"item": _t(lang, th, en), "codes": " ".join(codes), "amount": moves.income(codes)}
            for _key, th, en, codes in sel.CAPITAL_SOURCES])
        benefit_rows = sel.benefits(organisation, start, end, moves=moves)
        general = [{"item": _t(lang, "จำนวนสมาชิกทั้งหมด", "Members"), "value": facts.at(end)}]
        if organisation.is_network:
            general.insert(0, {"item": _t(lang, "จำนวนกลุ่ม/กองทุน", "Groups"),
                               "value": len(sel.groups_of(organisation))})
        founded = sel.founded_on(organisation)
        if founded:
            general.append({"item": _t(lang, f"ก่อตั้งเมื่อ {_d(founded, 'th')}", f"Founded {_d(founded, 'en')}"),
                            "value": None})
        info = Table("ข้อมูลทั่วไป", "General", [_item(lang), Column("value", "จำนวน", "Number", INT)], general)
        balance = Table("เงินกองทุนคงเหลือ", "Fund balance", [
            _item(lang), Column("amount", "จำนวนเงิน (บาท)", "Amount (baht)", MONEY)],
            [{"item": _t(lang, f"เงินกองทุนคงเหลือ ณ วันที่ {_d(end, 'th')}", f"Fund balance on {_d(end, 'en')}"),
              "amount": sel.fund_balance(organisation, end)}])
        notes = [note(lang, *CASES_NOTE),
                 note(lang, "ทะเบียนสมาชิกยังไม่มีข้อมูลกลุ่มเปราะบาง (ผู้พิการ ผู้ด้อยโอกาส) จึงยังไม่แสดงตารางนี้",
                      "the member register does not record vulnerable groups yet, so that table is left out")]
        return self.result(organisation, start, end,
                           [info, ages, capital, benefit_table(benefit_rows, lang), balance], notes=notes)
