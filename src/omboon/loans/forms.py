"""Typed-in values of the loan pages to typed values, every problem at once: dates in พ.ศ. or
ค.ศ., money in baht ("20,000", "1 234.50"), members by number."""

from __future__ import annotations

import datetime as dt

from omboon.core.errors import Problem
from omboon.core.money import parse_baht
from omboon.core.thaidate import arabic_digits, parse_date
from omboon.members.models import Member


def _parsed(parse, text: str | None, name: str, problems: list[Problem], default=None):
    """``parse(text)``; blank gives ``default``; a parser's "Thai / English" error becomes a Problem."""
    text = (text or "").strip()
    if not text:
        return default
    try:
        return parse(text)
    except ValueError as exc:
        problems.append(Problem.from_error(name, exc, value=text))
        return None


def date_field(text: str | None, name: str, problems: list[Problem], default: dt.date | None = None
               ) -> dt.date | None:
    return _parsed(parse_date, text, name, problems, default)


def money_field(text: str | None, name: str, problems: list[Problem], *, required: bool = True) -> int | None:
    value = _parsed(parse_baht, text, name, problems)
    if value is None and required and not (text or "").strip():
        problems.append(Problem(name, "ต้องระบุจำนวนเงิน", "the amount is required"))
    return value


def member_by_number(members, text: str | None) -> Member | None:
    """A member of ``members`` (a queryset) by number as typed: "12" finds 0012."""
    text = arabic_digits((text or "").strip())
    if not text:
        return None
    found = members.filter(number=text).first()
    if found is None and text.isdigit():
        found = members.filter(number=text.zfill(4)).first()
    return found


def guarantor_numbers(data) -> list[str]:
    """The guarantor lines of a form (``guarantor_1`` … ``guarantor_4``), blanks left out."""
    return [t for t in (data.get(f"guarantor_{i}", "").strip() for i in range(1, 5)) if t]
