"""Paid-through dates, arrears and amounts due, derived from plans and payments (pure).

Nothing here touches the database: ``selectors`` feeds it a group's plans and each member's
total paid per kind (from receipts that are not void), so the figures can never drift from
the receipts.

A kind's *schedule* for one member is a run of billing periods from the day they joined (or
the first plan, if later) until they left (resigned, died, expelled) or for ever:

- ``daily_saving``: the plan's rate per day times the days of each billing period (a month,
  a quarter of the fiscal year, or a fiscal year); the first and last periods count only the
  days of membership. Coverage is by day: 100 baht at one baht a day covers 100 days.
- ``annual_fee``: the plan's amount per fiscal year, from the fiscal year the member joined
  in, split evenly over the year's billing periods still ahead of them.
- ``entry_fee``: once, on the day they joined.

Payments cover the schedule oldest first. The paid-through date is the last day covered;
arrears are what is due for billing periods that ended before today and is not paid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from omboon.core import months
from omboon.core.money import allocate
from omboon.ledger.chart import fiscal_year_bounds, fiscal_year_of, month_end

ONE_DAY = dt.timedelta(days=1)
EARLIEST = dt.date(1900, 1, 1)
DEFAULT_DAILY_RATE = 100  # one baht a day
HORIZON_YEARS = 30  # how far ahead a prepayment may reach


@dataclass(frozen=True)
class Rate:
    """One plan: ``amount`` from ``start`` until the next Rate of the same kind."""

    start: dt.date
    amount: int
    frequency: str
    fund_code: str = ""


@dataclass(frozen=True)
class Installment:
    start: dt.date
    end: dt.date
    amount: int


@dataclass
class Coverage:
    kind: str
    paid: int = 0
    paid_through: dt.date | None = None
    due_to_date: int = 0  # due for billing periods that have ended
    arrears: int = 0  # due_to_date - paid, when positive
    months_behind: int = 0
    due_now: int = 0  # what settles the current billing period too
    first: dt.date | None = None  # the first day owed
    owed: bool = True  # False: nothing of this kind is asked of the member

    @property
    def credit(self) -> int:
        return max(self.paid - self.due_to_date, 0)


def default_rates(kind: str) -> list[Rate]:
    if kind == "daily_saving":
        return [Rate(EARLIEST, DEFAULT_DAILY_RATE, "monthly")]
    return []


def rate_on(rates: list[Rate], day: dt.date) -> Rate | None:
    found = None
    for r in rates:
        if r.start <= day:
            found = r
        else:
            break
    return found


def period_bounds(day: dt.date, frequency: str, fy_start_month: int) -> tuple[dt.date, dt.date]:
    """The billing period of ``frequency`` containing ``day``; quarters follow the fiscal year."""
    if frequency == "monthly":
        return day.replace(day=1), month_end(day.year, day.month)
    if frequency == "quarterly":
        offset = (day.month - fy_start_month) % 3
        y, m = months.add(day.year, day.month, -offset)
        ey, em = months.add(y, m, 2)
        return dt.date(y, m, 1), month_end(ey, em)
    if frequency == "yearly":
        return fiscal_year_bounds(fy_start_month, fiscal_year_of(fy_start_month, day))
    return day, day


def months_between(start: dt.date, end: dt.date) -> int:
    """Calendar months from ``start``'s month to ``end``'s month, both counted."""
    return max((end.year - start.year) * 12 + end.month - start.month + 1, 0)


class Schedule:
    """What one member owes for one kind, period by period."""

    def __init__(self, kind: str, rates: list[Rate], *, joined: dt.date, left: dt.date | None,
                 fy_start_month: int = 1):
        self.kind = kind
        self.rates = sorted(rates, key=lambda r: r.start) or default_rates(kind)
        self.fy = fy_start_month
        first_rate = self.rates[0].start if self.rates else joined
        self.first = max(joined, first_rate)
        self.left = left
        self.owed = bool(self.rates) and any(r.amount for r in self.rates)
        # worked out once by day: members who joined together share a schedule
        self._due: dict[dt.date, int] = {}  # due_through
        self._due_by: dict[dt.date, int] = {}  # due_to_date

    # --- the schedule ------------------------------------------------------------------------
    def daily_amount(self, a: dt.date, b: dt.date) -> int:
        """Sum of the daily rate over the days a..b (inclusive)."""
        if b < a:
            return 0
        total = 0
        for i, r in enumerate(self.rates):
            r_end = self.rates[i + 1].start - ONE_DAY if i + 1 < len(self.rates) else dt.date.max
            lo, hi = max(a, r.start), min(b, r_end)
            if hi >= lo:
                total += ((hi - lo).days + 1) * r.amount
        return total

    def frequency_on(self, day: dt.date) -> str:
        r = rate_on(self.rates, day)
        return r.frequency if r else (self.rates[0].frequency if self.rates else "monthly")

    def billing_period(self, day: dt.date) -> tuple[dt.date, dt.date]:
        if self.kind == "entry_fee":
            return self.first, self.first
        return period_bounds(day, self.frequency_on(day), self.fy)

    def installments(self, until: dt.date) -> Iterator[Installment]:
        """Billing periods starting on or before ``until`` (and before the member left)."""
        if not self.rates:
            return
        last = self.left if self.left is not None else dt.date.max
        if self.first > last:
            return
        if self.kind == "entry_fee":
            r = rate_on(self.rates, self.first)
            if r is not None and self.first <= until:
                yield Installment(self.first, self.first, r.amount)
            return
        if self.kind == "annual_fee":
            yield from self._annual(until, last)
            return
        day = self.first
        while day <= until and day <= last:
            start, end = period_bounds(day, self.frequency_on(day), self.fy)
            yield Installment(start, end, self.daily_amount(max(start, day), min(end, last)))
            day = end + ONE_DAY

    def _annual(self, until: dt.date, last: dt.date) -> Iterator[Installment]:
        fy = fiscal_year_of(self.fy, self.first)
        while True:
            fy_start, fy_end = fiscal_year_bounds(self.fy, fy)
            if fy_start > until or fy_start > last:
                return
            begin = max(fy_start, self.first)
            r = rate_on(self.rates, begin)
            amount = r.amount if r else 0
            periods = []
            day = begin
            while day <= fy_end:
                start, end = period_bounds(day, r.frequency if r else "yearly", self.fy)
                end = min(end, fy_end)
                periods.append((start, end))
                day = end + ONE_DAY
            shares = allocate(amount, [1] * len(periods)) if amount else [0] * len(periods)
            for (start, end), share in zip(periods, shares):
                if start > until:
                    return
                yield Installment(start, end, share)
            fy += 1

    # --- figures -----------------------------------------------------------------------------
    def due_through(self, day: dt.date) -> int:
        """Due for billing periods ending on or before ``day``."""
        found = self._due.get(day)
        if found is None:
            found = self._due[day] = self._due_through(day)
        return found

    def _due_through(self, day: dt.date) -> int:
        if self.kind == "daily_saving":
            # The daily saving's periods tile the days: sum the rate up to the last period end.
            if not self.rates:
                return 0
            start, end = period_bounds(day, self.frequency_on(day), self.fy)
            last_end = day if day == end else start - ONE_DAY
            if self.left is not None:
                last_end = min(last_end, self.left)
            return self.daily_amount(self.first, last_end)
        return sum(i.amount for i in self.installments(day) if i.end <= day)

    def _daily_paid_through(self, paid: int, as_of: dt.date) -> dt.date | None:
        """Days covered in order, one rate segment at a time (the same as period by period)."""
        end_all = self.left or dt.date.max
        through = None
        remaining = paid
        for i, r in enumerate(self.rates):
            seg_start = max(r.start, self.first)
            next_start = self.rates[i + 1].start if i + 1 < len(self.rates) else None
            seg_end = min(next_start - ONE_DAY if next_start else dt.date.max, end_all)
            if seg_end < seg_start:
                continue
            if r.amount == 0:
                if seg_end == dt.date.max:  # nothing asked from here on
                    return max(seg_start - ONE_DAY, as_of)
                through = seg_end
                continue
            n = min(remaining // r.amount, 365 * HORIZON_YEARS)
            if seg_end != dt.date.max and n >= (seg_end - seg_start).days + 1:
                remaining -= ((seg_end - seg_start).days + 1) * r.amount
                through = seg_end
                continue
            if n > 0:
                through = seg_start + dt.timedelta(days=n - 1)
            return through
        return through

    def paid_through(self, paid: int, as_of: dt.date | None = None) -> dt.date | None:
        """The last day that ``paid`` satang cover, oldest first (None: not even the first)."""
        if not self.rates:
            return None
        if self.kind == "daily_saving":
            return self._daily_paid_through(paid, as_of or dt.date.today())
        horizon = (as_of or dt.date.today()).replace(month=1, day=1)
        horizon = horizon.replace(year=min(horizon.year + HORIZON_YEARS, 9000))
        remaining = paid
        through = None
        for inst in self.installments(horizon):
            if inst.amount == 0:
                if as_of is not None and inst.start > as_of:
                    break
                through = inst.end
                continue
            if remaining >= inst.amount:
                remaining -= inst.amount
                through = inst.end
                continue
            if self.kind == "daily_saving" and remaining > 0:
                through = self._days_covered(max(inst.start, self.first), inst.end, remaining) or through
            break
        if through is not None and self.left is not None and through > self.left:
            through = self.left
        return through

    def _days_covered(self, a: dt.date, b: dt.date, amount: int) -> dt.date | None:
        through = None
        day = a
        while day <= b:
            r = rate_on(self.rates, day)
            nxt = next((x.start for x in self.rates if x.start > day), None)
            seg_end = min(b, nxt - ONE_DAY) if nxt else b
            seg_days = (seg_end - day).days + 1
            rate = r.amount if r else 0
            n = seg_days if rate == 0 else min(seg_days, amount // rate)
            amount -= n * rate
            if n:
                through = day + dt.timedelta(days=n - 1)
            if n < seg_days:
                break
            day = seg_end + ONE_DAY
        return through

    def _cutoff(self, as_of: dt.date) -> tuple[dt.date, dt.date]:
        """The last day of the billing periods that have ended, and of the current one."""
        if self.kind == "entry_fee":
            return as_of, as_of
        current_start, current_end = self.billing_period(min(as_of, self.left or as_of))
        return current_start - ONE_DAY, current_end

    def due_to_date(self, as_of: dt.date) -> int:
        """``coverage(paid, as_of).due_to_date`` without the rest: arrears are this less what is paid."""
        if not self.rates or as_of < self.first:
            return 0
        found = self._due_by.get(as_of)
        if found is None:
            found = self._due_by[as_of] = self.due_through(self._cutoff(as_of)[0])
        return found

    def coverage(self, paid: int, as_of: dt.date) -> Coverage:
        cov = Coverage(kind=self.kind, paid=paid, first=self.first, owed=self.owed)
        cov.paid_through = self.paid_through(paid, as_of)
        if not self.rates or as_of < self.first:
            cov.due_now = 0
            return cov
        cutoff, upto = self._cutoff(as_of)
        cov.due_to_date = self.due_through(cutoff)
        cov.arrears = max(cov.due_to_date - paid, 0)
        cov.due_now = max(self.due_through(upto) - paid, 0)
        if cov.arrears:
            behind_from = cov.paid_through + ONE_DAY if cov.paid_through else self.first
            cov.months_behind = months_between(behind_from, cutoff) if self.kind != "entry_fee" else 0
        return cov


def rates_by_kind(plans) -> dict[str, list[Rate]]:
    """Plans (model instances or anything with the same attributes) grouped as Rates."""
    out: dict[str, list[Rate]] = {}
    for p in plans:
        out.setdefault(p.kind, []).append(Rate(p.effective_from, p.amount, p.frequency, p.fund_code))
    for rates in out.values():
        rates.sort(key=lambda r: r.start)
    return out
