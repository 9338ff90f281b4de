"""A reschedule (ปรับโครงสร้างหนี้) as a pure function: the schedule a loan follows after it.

A reschedule approved on ``on`` keeps what was settled under the schedule before it and puts
the rest on a new schedule (``schedule.build`` of the new terms):

- **The settled part** of the schedule before: each instalment as far as the repayments and
  waivers settled it by then (``settled_part``), so what was paid stays where it went.
- **The outstanding principal** (the loan's principal less the principal settled) is the new
  schedule's principal, lent anew on the reschedule's date with its own first due date.
- **Unpaid interest that fell due** by the reschedule's date is *kept*, not capitalised: it
  falls due with the new schedule's first instalment (added to that instalment's interest).
  No interest is charged on it and nothing is posted: interest is income when it is paid
  (4710), the outstanding principal stays on 1300 as it was, so **a reschedule moves nothing
  in the ledger**. Interest of instalments not yet due is replaced by the new schedule's.

The loan's current schedule is the settled part followed by the new instalments (numbered on
after it); allocation, arrears, aging, penalties and the collection day all read it, so the
old instalments' arrears end with the reschedule. Several reschedules apply in their order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from omboon.loans import schedule
from omboon.loans.allocation import Parts, remaining
from omboon.loans.schedule import Instalment


def settled_part(instalments: list[Instalment], settled: Parts) -> list[Instalment]:
    """The instalments as far as ``settled`` paid them (those it did not touch left out)."""
    out, balance = [], sum(i.principal for i in instalments)
    for i, left in zip(instalments, remaining(instalments, settled)):
        principal, interest = i.principal - left.principal, i.interest - left.interest
        if principal or interest:
            balance -= principal
            out.append(replace(i, principal=principal, interest=interest, total=principal + interest,
                               balance=balance))
    return out


def outstanding(instalments: list[Instalment], settled: Parts) -> int:
    """The principal not yet settled: what the new schedule lends anew."""
    return sum(r.principal for r in remaining(instalments, settled))


def kept_interest(instalments: list[Instalment], settled: Parts, on: dt.date) -> int:
    """Interest of instalments due by ``on`` and not settled: kept, due with the first new instalment."""
    return sum(r.interest for i, r in zip(instalments, remaining(instalments, settled)) if i.due <= on)


def continued(instalments: list[Instalment], settled: Parts, on: dt.date, terms: schedule.Terms,
              first_due: dt.date) -> list[Instalment]:
    """The schedule after a reschedule on ``on`` to ``terms`` with its first instalment on
    ``first_due``, given the parts settled before it (raises ``RuleViolation`` as
    ``schedule.build`` does)."""
    done = settled_part(instalments, settled)
    fresh = schedule.build(terms, outstanding(instalments, settled), on, first_due)
    kept = kept_interest(instalments, settled, on)
    first = len(done) + 1
    out = list(done)
    for k, i in enumerate(fresh):
        extra = kept if k == 0 else 0
        out.append(replace(i, n=first + k, interest=i.interest + extra, total=i.total + extra))
    return out
