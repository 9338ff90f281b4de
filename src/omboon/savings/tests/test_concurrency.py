"""Two withdrawals of one account at the same moment, each on its own connection (PostgreSQL:
a real row lock; SQLite's test database is one in-memory connection). The account holds 1,000
baht, keeps 100 and charges 10 a withdrawal: each asks 600, both cannot be had, so one is
refused and the balance never goes below zero."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from omboon.core.errors import RuleViolation
from omboon.savings import selectors, services
from omboon.savings.models import Withdrawal

from .conftest import START, make_savings_group

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a second connection's row lock")


def test_two_withdrawals_at_once_one_is_refused(transactional_db):
    sg = make_savings_group()
    account = services.account_open(actor=sg.treasurer, organisation=sg.group, member=sg.members[0],
                                    product=sg.products["VOL"], opened_on=START)
    services.deposit(actor=sg.treasurer, account=account, amount=1_000_00, date=START)
    start = threading.Barrier(2)
    outcome: list = []

    def withdraw():
        try:
            start.wait(timeout=30)
            w = services.withdrawal_request(actor=sg.treasurer, account=account, amount=600_00, date=START)
            services.withdrawal_approve(actor=sg.chair, withdrawal=w)
            outcome.append("paid")
        except RuleViolation as exc:
            outcome.append(exc.problems[0].message_en)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=withdraw) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcome, key=lambda o: o != "paid")[0] == "paid"
    assert outcome.count("paid") == 1 and "not enough money" in next(o for o in outcome if o != "paid")
    assert selectors.balance(account) == 390_00
    assert Withdrawal.objects.filter(account=account, status="paid").count() == 1
