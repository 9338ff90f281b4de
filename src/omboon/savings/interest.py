"""Interest on savings, as pure functions of balances and dates (no database).

The rule, as the bylaws of most savings groups state it and as ``DESIGN.md`` asks:

- each day of the period earns its END-OF-DAY balance × the annual rate ÷ the number of days of
  that day's year (365, or 366 in a leap year);
- a day whose end-of-day balance is below the product's minimum balance earns nothing (a day
  at or above it earns on its whole balance);
- the days' interest is summed EXACTLY (as fractions of a satang) over the posting period, and
  the sum is rounded DOWN to the satang once, per account and period. What is rounded away is
  never paid and never carried over.

``interest`` computes it segment by segment (a balance held for n days earns n days at once);
``interest_by_days`` replays the period day by day. They are equal (a property test says so),
and splitting a period in two changes the total by at most one satang (the second rounding).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

ONE_DAY = dt.timedelta(days=1)


def days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def _daily(balance: int, rate: Decimal, year: int) -> Fraction:
    return Fraction(balance) * Fraction(rate) / 100 / days_in_year(year)


def _end_of_day(opening: int, movements: Iterable[tuple[dt.date, int]], start: dt.date, end: dt.date):
    """(first day, last day, balance) segments covering start..end: ``opening`` is the balance
    at the end of the day before ``start``; ``movements`` are (date, signed amount)."""
    changes: dict[dt.date, int] = {}
    for day, amount in movements:
        if day <= end:
            key = max(day, start)
            if day < start:
                opening += amount
            else:
                changes[key] = changes.get(key, 0) + amount
    balance, day = opening, start
    for change_day in sorted(changes):
        if change_day > day:
            yield day, change_day - ONE_DAY, balance
        balance += changes[change_day]
        day = change_day
    yield day, end, balance


def exact(opening: int, movements, start: dt.date, end: dt.date, rate: Decimal, minimum: int = 0) -> Fraction:
    """The period's interest in exact fractions of a satang (segment by segment, split at the
    turn of a year): each year's balance-days summed as integers, then × rate ÷ 100 ÷ the
    year's days — the same sum as day by day, with one fraction a year instead of one a day."""
    weighted: dict[int, int] = {}
    for first, last, balance in _end_of_day(opening, movements, start, end):
        if balance <= 0 or balance < minimum:
            continue
        day = first
        while day <= last:
            upto = min(last, dt.date(day.year, 12, 31))
            weighted[day.year] = weighted.get(day.year, 0) + balance * ((upto - day).days + 1)
            day = upto + ONE_DAY
    if not weighted:
        return Fraction(0)
    return Fraction(rate) / 100 * sum(Fraction(w, days_in_year(y)) for y, w in weighted.items())


def interest(opening: int, movements, start: dt.date, end: dt.date, rate: Decimal, minimum: int = 0) -> int:
    """Satang of interest for ``start``..``end`` (both included), rounded down once."""
    if end < start:
        return 0
    return int(exact(opening, movements, start, end, rate, minimum))  # int() of a positive Fraction floors


def interest_by_days(opening: int, movements, start: dt.date, end: dt.date, rate: Decimal,
                     minimum: int = 0) -> int:
    """The same, replayed one day at a time (what a clerk with a ruler would do)."""
    if end < start:
        return 0
    by_day: dict[dt.date, int] = {}
    balance = opening
    for day, amount in movements:
        if day < start:
            balance += amount
        elif day <= end:
            by_day[day] = by_day.get(day, 0) + amount
    total = Fraction(0)
    day = start
    while day <= end:
        balance += by_day.get(day, 0)
        if balance > 0 and balance >= minimum:
            total += _daily(balance, rate, day.year)
        day += ONE_DAY
    return int(total)


# --- posting periods on the fiscal calendar --------------------------------------------------

PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "half-yearly": 6, "yearly": 12}


def period_of(end: dt.date, months_long: int) -> tuple[dt.date, dt.date]:
    """The period of ``months_long`` months ending on the month-end ``end``."""
    index = end.year * 12 + end.month - 1 - (months_long - 1)
    return dt.date(index // 12, index % 12 + 1, 1), end


def period_ends(fiscal_start_month: int, months_long: int, first: dt.date, through: dt.date) -> list[dt.date]:
    """Month-ends from ``first`` to ``through`` that end a posting period: periods of
    ``months_long`` months counted from the fiscal year's first month (half-years of a
    January year end 30 June and 31 December)."""
    out = []
    year, month = first.year, first.month
    while True:
        end = dt.date(year, month, calendar.monthrange(year, month)[1])
        if end > through:
            return out
        if (month - fiscal_start_month + 1) % months_long == 0 and end >= first:
            out.append(end)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
