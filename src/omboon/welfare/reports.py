"""Welfare reports for the registry: benefits by category (the Ban Don Chai report), a member's
benefit history and the claims pending approval or payment. Money is integer satang."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from omboon.core import charts
from omboon.core.reporting import DATE, INT, MONEY, TEXT, Column, Report, Table, note, register
from omboon.core.thaidate import format_date
from omboon.members.models import Member
from omboon.welfare import selectors
from omboon.welfare.models import Claim, category_label


def _period(start: dt.date | None, end: dt.date | None, lang: str) -> tuple[str, str]:
    if start and end:
        return (f"{format_date(start)} – {format_date(end)}",
                f"{format_date(start, lang='en')} – {format_date(end, lang='en')}")
    if end:
        return f"ถึง {format_date(end)}", f"to {format_date(end, lang='en')}"
    if start:
        return f"ตั้งแต่ {format_date(start)}", f"from {format_date(start, lang='en')}"
    return "ทั้งหมด", "all time"


@register
class BenefitsByCategoryReport(Report):
    code = "benefits-by-category"
    title_th = "สรุปการจ่ายสวัสดิการตามประเภท"
    title_en = "Benefits paid by category"

    def build(self, *, organisation, start, end, lang="th", params=None):
        totals = selectors.benefits_by_category(organisation, start, end)
        en = lang == "en"
        rows = [{"category": t.label_en if en else t.label_th, "cases": t.cases, "amount": t.amount,
                 "average": t.amount // t.cases if t.cases else 0} for t in totals]
        th, en_text = _period(start, end, lang)
        table = Table(th, en_text, [
            Column("category", "ประเภทสวัสดิการ", "Category"),
            Column("cases", "จำนวนราย", "Cases", INT, total=True),
            Column("amount", "จำนวนเงิน (บาท)", "Amount (baht)", MONEY, total=True),
            Column("average", "เฉลี่ยต่อราย", "Average a case", MONEY),
        ], rows)
        chart_rows = [(r["category"], r["amount"]) for r in rows]
        drawn = [charts.hbar_chart(chart_rows, money=True,
                                   title="Benefits paid" if en else "เงินสวัสดิการที่จ่าย")] if chart_rows else []
        return self.result(organisation, start, end, [table], charts=drawn,
                           notes=[note(lang, "นับตามวันที่จ่าย ไม่รวมรายการที่กลับรายการแล้ว",
                                       "by payment date; reversed payouts are left out")])


@register
class MemberBenefitsReport(Report):
    code = "member-benefits"
    title_th = "ประวัติการรับสวัสดิการของสมาชิก"
    title_en = "A member's benefit history"
    groups_only = True

    def build(self, *, organisation, start, end, lang="th", params=None):
        number = ((params or {}).get("member") or "").strip()
        member = selectors.members(organisation).filter(number=number).first() if number else None
        en = lang == "en"
        columns = [Column("event_date", "วันที่เกิดเหตุ", "Event", DATE),
                   Column("scheme", "สวัสดิการ", "Scheme"),
                   Column("category", "ประเภท", "Category"),
                   Column("status", "สถานะ", "Status"),
                   Column("paid_on", "วันที่จ่าย", "Paid on", DATE),
                   Column("document", "ใบสำคัญ", "Voucher"),
                   Column("amount", "จำนวนเงิน (บาท)", "Amount (baht)", MONEY, total=True)]
        if member is None:
            table = Table("ระบุเลขที่สมาชิก (member=เลขที่)", "Give a member number (member=NUMBER)", columns, [])
            return self.result(organisation, start, end, [table], signatures=False)
        qs = selectors.member_history(member)
        if start:
            qs = qs.filter(event_date__gte=start)
        if end:
            qs = qs.filter(event_date__lte=end)
        rows = []
        for c in qs:
            paid = c.status == Claim.Status.PAID
            rows.append({"event_date": c.event_date, "scheme": c.scheme.name(lang),
                         "category": c.scheme.category_name(lang),
                         "status": c.status if en else c.get_status_display(), "paid_on": c.paid_on,
                         "document": c.entry.document_number if c.entry_id else "",
                         "amount": c.amount if paid else 0})
        title_th = f"{member.number} {member.full_name} ({Member.Status(member.status).label})"
        table = Table(title_th, f"{member.number} {member.full_name} ({member.status})", columns, rows)
        return self.result(organisation, start, end, [table], signatures=False,
                           notes=[note(lang, "จำนวนเงินรวมเฉพาะที่จ่ายแล้ว", "the total counts paid claims only")])


@register
class ClaimsPendingReport(Report):
    code = "claims-pending"
    title_th = "คำขอสวัสดิการรออนุมัติ/รอจ่าย"
    title_en = "Claims pending approval or payment"

    def build(self, *, organisation, start, end, lang="th", params=None):
        qs = selectors.pending_claims(organisation)
        if start:
            qs = qs.filter(event_date__gte=start)
        if end:
            qs = qs.filter(event_date__lte=end)
        today = timezone.localdate()
        en = lang == "en"
        rows = [{"group": c.organisation.code, "event_date": c.event_date,
                 "member": f"{c.member.number} {c.member.full_name}",
                 "scheme": c.scheme.name(lang), "category": category_label(c.scheme.category, lang),
                 "status": c.status if en else c.get_status_display(), "days": (today - c.submitted_at.date()).days,
                 "amount": c.amount} for c in qs]
        columns = [Column("event_date", "วันที่เกิดเหตุ", "Event", DATE),
                   Column("member", "สมาชิก", "Member"), Column("scheme", "สวัสดิการ", "Scheme"),
                   Column("status", "สถานะ", "Status", TEXT), Column("days", "รอมา (วัน)", "Waiting (days)", INT),
                   Column("amount", "จำนวนเงิน (บาท)", "Amount (baht)", MONEY, total=True)]
        if organisation.is_network:
            columns.insert(0, Column("group", "กลุ่ม", "Group"))
        table = Table(f"ณ วันที่ {format_date(today)}", f"As of {format_date(today, lang='en')}", columns, rows)
        return self.result(organisation, start, end, [table])
