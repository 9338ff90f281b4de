"""The report ``year-end-allocation``: a year's allocation as the general meeting reads it —
the parts with their percentages, then every member's time-weighted balance, interest paid,
dividend and refund (เฉลี่ยคืน), with a column for the receiver's signature. Registered through
``loans.reports`` (the registry imports each app's ``reports`` module)."""

from __future__ import annotations

from django.utils import timezone

from omboon.core.reporting import MONEY, PCT, Column, Report, Table, note, register
from omboon.core.thaidate import format_date, to_be
from omboon.ledger import chart
from omboon.loans.year_end import compute, selectors


def _allocation(organisation, end, params):
    """The year asked for (``year=``, CE or BE), else the fiscal year of the report's end date
    when one is given, else the latest allocation that stands."""
    year = str((params or {}).get("year") or "").strip()
    if year.isdigit():
        y = int(year)
        return selectors.current(organisation, y - 543 if y > 2400 else y)
    if end is not None and (params or {}).get("to"):
        return selectors.current(organisation, chart.fiscal_year_of(organisation.fiscal_year_start_month, end))
    return selectors.allocations(organisation).exclude(status="reversed").first()


@register
class YearEndAllocationReport(Report):
    code = "year-end-allocation"
    title_th = "การจัดสรรกำไรสุทธิประจำปี (รายชื่อสมาชิกผู้ได้รับปันผลและเฉลี่ยคืน)"
    title_en = "Year-end allocation of net income (members' dividends and refunds)"
    groups_only = True

    def build(self, *, organisation, start, end, lang="th", params=None):
        en = lang == "en"
        allocation = _allocation(organisation, end, params)
        if allocation is None:
            return self.result(organisation, None, end or timezone.localdate(), [], signatures=False, notes=[
                note(lang, "ยังไม่มีการจัดสรรกำไรสุทธิของปีนี้", "no year-end allocation of this year yet")])
        model = selectors.model_of(allocation)
        parts = selectors.parts_of(allocation)
        by_rate = model.kind == compute.RATE
        part_rows = [{"part": compute.PART_NAMES[p][1 if en else 0],
                      "percent": float(model.percent(p)) if not (by_rate and p in (compute.DIVIDEND, compute.REFUND))
                      else None,
                      "rate": float(model.percent(p)) if by_rate and p in (compute.DIVIDEND, compute.REFUND)
                      else None,
                      "amount": parts[p]} for p in compute.PARTS]
        head_th = (f"ปีงบประมาณ {to_be(allocation.fiscal_year)} ({format_date(allocation.start)} – "
                   f"{format_date(allocation.end)})")
        head_en = (f"Fiscal year {allocation.fiscal_year} ({format_date(allocation.start, lang='en')} – "
                   f"{format_date(allocation.end, lang='en')})")
        parts_table = Table(head_th, head_en, [
            Column("part", "ส่วน", "Part"),
            Column("percent", "ร้อยละของกำไรสุทธิ", "% of net income", PCT),
            Column("rate", "อัตรา (ร้อยละ)", "Rate (%)", PCT),
            Column("amount", "จำนวนเงิน (บาท)", "Amount (baht)", MONEY, total=True)], part_rows)
        rows = [{"member": s.member.number, "name": s.member.full_name, "balance": s.balance_months // compute.MONTHS,
                 "interest": s.interest_paid, "dividend": s.dividend, "refund": s.refund,
                 "total": s.dividend + s.refund, "signature": ""}
                for s in selectors.shares(allocation)]
        members = Table("รายชื่อสมาชิก", "Members", [
            Column("member", "เลขที่สมาชิก", "Member no."), Column("name", "ชื่อ", "Name"),
            Column("balance", "ยอดถัวเฉลี่ย (บาท)", "Average balance (baht)", MONEY, total=True),
            Column("interest", "ดอกเบี้ยเงินกู้ที่จ่าย (บาท)", "Loan interest paid (baht)", MONEY, total=True),
            Column("dividend", "เงินปันผล (บาท)", "Dividend (baht)", MONEY, total=True),
            Column("refund", "เงินเฉลี่ยคืน (บาท)", "Refund (baht)", MONEY, total=True),
            Column("total", "รวมรับ (บาท)", "Total (baht)", MONEY, total=True),
            Column("signature", "ลายมือชื่อผู้รับ", "Received (signature)")], rows)
        status = {"draft": ("ร่าง ยังไม่ผ่านที่ประชุมใหญ่", "draft, not yet decided by the general meeting"),
                  "decided": ("บันทึกมติแล้ว รออนุมัติคนที่สอง", "decision recorded, awaiting the second approval"),
                  "approved": ("อนุมัติแล้ว", "approved"), "posted": ("ลงบัญชีแล้ว", "posted"),
                  "paid": ("จ่ายแล้ว", "paid")}.get(allocation.status, (allocation.status, allocation.status))
        notes = [note(lang, f"สถานะ: {status[0]}", f"Status: {status[1]}")]
        if allocation.meeting_on:
            notes.append(note(lang, f"มติที่ประชุมใหญ่ {format_date(allocation.meeting_on)}: {allocation.resolution}",
                              f"General meeting of {format_date(allocation.meeting_on, lang='en')}: "
                              f"{allocation.resolution}"))
        notes.append(note(
            lang, "ยอดถัวเฉลี่ยคือค่าเฉลี่ยของยอดคงเหลือสิ้นเดือนทั้ง 12 เดือนของปี; เงินปันผลและเงินเฉลี่ยคืนของแต่ละคน"
                  "ปัดเศษลงเป็นสตางค์ เศษที่เหลือเข้าทุนสำรอง ทุกส่วนรวมกันเท่ากับกำไรสุทธิพอดี",
            "the average balance is the mean of the year's twelve month-end balances; each member's dividend and "
            "refund is rounded down to the satang and what is left goes to the reserve, so the parts add up to "
            "net income exactly"))
        return self.result(organisation, allocation.start, allocation.end, [parts_table, members], notes=notes,
                           signatures=True)
