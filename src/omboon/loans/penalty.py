"""The penalty on overdue instalments, a pure function of the loan's terms, its schedule, what
is settled and two dates (DESIGN.md "Loan products"; issue 17).

Two kinds, as the product's terms say (both may be zero: no penalty):

- **A rate per month on overdue principal** (``penalty_rate``, a percentage): every instalment
  whose due date has passed accrues, on its principal still unpaid, ``penalty_rate`` % for each
  30 days, counted by the day from its due date (or from the previous charge, whichever is
  later) to the day of the charge. The sum is rounded half up to the satang once.
- **A fixed fine** (``penalty_fine``, satang) for each instalment that fell due unpaid since the
  previous charge (each instalment is fined once).

A penalty is charged on a day (``services.penalty_charge``) and is income (4720) only when
paid: a repayment pays it first, before the oldest instalment's interest and principal.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from omboon.loans.allocation import Parts, remaining
from omboon.loans.schedule import Instalment, half_up


def accrued(rate: Decimal, fine: int, instalments: list[Instalment], settled: Parts, since: dt.date | None,
            on: dt.date) -> int:
    """The penalty owed for the days after ``since`` (None: since each due date) up to ``on``."""
    per_day = Fraction(rate) / 100 / 30
    total = Fraction(0)
    fines = 0
    for i, left in zip(instalments, remaining(instalments, settled)):
        if i.due >= on or left.total <= 0:
            continue
        start = max(i.due, since) if since is not None else i.due
        days = (on - start).days
        if days > 0 and left.principal > 0:
            total += left.principal * per_day * days
        if since is None or i.due >= since:
            fines += fine
    return half_up(total.numerator, total.denominator) + fines
