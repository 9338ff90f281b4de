"""The split of a fiscal year's net income, as a pure function of integer satang.

``allocate(net_income, model, members)`` returns every part and every member's share; nothing
here touches a database, so a what-if of other percentages is the same call with another
``Model``. The rules, stated once (the tests check each):

- **Parts**: reserve (ทุนสำรอง, at least 10 % of net income), dividend (ปันผล), refund
  (เฉลี่ยคืน), welfare fund, committee remuneration and public benefit.
- **Time-weighted balance** of a member: the average of the fiscal year's twelve month-end
  balances of their shares and savings (a month before they joined counts as zero). It is kept
  as the sum of the twelve (``balance_months``) so that nothing is divided before the end.
- **Pool model**: each part is its percentage of net income; the percentages add up to 100.
  The dividend pool is shared out in proportion to the time-weighted balances, the refund pool
  in proportion to the loan interest each member paid in the year.
- **Rate model**: a member's dividend is the dividend rate (percent a year) × their
  time-weighted balance; their refund is the refund rate (percent) × the loan interest they
  paid. Welfare, committee and public benefit are their percentages of net income; what is
  left is the reserve, which must be at least its percentage (10 % or more): rates that would
  leave less are refused.
- **Rounding**: every member's dividend and refund, and every part taken by percentage, is
  rounded *down* to the satang. The **reserve takes the remainder** — its own share and every
  satang the rounding left, and a pool with nobody to share it (no balances, no interest
  paid) — so the parts add up to net income exactly and no share is negative.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from omboon.core.errors import raise_if
from omboon.loans.year_end import rules  # rules reads this module's names only when it runs

POOL, RATE = "pool", "rate"
MODELS = (POOL, RATE)
RESERVE, DIVIDEND, REFUND, WELFARE, COMMITTEE, PUBLIC = (
    "reserve", "dividend", "refund", "welfare", "committee", "public")
PARTS = (RESERVE, DIVIDEND, REFUND, WELFARE, COMMITTEE, PUBLIC)
BY_PERCENT = (WELFARE, COMMITTEE, PUBLIC)  # the parts taken as a percentage of net income in both models
PART_NAMES = {  # (Thai, English)
    RESERVE: ("ทุนสำรอง", "Reserve fund"),
    DIVIDEND: ("เงินปันผล", "Dividends"),
    REFUND: ("เงินเฉลี่ยคืน", "Refunds on interest"),
    WELFARE: ("กองทุนสวัสดิการ", "Welfare fund"),
    COMMITTEE: ("ค่าตอบแทนกรรมการ", "Committee remuneration"),
    PUBLIC: ("ทุนสาธารณประโยชน์", "Public benefit fund"),
}
MONTHS = 12  # month-ends averaged into the time-weighted balance
MIN_RESERVE = Decimal(10)  # percent of net income, the least any bylaws may set
BASIS = 10_000  # basis points in 100 %


@dataclass(frozen=True, slots=True)
class Model:
    """The bylaws' split. Percentages as typed ("10", "12.5"), at most two decimals.

    Pool model: every field is a percentage of net income, together 100. Rate model:
    ``dividend`` is percent a year of the time-weighted balance, ``refund`` percent of the
    interest paid, ``reserve`` the least the reserve may be (percent of net income), the others
    percentages of net income.
    """

    kind: str = POOL
    reserve: Decimal = Decimal(10)
    dividend: Decimal = Decimal(0)
    refund: Decimal = Decimal(0)
    welfare: Decimal = Decimal(0)
    committee: Decimal = Decimal(0)
    public: Decimal = Decimal(0)

    def percent(self, part: str) -> Decimal:
        return getattr(self, part)

    def points(self, part: str) -> int:
        """The part's percentage in basis points (1 % = 100); checked whole by ``rules``."""
        return int(self.percent(part) * 100)

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, **{p: str(self.percent(p)) for p in PARTS}}

    @classmethod
    def from_dict(cls, data: dict) -> Model:
        return cls(kind=data["kind"], **{p: Decimal(str(data[p])) for p in PARTS})


@dataclass(frozen=True, slots=True)
class MemberInput:
    member_id: int
    balance_months: int  # the sum of the fiscal year's twelve month-end balances (satang)
    interest_paid: int  # loan interest the member paid in the fiscal year (satang)

    @property
    def balance(self) -> int:
        """The time-weighted balance, rounded down to the satang (shown; never computed with)."""
        return self.balance_months // MONTHS


@dataclass(frozen=True, slots=True)
class MemberShare:
    member_id: int
    balance_months: int
    interest_paid: int
    dividend: int
    refund: int

    @property
    def balance(self) -> int:
        return self.balance_months // MONTHS

    @property
    def total(self) -> int:
        return self.dividend + self.refund


@dataclass(frozen=True)
class Allocation:
    net_income: int
    model: Model
    parts: dict[str, int]  # every part of PARTS, adding up to net_income
    members: tuple[MemberShare, ...] = field(default=())

    @property
    def paid_members(self) -> tuple[MemberShare, ...]:
        """The members who receive something."""
        return tuple(m for m in self.members if m.total)


def _percent_of(net_income: int, points: int) -> int:
    return net_income * points // BASIS


def _shared(pool: int, weights: list[int]) -> list[int]:
    """``pool`` in proportion to ``weights``, each rounded down; nothing when no weight."""
    total = sum(weights)
    if not total:
        return [0] * len(weights)
    return [pool * w // total for w in weights]


def allocate(net_income: int, model: Model, members: list[MemberInput] | tuple[MemberInput, ...]) -> Allocation:
    """Split ``net_income`` by ``model`` among ``members`` (see the module's rules).

    Raises ``RuleViolation`` (``rules.ALLOCATE``) for a model the rules refuse, net income of
    zero or less, a negative or repeated member input, or — in the rate model — rates that would
    leave the reserve under its percentage.
    """
    members = tuple(members)
    raise_if(rules.problems_of_allocation(net_income, model, members))
    parts = {p: _percent_of(net_income, model.points(p)) for p in BY_PERCENT}
    balances = [m.balance_months for m in members]
    interest = [m.interest_paid for m in members]
    if model.kind == POOL:
        dividend_pool = _percent_of(net_income, model.points(DIVIDEND))
        refund_pool = _percent_of(net_income, model.points(REFUND))
        dividends = _shared(dividend_pool, balances)
        refunds = _shared(refund_pool, interest)
    else:
        dividends = [b * model.points(DIVIDEND) // (BASIS * MONTHS) for b in balances]
        refunds = [i * model.points(REFUND) // BASIS for i in interest]
    parts[DIVIDEND] = sum(dividends)
    parts[REFUND] = sum(refunds)
    parts[RESERVE] = net_income - sum(parts.values())
    raise_if(rules.reserve_enough(net_income, model, parts))
    shares = tuple(MemberShare(m.member_id, m.balance_months, m.interest_paid, d, r)
                   for m, d, r in zip(members, dividends, refunds, strict=True))
    return Allocation(net_income, model, {p: parts[p] for p in PARTS}, shares)
