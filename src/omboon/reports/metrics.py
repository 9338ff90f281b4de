"""A group's metrics on a day (``loans.metrics`` defines them): the inputs read from the group's
books and registers — active members, what members' savings accounts and shares hold, the loan
portfolio, cash and bank (lendable cash), write-offs and net income over the 12 months to the
day. A network's metrics come from its groups' monthly facts (``network.selectors``), never from
here."""

from __future__ import annotations

import datetime as dt

from omboon.ledger import chart
from omboon.ledger.models import AccountType
from omboon.loans import metrics as definitions
from omboon.loans import selectors as loans
from omboon.reports import membership
from omboon.reports import selectors as sel
from omboon.savings import selectors as savings


def year_before(end: dt.date) -> dt.date:
    """The first day of the 12 months that end on ``end``."""
    try:
        return end.replace(year=end.year - 1) + dt.timedelta(days=1)
    except ValueError:  # 29 February
        return end.replace(year=end.year - 1, day=28) + dt.timedelta(days=1)


def inputs(organisation, end: dt.date) -> definitions.Inputs:
    start = year_before(end)
    by_code = sel.balances_by_code(organisation, end)
    types = sel.standard_types(organisation)
    net = sum(c - d for code, (d, c) in sel.movements(organisation, start, end).total().items()
              if types.get(code) in (AccountType.INCOME, AccountType.EXPENSE))
    if loans.has_loans(organisation, end):
        p = loans.period_loans(organisation, start, end)
        gross, par30, off, borrowers = p.portfolio.gross, p.portfolio.at_risk[30], p.written_off, p.borrowers
    else:
        gross = par30 = off = borrowers = 0
    return definitions.Inputs(
        active_members=membership.member_facts(organisation).at(end),
        savings=sum(savings.balances_in_scope(organisation, end).values()),
        loans=gross, lendable_cash=by_code.get(chart.CASH, 0) + by_code.get(chart.BANK, 0), par30=par30,
        written_off=off, net_income=net, borrowers=borrowers)


def group_metrics(organisation, end: dt.date) -> list[definitions.Metric]:
    """The seven metrics of a group (or, for a look at the records in scope, a network's)."""
    return definitions.metrics(inputs(organisation, end))
