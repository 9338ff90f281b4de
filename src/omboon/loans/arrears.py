"""Arrears and portfolio quality, pure functions (DESIGN.md "Arrears").

Days overdue are counted from the oldest due date whose instalment is not fully paid; aging
buckets 1–30, 31–60, 61–90, 91–180, 181–365 and over 365 days. PAR30 is the outstanding
principal of loans with any instalment more than 30 days overdue ÷ the gross outstanding
principal; the arrears rate (overdue principal ÷ gross outstanding) is a different figure and
labelled so.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from omboon.loans.allocation import Parts, remaining
from omboon.loans.schedule import DueDates, Instalment, Terms, amounts

BUCKETS = ((1, 30), (31, 60), (61, 90), (91, 180), (181, 365), (366, None))
_LOWS = tuple(low for low, _high in BUCKETS)


def bucket_label(bucket: tuple[int, int | None]) -> str:
    low, high = bucket
    return f"> {low - 1}" if high is None else f"{low}–{high}"


@dataclass(frozen=True, slots=True)
class Standing:
    """One loan on a day: its outstanding principal, days overdue, the overdue principal."""

    outstanding: int
    days_overdue: int
    overdue_principal: int

    @property
    def bucket(self) -> tuple[int, int | None] | None:
        i = bisect.bisect_right(_LOWS, self.days_overdue)  # buckets follow on from one another
        return BUCKETS[i - 1] if i else None


@dataclass(frozen=True, slots=True)
class Plan:
    """A schedule as arrears read it: the due dates and the running sums of interest and of
    principal. Repayments and waivers use up interest and principal each oldest instalment first
    (``allocation.remaining``), so the oldest instalment not fully settled is the first whose
    running interest or principal exceeds what was settled of it: a bisection, not a walk."""

    dues: Sequence[dt.date]
    interest: tuple[int, ...]
    principal: tuple[int, ...]

    @classmethod
    def of(cls, instalments: list[Instalment]) -> Plan | Walk:
        """The plan of built instalments; a ``Walk`` where their due dates are not in order (a
        reschedule keeps an instalment settled ahead — its interest waived or prepaid — that
        falls due after the new schedule's first instalments), which a bisection cannot read."""
        dues = tuple(i.due for i in instalments)
        if any(later < earlier for earlier, later in itertools.pairwise(dues)):
            return Walk(tuple(instalments))
        return cls(dues, tuple(itertools.accumulate(i.interest for i in instalments)),
                   tuple(itertools.accumulate(i.principal for i in instalments)))

    @classmethod
    def of_terms(cls, terms: Terms, principal: int, disbursed_on: dt.date, first_due: dt.date | None) -> Plan:
        """The plan of ``schedule.build(terms, principal, disbursed_on, first_due)`` without
        building it: the running sums of its amounts (shared by loans of the same terms and
        principal) and its due dates worked out as the bisection reads them."""
        interest, principal_sums = _running(terms, principal)
        return cls(DueDates(terms.every, disbursed_on, first_due, terms.term), interest, principal_sums)

    def standing(self, paid: Parts, principal: int, on: dt.date) -> Standing:
        fallen_due = bisect.bisect_left(self.dues, on)  # instalments due before ``on``
        unsettled = min(bisect.bisect_right(self.interest, paid.interest),
                        bisect.bisect_right(self.principal, paid.principal))
        oldest = self.dues[unsettled] if unsettled < fallen_due else None
        overdue = max(self.principal[fallen_due - 1] - paid.principal, 0) if fallen_due else 0
        return Standing(outstanding=principal - paid.principal, days_overdue=(on - oldest).days if oldest else 0,
                        overdue_principal=overdue)


@dataclass(frozen=True, slots=True)
class Walk:
    """A schedule read by walking every instalment (``allocation.remaining``): of one whose
    due dates are out of order (``Plan.of``)."""

    instalments: tuple[Instalment, ...]

    def standing(self, paid: Parts, principal: int, on: dt.date) -> Standing:
        left = remaining(list(self.instalments), paid)
        oldest = min((i.due for i, r in zip(self.instalments, left) if r.total > 0 and i.due < on), default=None)
        overdue = sum(r.principal for i, r in zip(self.instalments, left) if i.due < on)
        return Standing(outstanding=principal - paid.principal, days_overdue=(on - oldest).days if oldest else 0,
                        overdue_principal=overdue)


@functools.lru_cache(maxsize=4096)
def _running(terms: Terms, principal: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The running sums of interest and of principal of the schedule of ``terms`` and
    ``principal``: loans lent on the same terms and principal share them (the last 4,096 kept)."""
    parts, interest = amounts(terms, principal)
    return tuple(itertools.accumulate(interest)), tuple(itertools.accumulate(parts))


def standing(instalments: list[Instalment], paid: Parts, principal: int, on: dt.date) -> Standing:
    """A loan on ``on`` given the parts paid by then: days overdue from the oldest due date
    before ``on`` not fully settled, the principal fallen due and unsettled."""
    return Plan.of(instalments).standing(paid, principal, on)


@dataclass(frozen=True, slots=True)
class Portfolio:
    gross: int  # outstanding principal of every loan
    at_risk: dict[int, int]  # days (1, 30, 60, 90) → outstanding principal of loans overdue more than that
    overdue_principal: int
    by_bucket: dict[tuple[int, int | None], tuple[int, int]]  # bucket → (loans, outstanding principal)

    def par(self, days: int) -> Fraction | None:
        """PAR<days>: principal at risk ÷ gross outstanding (None with nothing outstanding)."""
        return Fraction(self.at_risk[days], self.gross) if self.gross else None

    @property
    def arrears_rate(self) -> Fraction | None:
        """Overdue principal ÷ gross outstanding: not PAR."""
        return Fraction(self.overdue_principal, self.gross) if self.gross else None


def portfolio(standings: list[Standing]) -> Portfolio:
    gross = sum(s.outstanding for s in standings)
    at_risk = {d: sum(s.outstanding for s in standings if s.days_overdue > d) for d in (0, 30, 60, 90)}
    at_risk[1] = at_risk.pop(0)
    by_bucket = dict.fromkeys(BUCKETS, (0, 0))
    for s in standings:
        if s.bucket is not None:
            n, amount = by_bucket[s.bucket]
            by_bucket[s.bucket] = (n + 1, amount + s.outstanding)
    return Portfolio(gross=gross, at_risk=at_risk, overdue_principal=sum(s.overdue_principal for s in standings),
                     by_bucket=by_bucket)
