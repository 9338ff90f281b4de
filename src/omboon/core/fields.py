"""Typed-in text of a page to typed values, every problem at once (not Django forms: the pages
collect all of a form's problems and show them together, in the page's language).

Dates in พ.ศ. or ค.ศ. (``core.thaidate.parse_date``), money in baht ("20,000", "1 234.50",
Thai digits; ``core.money.parse_baht``). A blank field gives the default; a parser's
"Thai / English" error becomes a Problem naming the field and quoting what was typed.
"""

from __future__ import annotations

import datetime as dt

from omboon.core.errors import Problem
from omboon.core.money import parse_baht
from omboon.core.thaidate import parse_date


def parsed(parse, text: str | None, name: str, problems: list[Problem], default=None):
    """``parse(text)``; blank gives ``default``; a ``ValueError`` is added to ``problems``."""
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
    return parsed(parse_date, text, name, problems, default)


def money_field(text: str | None, name: str, problems: list[Problem], *, required: bool = False) -> int | None:
    """Satang from baht as typed; with ``required``, a blank field is a problem too."""
    value = parsed(parse_baht, text, name, problems)
    if value is None and required and not (text or "").strip():
        problems.append(Problem(name, "ต้องระบุจำนวนเงิน", "the amount is required"))
    return value
