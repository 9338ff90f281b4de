"""Ledger test helpers: a group with its standard chart, and a terse way to write entries
as a bookkeeper would ("Dr 1100 500.00 / Cr 4100 500.00")."""

from __future__ import annotations

import datetime as dt

import pytest

from omboon.ledger import services
from omboon.ledger.services import Line
from omboon.orgs.models import Role
from omboon.testing.factories import committee_approval, make_user


def baht(amount: str | int) -> int:
    """'1,234.50' → 123450 satang (test shorthand)."""
    text = str(amount).replace(",", "")
    whole, _, frac = text.partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])


def journal(text: str) -> list[Line]:
    """Lines from text, one per line: ``Dr 1100 500`` / ``Cr 4100 500 [FUND]``."""
    lines = []
    for raw in text.strip().splitlines():
        side, code, amount, *rest = raw.split()
        fund = rest[0] if rest else None
        satang = baht(amount)
        lines.append(Line(account=code, fund=fund, debit=satang if side == "Dr" else 0,
                          credit=satang if side == "Cr" else 0))
    return lines


@pytest.fixture
def group(tree):
    return tree.group_a


@pytest.fixture
def post(group, treasurer):
    """Post a journal written as text; money out carries a chair's approval (as from a voucher)."""
    approvals = {}

    def _post(day: dt.date, text: str, *, doc_type="journal", memo="", org=None, key=None):
        org = org or group
        if org.pk not in approvals:
            approvals[org.pk] = committee_approval(org, maker=treasurer) if org.is_group else None
        return services.entry_post(actor=treasurer, organisation=org, date=day, doc_type=doc_type,
                                   lines=journal(text), memo=memo, idempotency_key=key, approval=approvals[org.pk])

    return _post


@pytest.fixture
def committee(tree):
    return make_user(tree.group_a, Role.COMMITTEE, username="committee-a")
