"""Monthly facts of one group, computed from its raw records — set-based.

For a range of months, each kind of fact is ONE aggregate query over the group's rows
(members grouped by sex, status and the months of birth, joining and leaving; journal lines
grouped by month, fund and standard account code), expanded month by month in Python.
Receipts by type and source and benefits by category come from the ledger's standard account
codes, so the figures are right whoever posted the entries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear

from omboon.ledger import chart
from omboon.ledger.models import DocumentType, JournalLine
from omboon.loans import selectors as loan_selectors
from omboon.loans.allocation import Parts
from omboon.loans.models import Loan
from omboon.members.models import LEFT_STATUSES, Member
from omboon.network.models import year_month, ym_of

AGE_BANDS = ((0, "0-19"), (20, "20-39"), (40, "40-59"), (60, "60-69"), (70, "70-79"), (80, "80+"))
AGE_BAND_KEYS = [band for _, band in AGE_BANDS]

RECEIPT_TYPES = {chart.ENTRY_FEES: "entry_fee", chart.YEARLY_CONTRIBUTIONS: "annual_fee",
                 chart.DAILY_SAVINGS: "daily_saving"}
RECEIPT_SOURCES = {chart.STATE_MATCHING: "state", chart.LOCAL_MATCHING: "local", chart.DONATIONS: "donation"}
BENEFIT_CATEGORIES = {code: category for category, code in chart.BENEFIT_ACCOUNTS.items()}
BENEFIT_CATEGORIES[chart.BENEFITS_PAID] = "other"

LABELS = {
    "entry_fee": ("ค่าธรรมเนียมแรกเข้า", "Entry fees"),
    "annual_fee": ("ค่าสมทบรายปี", "Yearly contributions"),
    "daily_saving": ("ออมวันละบาท", "One-baht-a-day savings"),
    "state": ("เงินสมทบจากรัฐ/พอช.", "State/CODI matching"),
    "local": ("เงินสมทบจาก อปท.", "Local government matching"),
    "donation": ("เงินบริจาค", "Donations"),
    "childbirth": ("ค่าทำขวัญบุตร", "Childbirth"),
    "sickness": ("ค่าเยี่ยมไข้/นอนโรงพยาบาล", "Sickness and hospital"),
    "death": ("ค่าจัดการศพ", "Death"),
    "disability": ("ผู้พิการ/ด้อยโอกาส", "Disability"),
    "education": ("ทุนการศึกษา", "Education"),
    "elderly": ("ผู้สูงอายุ", "Elderly"),
    "disaster": ("ภัยพิบัติ", "Disaster"),
    "other": ("สวัสดิการอื่น", "Other benefits"),
}


def label(key: str, lang: str = "th") -> str:
    th, en = LABELS.get(key, (key, key))
    return en if lang == "en" else th


def age_band(age: int) -> str:
    found = AGE_BANDS[0][1]
    for lower, band in AGE_BANDS:
        if age >= lower:
            found = band
    return found


@dataclass(frozen=True)
class Fact:
    ym: int
    kind: str
    key: str
    count: int = 0
    amount: int = 0


def _bump(store: dict, ym: int, kind: str, key: str, count: int = 0, amount: int = 0) -> None:
    slot = store.setdefault((ym, kind, key), [0, 0])
    slot[0] += count
    slot[1] += amount


def _band_segments(born: int, start: int, end: int):
    """(first month, last month, band) of the age bands a person born in month ``born``
    (``ym``) passes through from ``start`` to ``end``: the age at a month's end is
    ``(ym - born) // 12`` completed years, so a band begins ``12 * lower`` months after birth."""
    ym = start
    while ym <= end:
        age = (ym - born) // 12
        index = 0
        for i, (lower, _band) in enumerate(AGE_BANDS):
            if age >= lower:
                index = i
        stop = end
        if index + 1 < len(AGE_BANDS):
            stop = min(end, born + 12 * AGE_BANDS[index + 1][0] - 1)
        yield ym, stop, AGE_BANDS[index][1]
        ym = stop + 1


def member_facts(organisation, first: int, last: int, store: dict) -> None:
    """members (status|sex|band at month end), joins and leavers: one aggregate query.

    Each aggregate row (members of the same sex, status and months of birth, joining and
    leaving) is a few runs of months with one status and one age band; the runs are added
    up as differences and summed over the months once, not month by month for each row."""
    end = chart.month_end(*year_month(last))
    rows = (Member.objects.filter(organisation=organisation, join_date__lte=end).order_by()
            .values("sex", "status", by=ExtractYear("birth_date"), bm=ExtractMonth("birth_date"),
                    jy=ExtractYear("join_date"), jm=ExtractMonth("join_date"),
                    sy=ExtractYear("status_date"), sm=ExtractMonth("status_date"))
            .annotate(n=Count("pk"))
            .values_list("sex", "status", "by", "bm", "jy", "jm", "sy", "sm", "n"))
    changes: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for sex, status, by, bm, jy, jm, sy, sm, n in rows:
        joined = ym_of(jy, jm)
        left = ym_of(sy, sm) if (status in LEFT_STATUSES and sy) else None
        if first <= joined <= last:
            _bump(store, joined, "joins", "", n)
        if left is not None and first <= left <= last:
            _bump(store, left, "leavers", status, n)
        start = max(first, joined)
        if start > last:
            continue
        if status in LEFT_STATUSES and left is not None and left > start:
            runs = [(start, min(last, left - 1), Member.Status.ACTIVE), (left, last, status)]
        else:
            runs = [(start, last, status)]
        born = ym_of(by, bm)
        for run_start, run_end, now in runs:
            for s, e, band in _band_segments(born, run_start, run_end):
                deltas = changes[f"{now}|{sex}|{band}"]
                deltas[s] += n
                deltas[e + 1] -= n
    for key, deltas in changes.items():
        running = 0
        for ym in range(min(deltas), last + 1):
            running += deltas.get(ym, 0)
            if running:
                _bump(store, ym, "members", key, running)


def ledger_facts(organisation, first: int, last: int, store: dict) -> None:
    """Receipts, benefits, flows and balances: three aggregate queries over journal lines."""
    start = chart.month_end(*year_month(first)).replace(day=1)
    end = chart.month_end(*year_month(last))
    lines = JournalLine.objects.filter(organisation=organisation).order_by()
    keys = {"code": F("account__standard_code"), "fund_code": F("fund__code")}
    opening = (lines.filter(date__lt=start).values(**keys)
               .annotate(d=Sum("debit"), c=Sum("credit")).values_list("code", "fund_code", "d", "c"))
    monthly = (lines.filter(date__gte=start, date__lte=end)
               .values(y=ExtractYear("date"), m=ExtractMonth("date"), doc=F("entry__doc_type"), **keys)
               .annotate(d=Sum("debit"), c=Sum("credit"),
                         dn=Count("entry", distinct=True, filter=Q(debit__gt=0)),
                         cn=Count("entry", distinct=True, filter=Q(credit__gt=0)),
                         dl=Count("pk", filter=Q(debit__gt=0)), cl=Count("pk", filter=Q(credit__gt=0)))
               .values_list("y", "m", "doc", "code", "fund_code", "d", "c", "dn", "cn", "dl", "cl"))
    balance: dict[tuple[str, str], int] = defaultdict(int)
    for code, fund, d, c in opening:
        balance[(fund, code)] += d - c
    movement: dict[int, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    for y, m, doc, code, fund, d, c, dn, cn, dl, cl in monthly:
        ym = ym_of(y, m)
        movement[ym][(fund, code)] += d - c
        if doc == DocumentType.CLOSING:
            continue
        _bump(store, ym, "flow", code, 0, d - c)
        # receipts count income lines (a collection day's entry holds one per receipt and
        # kind; a void's reversing line takes one back); benefits count entries (one a case)
        if code in RECEIPT_TYPES:
            _bump(store, ym, "receipt_type", RECEIPT_TYPES[code], cl - dl, c - d)
        elif code in RECEIPT_SOURCES:
            _bump(store, ym, "receipt_source", RECEIPT_SOURCES[code], cl - dl, c - d)
        elif code in BENEFIT_CATEGORIES:
            _bump(store, ym, "benefit", BENEFIT_CATEGORIES[code], dn - cn, d - c)
    for ym in range(first, last + 1):
        for key, amount in movement.get(ym, {}).items():
            balance[key] += amount
        for (fund, code), amount in balance.items():
            if amount:
                _bump(store, ym, "balance", f"{fund}|{code}", 0, amount)


def savings_facts(organisation, first: int, last: int, store: dict) -> None:
    """savings "" → members holding money in a savings account or shares (count) and what the
    members' accounts hold together (amount, satang) at each month's end: one aggregate query
    over the lines of member accounts (2100/2110/2120/3400, credit-normal), by member and month."""
    end = chart.month_end(*year_month(last))
    lines = JournalLine.objects.filter(organisation=organisation, sub_account__isnull=False, date__lte=end)
    rows = (lines.values("sub_account__member_id", y=ExtractYear("date"), m=ExtractMonth("date")).order_by()
            .annotate(d=Sum("debit"), c=Sum("credit")).values_list("sub_account__member_id", "y", "m", "d", "c"))
    changes: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for member_id, y, m, d, c in rows:
        changes[max(ym_of(y, m), first)].append((member_id, c - d))  # earlier months: brought forward
    if not changes:
        return
    held: dict[int, int] = defaultdict(int)
    savers = total = 0
    for ym in range(first, last + 1):
        for member_id, amount in changes.get(ym, ()):
            before = held[member_id]
            held[member_id] = before + amount
            savers += (held[member_id] > 0) - (before > 0)
            total += amount
        if savers or total:
            _bump(store, ym, "savings", "", savers, total)


def loans_facts(organisation, first: int, last: int, store: dict) -> None:
    """loans "" → loans outstanding (count) and their principal (amount) at each month's end;
    par30 "" → those with an instalment more than 30 days overdue and their whole outstanding
    principal; borrowers "" → members with a loan outstanding (count); write_off "" → principal
    written off in the month (approved, not reversed). What settled a loan is read as the loans'
    own pages read it (repayments and waivers, ``settlements``); a loan written off later counts
    as outstanding until its write-off; each schedule is read once (``plan_of``)."""
    loans = list(Loan.objects.filter(organisation=organisation, disbursed_on__isnull=False,
                                     status__in=(*loan_selectors.LIVE, Loan.Status.WRITTEN_OFF)))
    if not loans:
        return
    offs = loan_selectors.write_offs(organisation)
    off_on = {loan_id: day for loan_id, day, _amount in offs}
    plans = {loan.pk: loan_selectors.plan_of(loan) for loan in loans}
    settled = loan_selectors.settlements(loans)  # repayments and waivers, oldest first
    paid: dict[int, Parts] = defaultdict(Parts)
    taken = 0
    begin = min(loan.disbursed_on for loan in loans)
    for ym in range(max(first, ym_of(begin.year, begin.month)), last + 1):
        day = chart.month_end(*year_month(ym))
        while taken < len(settled) and settled[taken][1] <= day:
            loan_id, _on, parts = settled[taken]
            paid[loan_id] = paid[loan_id] + parts
            taken += 1
        held = [(loan.member_id, plans[loan.pk].standing(paid[loan.pk], loan.principal, day))
                for loan in loans if loan.disbursed_on <= day and (loan.pk not in off_on or off_on[loan.pk] > day)]
        held = [(member_id, s) for member_id, s in held if s.outstanding > 0]
        standings = [s for _member_id, s in held]
        if standings:
            _bump(store, ym, "loans", "", len(standings), sum(s.outstanding for s in standings))
            _bump(store, ym, "borrowers", "", len({member_id for member_id, _s in held}))
        late = [s for s in standings if s.days_overdue > 30]
        if late:
            _bump(store, ym, "par30", "", len(late), sum(s.outstanding for s in late))
    for _loan_id, day, amount in offs:
        ym = ym_of(day.year, day.month)
        if first <= ym <= last:
            _bump(store, ym, "write_off", "", 1, amount)


def compute(organisation, first: int, last: int) -> list[Fact]:
    """Every fact of the group for the months ``first``..``last`` (``ym`` numbers)."""
    store: dict = {}
    if last < first:
        return []
    member_facts(organisation, first, last, store)
    ledger_facts(organisation, first, last, store)
    savings_facts(organisation, first, last, store)
    loans_facts(organisation, first, last, store)
    return [Fact(ym, kind, key, count, amount)
            for (ym, kind, key), (count, amount) in sorted(store.items()) if count or amount]
