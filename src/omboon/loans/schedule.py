"""A loan's repayment schedule as a pure function of its terms, principal and dates.

``build(terms, principal, disbursed_on, first_due)`` returns the instalments in integer
satang; nothing here touches a database, so ``omboon loan-schedule`` runs without one and a
running loan's schedule is rebuilt from the terms stored on it at approval.

The rules, stated once (the tests check each):

- **Period rate** ``r``: the rate as entered (per year, or per month = 12 × per year) divided
  by the periods of a year: 12 for monthly, 52 for weekly, 1 for a yearly repayment. It is
  kept as an exact fraction; nothing is computed in floating point.
- **Interest** of an instalment is rounded half up to the satang:
  *declining balance* (equal instalments or equal principal): the balance before the
  instalment × ``r``; *flat*: the original principal × ``r``, the same every instalment.
- **Grace**: the first ``grace_principal`` instalments repay no principal (interest only);
  the first ``grace_interest`` instalments charge no interest (it is waived, not deferred),
  and a grace on interest lies within the grace on principal.
- **Principal** of the repaying instalments (``term − grace_principal`` of them): *equal
  instalments* (declining balance, EMI): the level payment P·r / (1 − (1+r)^−m), computed
  exactly and rounded down to the satang, minus the instalment's interest; with a zero rate
  P / m rounded down. *Equal principal* and *flat*: P / m rounded down.
- **Rounding** to a multiple (1 satang, or 1, 5 or 10 baht): the instalment's total
  (principal + interest) is rounded *down* to the multiple and its principal part is that
  total minus the interest. Down, never up: no instalment repays ahead of the unrounded
  schedule, so the loan is never repaid before its last instalment. Interest-only
  instalments of a grace are not rounded.
- **The last instalment** repays whatever principal is left, with its interest, unrounded:
  it absorbs every rounding residue, so the principal parts add up to the principal exactly.
  A principal too small for its term and rounding — an earlier instalment would repay no
  principal, or all of it (satang-sized instalments, where rounding the interest outweighs
  them) — is refused: choose a smaller rounding or a shorter term.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from fractions import Fraction

from omboon.core import months
from omboon.core.errors import raise_if
from omboon.loans import rules  # rules reads this module's names only when it runs

FLAT, DECLINING, EQUAL_PRINCIPAL = "flat", "declining", "equal-principal"
METHODS = (FLAT, DECLINING, EQUAL_PRINCIPAL)
METHOD_NAMES = {FLAT: ("ดอกเบี้ยคงที่ คิดจากเงินต้นเริ่มแรก", "flat interest"),  # (Thai, English)
                DECLINING: ("ลดต้นลดดอก งวดเท่ากัน", "declining balance, equal instalments"),
                EQUAL_PRINCIPAL: ("ลดต้นลดดอก เงินต้นเท่ากัน", "declining balance, equal principal")}
PER_YEAR, PER_MONTH = "year", "month"
WEEK, MONTH, YEAR = "week", "month", "year"
PERIODS_A_YEAR = {WEEK: 52, MONTH: 12, YEAR: 1}
ROUNDINGS = (1, 100, 500, 1000)  # satang: none, 1, 5 or 10 baht
PARTS = ("penalty", "fee", "interest", "principal")  # a repayment's parts, in the default order of allocation


@dataclass(frozen=True, slots=True)
class Terms:
    """What a loan's schedule depends on, stored on the loan when it is approved.

    ``rate`` is a percentage as typed ("12", "1.25"), per ``per`` (year or month); ``term``
    is the number of instalments, one every ``every`` (week, month or year); ``rounding`` is
    in satang (1 = none; 100, 500, 1000 = 1, 5, 10 baht).
    """

    method: str
    rate: Decimal
    per: str
    every: str
    term: int
    grace_principal: int = 0
    grace_interest: int = 0
    rounding: int = 1
    # The penalty on overdue instalments (``penalty``; not part of the schedule): a percentage a
    # month on overdue principal, and/or a fixed fine in satang for each instalment fallen due.
    penalty_rate: Decimal = Decimal(0)
    penalty_fine: int = 0
    # The order a repayment pays the parts in (``allocation.allocate``): a permutation of PARTS.
    order: tuple = PARTS

    def __post_init__(self):
        if isinstance(self.order, list):  # as JSON gives it: a tuple, so terms can be a key (``amounts``)
            object.__setattr__(self, "order", tuple(self.order))

    def as_dict(self) -> dict:
        data = {f.name: getattr(self, f.name) for f in fields(self)}  # flat values: no deep copy (asdict's)
        data["rate"] = str(self.rate)
        data["penalty_rate"] = str(self.penalty_rate)
        data["order"] = list(self.order)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Terms:
        return cls(**{**data, "rate": Decimal(str(data["rate"])),
                      "penalty_rate": Decimal(str(data.get("penalty_rate", 0))),
                      "order": tuple(data.get("order") or PARTS)})


@dataclass(frozen=True, slots=True)
class Instalment:
    n: int
    due: dt.date
    principal: int
    interest: int
    total: int
    balance: int  # outstanding principal after this instalment


def period_rate(terms: Terms) -> Fraction:
    """The rate of one repayment period as an exact fraction (see the module's rules)."""
    yearly = Fraction(terms.rate) / 100 * (12 if terms.per == PER_MONTH else 1)
    return yearly / PERIODS_A_YEAR[terms.every]


def half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator (both ≥ 0, denominator > 0) rounded half up to a whole number."""
    return (2 * numerator + denominator) // (2 * denominator)


def down_to_multiple(amount: int, multiple: int) -> int:
    """``amount`` (≥ 0) rounded down to a multiple of ``multiple``."""
    return amount - amount % multiple


def level_payment(principal: int, rate: Fraction, count: int) -> int:
    """The equal instalment P·r / (1 − (1+r)^−m) in satang, rounded down; P / m at a zero rate."""
    if rate == 0:
        return principal // count
    num, den = rate.numerator, rate.denominator
    grown = (den + num) ** count  # (1+r)^m = grown / den^m
    base = den**count
    return principal * num * grown // (den * (grown - base))


def due_dates(every: str, first_due: dt.date, count: int) -> list[dt.date]:
    """``count`` due dates from ``first_due``: every 7 days, or the same day of each month or
    year (its last day when a month is shorter: 31 → 30 April, 29 February → 28)."""
    if every == WEEK:
        return [first_due + dt.timedelta(days=7 * i) for i in range(count)]
    step, day = (12 if every == YEAR else 1), first_due.day
    shift = dt.date if day <= 28 else months.day_in  # every month has a 28th: no need to ask its length
    return [shift(*months.add(first_due.year, first_due.month, i * step), day) for i in range(count)]


def due_on(every: str, anchor: dt.date, i: int) -> dt.date:
    """The ``i``-th of ``due_dates(every, anchor, …)`` alone (0: ``anchor`` itself)."""
    if every == WEEK:
        return anchor + dt.timedelta(days=7 * i)
    shift = dt.date if anchor.day <= 28 else months.day_in
    return shift(*months.add(anchor.year, anchor.month, i * (12 if every == YEAR else 1)), anchor.day)


class DueDates(Sequence):
    """A schedule's due dates as a sequence, each worked out when read (``due_on``): the arrears'
    bisection reads a handful of them, not every one. With no first due date given, the first
    falls one period after the disbursement and the rest on its day (``build``)."""

    __slots__ = ("anchor", "count", "every", "skip")

    def __init__(self, every: str, disbursed_on: dt.date, first_due: dt.date | None, count: int):
        self.every, self.count = every, count
        self.anchor, self.skip = (disbursed_on, 1) if first_due is None else (first_due, 0)

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, i):
        if not 0 <= i < self.count:
            raise IndexError(i)
        return due_on(self.every, self.anchor, i + self.skip)


def default_first_due(every: str, disbursed_on: dt.date) -> dt.date:
    """One period after the disbursement."""
    return due_dates(every, disbursed_on, 2)[1]


def amounts(terms: Terms, principal: int) -> tuple[list[int], list[int]]:
    """Each instalment's principal part and interest by the module's rules, without dates: they
    depend on the terms and the principal alone (``arrears`` keeps them for loans lent on the same
    terms and principal). ``terms`` as ``rules.SCHEDULE`` accepts them; raises ``RuleViolation``
    for an instalment rounded to nothing."""
    rate = period_rate(terms)
    num, den = rate.numerator, rate.denominator
    count, repaying = terms.term, terms.term - terms.grace_principal
    level = level_payment(principal, rate, repaying) if terms.method == DECLINING else 0
    flat_interest = half_up(principal * num, den)
    equal_part = principal // repaying
    balance = principal
    parts, interests = [], []
    for n in range(1, count + 1):
        if n <= terms.grace_interest:
            interest = 0
        elif terms.method == FLAT:
            interest = flat_interest
        else:
            interest = half_up(balance * num, den)
        if n == count:
            part = balance
        elif n <= terms.grace_principal:
            part = 0
        else:
            raw = level if terms.method == DECLINING else equal_part + interest
            part = down_to_multiple(raw, terms.rounding) - interest
            if part <= 0 or part >= balance:
                raise_if([rules.instalment_too_small(terms, n)])
        balance -= part
        parts.append(part)
        interests.append(interest)
    return parts, interests


def build(terms: Terms, principal: int, disbursed_on: dt.date, first_due: dt.date | None = None) -> list[Instalment]:
    """The schedule of ``principal`` satang lent on ``disbursed_on`` under ``terms``.

    Raises ``RuleViolation`` (the problems of ``rules.SCHEDULE``) for terms it cannot follow.
    """
    count = terms.term if rules.is_count(terms.term) else 0
    if first_due is None:  # one period after the disbursement, the same day of each month after it
        dates = due_dates(terms.every, disbursed_on, count + 1)[1:] if count else []
        first_due = dates[0] if dates else default_first_due(terms.every, disbursed_on)
    else:
        dates = due_dates(terms.every, first_due, count)
    raise_if(rules.problems_of_schedule(terms, principal, disbursed_on, first_due))
    balance, rows = principal, []
    for n, (due, part, interest) in enumerate(zip(dates, *amounts(terms, principal)), start=1):
        balance -= part
        rows.append(Instalment(n=n, due=due, principal=part, interest=interest, total=part + interest,
                               balance=balance))
    return rows
