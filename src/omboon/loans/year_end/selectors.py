"""Reads of the year-end allocation: its inputs from the books and the allocations kept.

- **The fiscal year**: its bounds from the group's first month (``ledger.chart``); an
  allocation is made only once its last month is closed (the close has moved the year's income
  and expenses to accumulated surplus, 3300).
- **Net income**: the year's income less its expenses, every fund together, from the journal
  lines (the closing entry left out) — what the close carried to 3300, fund by fund.
- **Time-weighted balance**: each member's twelve month-end balances of their shares (3400)
  and/or savings (2100, 2110, 2120) added up, from the lines of their sub-accounts: the
  balance brought forward × 12, and each movement × the month-ends it stands at.
- **Interest paid**: the interest part of each member's repayments dated in the year that
  stand (not reversed), as ``Repayment.interest`` holds it (credited to 4710 when received).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum

from omboon.ledger import chart
from omboon.ledger import selectors as ledger_selectors
from omboon.ledger.models import AccountType
from omboon.loans.models import Repayment, YearEndAllocation, YearEndShare
from omboon.loans.year_end import compute

BASE_CODES = {
    YearEndAllocation.Base.SHARES: (chart.SHARE_CAPITAL,),
    YearEndAllocation.Base.SAVINGS: (chart.SAVINGS_DEPOSITS, chart.VOLUNTARY_SAVINGS, chart.FIXED_DEPOSITS),
    YearEndAllocation.Base.ALL: (chart.SHARE_CAPITAL, chart.SAVINGS_DEPOSITS, chart.VOLUNTARY_SAVINGS,
                                 chart.FIXED_DEPOSITS),
}


@dataclass(frozen=True)
class Year:
    fiscal_year: int
    start: dt.date
    end: dt.date
    closed: bool  # its last month is closed


def fiscal_year(organisation, year: int) -> Year:
    start, end = chart.fiscal_year_bounds(organisation.fiscal_year_start_month, year)
    through = ledger_selectors.closed_through(organisation, end)
    return Year(year, start, end, through is not None and through.end >= end)


def net_income_by_fund(organisation, year: Year) -> dict[int, int]:
    """{fund id: income less expenses} of the fiscal year (funds with none left out)."""
    out: dict[int, int] = {}
    moved = ledger_selectors.movements(organisation, year.start, year.end,
                                       account_types=[AccountType.INCOME, AccountType.EXPENSE])
    for (_account, fund), (debit, credit) in moved.items():
        out[fund] = out.get(fund, 0) + credit - debit
    return {f: v for f, v in out.items() if v}


def _month_index(start: dt.date, day: dt.date) -> int:
    return (day.year - start.year) * 12 + day.month - start.month


def balance_months(organisation, year: Year, base: str) -> dict[int, int]:
    """{member id: the sum of their twelve month-end balances} on the base's accounts (credit
    less debit: savings and shares), members with none left out. Two queries."""
    lines = ledger_selectors.lines(organisation).filter(
        sub_account__isnull=False, sub_account__account__standard_code__in=BASE_CODES[base])
    out: dict[int, int] = {}
    for member, debit, credit in (lines.filter(date__lt=year.start).values_list("sub_account__member_id")
                                  .annotate(Sum("debit"), Sum("credit")).order_by()):
        out[member] = (credit - debit) * compute.MONTHS
    for member, day, debit, credit in (lines.filter(date__gte=year.start, date__lte=year.end)
                                       .values_list("sub_account__member_id", "date")
                                       .annotate(Sum("debit"), Sum("credit")).order_by()):
        out[member] = out.get(member, 0) + (credit - debit) * (compute.MONTHS - _month_index(year.start, day))
    return {m: v for m, v in out.items() if v}


def interest_paid(organisation, year: Year) -> dict[int, int]:
    """{member id: loan interest paid in the fiscal year} (repayments that stand)."""
    rows = (Repayment.objects.filter(organisation=organisation, date__gte=year.start, date__lte=year.end,
                                     reversal__isnull=True, interest__gt=0)
            .values_list("loan__member_id").annotate(Sum("interest")).order_by())
    return dict(rows)


def inputs(organisation, year: Year, base: str) -> list[compute.MemberInput]:
    """Every member with a balance or interest paid in the year, in member id order. A balance
    that nets below zero (a correction across the year) counts as zero."""
    balances = balance_months(organisation, year, base)
    interest = interest_paid(organisation, year)
    return [compute.MemberInput(m, max(balances.get(m, 0), 0), interest.get(m, 0))
            for m in sorted(set(balances) | set(interest))]


# --- allocations kept ----------------------------------------------------------------------

def allocations(organisation) -> QuerySet[YearEndAllocation]:
    return YearEndAllocation.objects.filter(organisation=organisation)


def current(organisation, fiscal_year: int) -> YearEndAllocation | None:
    """The year's allocation that is not reversed (at most one)."""
    return allocations(organisation).filter(fiscal_year=fiscal_year).exclude(
        status=YearEndAllocation.Status.REVERSED).first()


def model_of(allocation: YearEndAllocation) -> compute.Model:
    return compute.Model(allocation.model, **{p: getattr(allocation, f"{p}_pct") for p in compute.PARTS})


def parts_of(allocation: YearEndAllocation) -> dict[str, int]:
    return {p: getattr(allocation, p) for p in compute.PARTS}


def shares(allocation: YearEndAllocation, *, query: str = "") -> QuerySet[YearEndShare]:
    """The per-member list in member number order (a page slices it: paginated in SQL)."""
    qs = allocation.shares.select_related("member").order_by("member__number", "pk")
    query = (query or "").strip()
    if query:
        qs = qs.filter(Q(member__number__icontains=query) | Q(member__first_name__icontains=query)
                       | Q(member__last_name__icontains=query))
    return qs


def member_inputs(allocation: YearEndAllocation) -> list[compute.MemberInput]:
    """What the draft was computed from (a what-if recomputes from these, not from the books)."""
    return [compute.MemberInput(m, b, i) for m, b, i in
            allocation.shares.order_by("member_id").values_list("member_id", "balance_months", "interest_paid")]


def what_if(allocation: YearEndAllocation, model: compute.Model) -> compute.Allocation:
    """The draft's members under other percentages or rates; nothing is saved."""
    return compute.allocate(allocation.net_income, model, member_inputs(allocation))
