"""How a repayment is shared out, a pure function, in the product's order (``Terms.order``; by
default penalty → fee → interest → principal): the penalty charged (``penalty``, a sum of the
loan, not of an instalment) first when the order puts it first, else after the instalments;
the oldest instalment first, and within an instalment its parts in the order (no fees are
charged yet). What is settled (``paid``) counts repayments and waivers alike."""

from __future__ import annotations

from dataclasses import dataclass

from omboon.loans.schedule import PARTS, Instalment


@dataclass(frozen=True, slots=True)
class Parts:
    penalty: int = 0
    fee: int = 0
    interest: int = 0
    principal: int = 0

    @property
    def total(self) -> int:
        return self.penalty + self.fee + self.interest + self.principal

    def __add__(self, other: Parts) -> Parts:
        return Parts(self.penalty + other.penalty, self.fee + other.fee, self.interest + other.interest,
                     self.principal + other.principal)


def remaining(instalments: list[Instalment], paid: Parts) -> list[Parts]:
    """What is still owed on each instalment after ``paid`` (the parts paid so far) went to
    the oldest first: interest and principal are each used up instalment by instalment."""
    interest, principal = paid.interest, paid.principal
    out = []
    for i in instalments:
        ri = max(i.interest - interest, 0)
        interest = max(interest - i.interest, 0)
        rp = max(i.principal - principal, 0)
        principal = max(principal - i.principal, 0)
        out.append(Parts(interest=ri, principal=rp))
    return out


def owed(instalments: list[Instalment], paid: Parts, *, penalty: int = 0) -> int:
    """Everything still owed under the schedule, with ``penalty`` charged and not yet paid."""
    return sum(p.total for p in remaining(instalments, paid)) + max(penalty, 0)


def allocate(instalments: list[Instalment], paid: Parts, amount: int, *, penalty: int = 0,
             order: tuple = PARTS) -> Parts:
    """``amount`` (≤ what is owed) shared out: the penalty charged and unpaid first (when
    ``order`` puts it before the other parts; else last), then the oldest instalment first,
    its parts in ``order``."""
    penalty_first = order[0] == "penalty"
    take = min(max(penalty, 0), amount) if penalty_first else 0
    left, got = amount - take, Parts(penalty=take)
    for due in remaining(instalments, paid):
        if left <= 0:
            break
        parts = {}
        for name in order:
            take = min(getattr(due, name), left)
            parts[name] = take
            left -= take
        got = got + Parts(**parts)
    if not penalty_first and left > 0:
        got = got + Parts(penalty=min(max(penalty, 0), left))
    return got
