"""Month arithmetic, the one place it is done: a month is (year, month), or its index
``year * 12 + month - 1`` where months are counted or stored as one number (monthly facts)."""

from __future__ import annotations

import calendar
import datetime as dt

Month = tuple[int, int]


def index(year: int, month: int) -> int:
    return year * 12 + month - 1


def from_index(i: int) -> Month:
    return i // 12, i % 12 + 1


def add(year: int, month: int, n: int) -> Month:
    """The month ``n`` months after (or before, for a negative ``n``)."""
    return from_index(index(year, month) + n)


def end(year: int, month: int) -> dt.date:
    """The month's last day."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def day_in(year: int, month: int, day: int) -> dt.date:
    """``day`` of the month, or its last day when it is shorter (31 → 30 April, 28 February)."""
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def between(first: Month, last: Month) -> list[Month]:
    """Every month from ``first`` to ``last``, both included."""
    return [from_index(i) for i in range(index(*first), index(*last) + 1)]


def completed(start: dt.date, day: dt.date) -> int:
    """Whole months from ``start`` to ``day`` (a month is complete on the same day of the month)."""
    months = (day.year - start.year) * 12 + day.month - start.month
    return months - 1 if day.day < start.day else months
