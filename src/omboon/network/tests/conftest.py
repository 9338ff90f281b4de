"""Network test helpers: members and entries of a group, written as a bookkeeper would."""

from __future__ import annotations

import datetime as dt

import pytest

from omboon.core import national_id
from omboon.ledger import services as ledger
from omboon.ledger.services import Line
from omboon.members.models import Member
from omboon.orgs.models import Role
from omboon.testing.factories import committee_approval, make_user
from omboon.testing.factories import member_numbers as _seq


def make_member(organisation, **kw) -> Member:
    n = next(_seq)
    values = {
        "organisation": organisation, "number": f"{n:05d}", "title": "นาง", "first_name": f"สมศรี{n}",
        "last_name": "ใจดี",
        "sex": Member.Sex.FEMALE,
        "national_id": national_id.with_check_digit(f"5{organisation.pk % 1000:03d}{n:08d}"),
        "birth_date": dt.date(1970, 5, 17), "join_date": dt.date(2015, 3, 1), "moo": 3, "status": Member.Status.ACTIVE,
    }
    values.update(kw)
    return Member.objects.create(**values)


def journal(text: str) -> list[Line]:
    """``Dr 1100 500`` / ``Cr 4100 500 [FUND]``, one line each, amounts in baht."""
    lines = []
    for raw in text.strip().splitlines():
        side, code, amount, *rest = raw.split()
        satang = round(float(amount) * 100)
        lines.append(Line(account=code, fund=rest[0] if rest else None,
                          debit=satang if side == "Dr" else 0, credit=satang if side == "Cr" else 0))
    return lines


@pytest.fixture
def group(tree):
    return tree.group_a


@pytest.fixture
def post(treasurer):
    approvals = {}

    def _post(org, day: dt.date, text: str, *, doc_type="receipt"):
        if org.pk not in approvals:  # money out carries a chair's approval, as from a voucher
            approvals[org.pk] = committee_approval(org, maker=treasurer) if org.is_group else None
        return ledger.entry_post(actor=treasurer, organisation=org, date=day, doc_type=doc_type,
                                 lines=journal(text), approval=approvals[org.pk])

    return _post


@pytest.fixture
def chair_a(tree):
    return make_user(tree.group_a, Role.CHAIR, username="chair-net-a")
