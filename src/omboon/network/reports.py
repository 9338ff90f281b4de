"""The network's reports for the registry: ``network-status`` (consolidated group status,
row by row beneath the organisation) and ``reporting-rate``. Both read monthly facts only,
so they need ``view``, never ``records``."""

from __future__ import annotations

from omboon.core.reporting import INT, MONEY, PCT, TEXT, Column, Report, Table, register
from omboon.core.thaidate import format_month
from omboon.network import facts as fact_rules
from omboon.network import selectors
from omboon.network.models import year_month, ym_of
from omboon.orgs import scoping


def _months(organisation, start, end) -> tuple[int, int]:
    first, last = selectors.default_range(organisation)
    if end is not None:
        last = ym_of(end.year, end.month)
        first = ym_of(end.year, 1)
    if start is not None:
        first = ym_of(start.year, start.month)
    return min(first, last), max(first, last)


@register
class NetworkStatusReport(Report):
    code = "network-status"
    title_th = "สถานะกลุ่มรวมของเครือข่าย"
    title_en = "Consolidated group status"
    need = scoping.VIEW

    def build(self, *, organisation, start, end, lang="th", params=None):
        first, last = _months(organisation, start, end)
        result = selectors.consolidated(organisation, first=first, last=last)
        columns = [
            Column("code", "รหัส", "Code"), Column("name", "ชื่อ", "Name"),
            Column("groups", "กลุ่ม", "Groups", INT, total=True),
            Column("reported", "ส่งข้อมูล", "Reported", INT, total=True),
            Column("active", "สมาชิกปกติ", "Active members", INT, total=True),
            Column("male", "ชาย", "Men", INT, total=True), Column("female", "หญิง", "Women", INT, total=True),
            Column("joins", "สมัครใหม่", "Joined", INT, total=True),
            Column("leavers", "พ้นสภาพ", "Left", INT, total=True),
            Column("receipts", "รายรับสมทบ", "Contributions", MONEY, total=True),
            Column("cases", "สวัสดิการ (ราย)", "Benefit cases", INT, total=True),
            Column("benefits", "สวัสดิการ (บาท)", "Benefits paid", MONEY, total=True),
            Column("fund", "ยอดกองทุน", "Fund size", MONEY, total=True),
            Column("savings", "เงินออมและหุ้นของสมาชิก", "Members' savings and shares", MONEY, total=True),
            Column("savers", "สมาชิกที่มีเงินออม", "Members with savings", INT, total=True),
            Column("loans", "เงินกู้คงค้าง", "Loans outstanding", MONEY, total=True),
            Column("par30", "PAR30 (%)", "PAR30 (%)", PCT),
            Column("write_offs", "หนี้สูญ", "Written off", MONEY, total=True),
        ]
        rows = [{"code": r.code, "name": r.name(lang), "groups": r.figures.groups, "reported": r.figures.reported,
                 "active": r.figures.members_active, "male": r.figures.members_male,
                 "female": r.figures.members_female, "joins": r.figures.joins, "leavers": r.figures.leavers,
                 "receipts": r.figures.receipts_total, "cases": r.figures.cases_total,
                 "benefits": r.figures.benefits_total, "fund": r.figures.fund_size,
                 "savings": r.figures.savings, "savers": r.figures.savers,
                 "loans": r.figures.loans, "par30": r.figures.par30_percent, "write_offs": r.figures.write_offs}
                for r in result.rows]
        (y1, m1), (y2, m2) = year_month(first), year_month(last)
        span_th = f"{format_month(y1, m1)} – {format_month(y2, m2)}"
        span_en = f"{format_month(y1, m1, lang='en')} – {format_month(y2, m2, lang='en')}"
        t = result.total
        detail = [{"key": fact_rules.label(k, lang), "count": t.receipt_counts.get(k, 0),
                   "amount": t.receipts.get(k, 0)}
                  for k in (*fact_rules.RECEIPT_TYPES.values(), *fact_rules.RECEIPT_SOURCES.values())]
        benefits = [{"key": fact_rules.label(k, lang), "count": t.benefit_cases.get(k, 0),
                     "amount": t.benefits.get(k, 0)}
                    for k in fact_rules.BENEFIT_CATEGORIES.values() if k in t.benefits or k in t.benefit_cases]
        small = [Column("key", "รายการ", "Item"), Column("count", "จำนวน", "Count", INT, total=True),
                 Column("amount", "จำนวนเงิน", "Amount", MONEY, total=True)]
        tables = [Table(span_th, span_en, columns, rows),
                  Table("รายรับตามประเภทและแหล่งที่มา", "Receipts by type and source", small, detail),
                  Table("สวัสดิการตามประเภท", "Benefits by category", small, benefits)]
        return self.result(organisation, start, end, tables, signatures=False)


@register
class ReportingRateReport(Report):
    code = "reporting-rate"
    title_th = "การส่งรายงานปิดบัญชีของกลุ่ม"
    title_en = "Reporting rate"
    need = scoping.VIEW

    def build(self, *, organisation, start, end, lang="th", params=None):
        ym = ym_of(end.year, end.month) if end is not None else selectors.last_month()
        rate = selectors.reporting_rate(organisation, ym=ym)
        names = {"on_time": ("ตรงเวลา", "on time"), "late": ("ล่าช้า", "late"), "missing": ("ยังไม่ส่ง", "missing")}
        rows = [{"code": r.organisation.code, "name": r.organisation.name(lang),
                 "state": names[r.state][1 if lang == "en" else 0],
                 "closed": r.closed_at.date().isoformat() if r.closed_at else "", "late": r.days_late}
                for r in rate.rows]
        columns = [Column("code", "รหัส", "Code"), Column("name", "ชื่อกลุ่ม", "Group"),
                   Column("state", "สถานะ", "State"), Column("closed", "ปิดบัญชีเมื่อ", "Closed on"),
                   Column("late", "ช้า (วัน)", "Days late", INT)]
        y, m = year_month(ym)
        summary = [{"what": "ส่งแล้ว / closed", "pct": rate.rate},
                   {"what": "ตรงเวลา / on time", "pct": rate.on_time_rate}]
        tables = [Table(f"เดือน{format_month(y, m)} (กำหนด: วันที่ 15 ของเดือนถัดไป)",
                        f"{format_month(y, m, lang='en')} (due by the 15th of the next month)", columns, rows),
                  Table("อัตรา", "Rates", [Column("what", "", ""), Column("pct", "ร้อยละ", "%", PCT)], summary)]
        return self.result(organisation, start, end, tables, signatures=False)


__all__ = ["TEXT", "NetworkStatusReport", "ReportingRateReport"]
