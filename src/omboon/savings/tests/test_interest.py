"""Interest on savings: the rule in worked examples, its properties (a day-by-day replay equals
the period formula; splitting a period changes the total by at most the one satang of a second
rounding), and ``interest_post``: one entry a product and period, never twice, never in a closed
month."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omboon.core.errors import RuleViolation
from omboon.ledger import services as ledger
from omboon.savings import interest, selectors, services
from omboon.savings.models import InterestRun
from omboon.testing.properties import examples

from .conftest import START

D = dt.date


def test_a_worked_half_year():
    """10,000 baht all of 2024's first half (182 days of a 366-day year) at 2%:
    1,000,000 × 0.02 × 182 ÷ 366 = 9,945.355… satang → 9,945 (99.45 baht), rounded down."""
    assert interest.interest(1_000_000, [], D(2024, 1, 1), D(2024, 6, 30), Decimal(2)) == 9_945
    # 5,000 baht more deposited on 31 May is in that day's end-of-day balance: 31 days on it,
    # 500,000 × 0.02 × 31 ÷ 366 = 846.99…; the sum 10,792.35… is rounded down once
    moves = [(D(2024, 5, 31), 500_000)]
    assert interest.interest(1_000_000, moves, D(2024, 1, 1), D(2024, 6, 30), Decimal(2)) == 10_792
    # below the minimum balance a day earns nothing
    assert interest.interest(5_000, [], D(2024, 1, 1), D(2024, 6, 30), Decimal(2), minimum=10_000) == 0


def test_periods_end_on_the_fiscal_calendar():
    assert interest.period_ends(1, 6, D(2024, 2, 10), D(2025, 1, 31)) == [D(2024, 6, 30), D(2024, 12, 31)]
    assert interest.period_ends(10, 3, D(2024, 1, 1), D(2024, 7, 1)) == [D(2024, 3, 31), D(2024, 6, 30)]
    assert interest.period_of(D(2024, 12, 31), 6) == (D(2024, 7, 1), D(2024, 12, 31))


days = st.integers(min_value=0, max_value=800)
moves = st.lists(st.tuples(days, st.integers(min_value=-200_000, max_value=500_000)), max_size=8)
rates = st.decimals(min_value=0, max_value=15, places=3)
BASE = D(2023, 6, 1)


def _moves(raw):
    return [(BASE + dt.timedelta(days=d), amount) for d, amount in raw]


# 200 examples: a pure function on a few dozen numbers each, the cost of one day-by-day replay
@settings(max_examples=examples(200), deadline=None)
@given(opening=st.integers(0, 2_000_000), raw=moves, start=days, length=st.integers(0, 400), rate=rates,
       minimum=st.integers(0, 100_000))
def test_a_day_by_day_replay_equals_the_period_formula(opening, raw, start, length, rate, minimum):
    first = BASE + dt.timedelta(days=start)
    last = first + dt.timedelta(days=length)
    assert interest.interest(opening, _moves(raw), first, last, rate, minimum) == \
        interest.interest_by_days(opening, _moves(raw), first, last, rate, minimum)


@settings(max_examples=examples(200), deadline=None)
@given(opening=st.integers(0, 2_000_000), raw=moves, start=days, length=st.integers(1, 400),
       cut=st.integers(0, 400), rate=rates, minimum=st.integers(0, 100_000))
def test_splitting_a_period_changes_the_total_by_at_most_the_rounding(opening, raw, start, length, cut, rate,
                                                                      minimum):
    first = BASE + dt.timedelta(days=start)
    last = first + dt.timedelta(days=length)
    middle = first + dt.timedelta(days=cut % length)
    whole = interest.interest(opening, _moves(raw), first, last, rate, minimum)
    parts = (interest.interest(opening, _moves(raw), first, middle, rate, minimum)
             + interest.interest(opening, _moves(raw), middle + dt.timedelta(days=1), last, rate, minimum))
    assert 0 <= whole - parts <= 1
    assert whole >= 0


def test_interest_is_posted_once_a_period_and_never_into_a_closed_month(sg):
    account = services.account_open(actor=sg.treasurer, organisation=sg.group, member=sg.members[0],
                                    product=sg.products["VOL"], opened_on=START)
    services.deposit(actor=sg.treasurer, account=account, amount=1_000_000, date=START)
    runs = services.interest_post(actor=sg.chair, organisation=sg.group, through=D(2024, 12, 31))
    vol = [r for r in runs if r.product.code == "VOL"]
    assert [(r.period_end, r.total) for r in vol] == [(D(2024, 6, 30), 9_945), (D(2024, 12, 31), 10_154)]
    assert sorted(vol[0].entry.lines.values_list("account__code", "debit", "credit")) == [
        ("2110", 0, 9_945), ("5400", 9_945, 0)]
    assert selectors.balance(account) == 1_000_000 + 9_945 + 10_154
    assert services.interest_post(actor=sg.chair, organisation=sg.group, through=D(2024, 12, 31)) == []
    assert InterestRun.objects.filter(product=sg.products["VOL"]).count() == 2
    for month in range(1, 13):
        ledger.period_close(actor=sg.chair, organisation=sg.group, year=2024, month=month, today=D(2026, 1, 1))
    for month in range(1, 7):
        ledger.period_close(actor=sg.chair, organisation=sg.group, year=2025, month=month, today=D(2026, 1, 1))
    with pytest.raises(RuleViolation) as excinfo:
        services.interest_post(actor=sg.chair, organisation=sg.group, through=D(2025, 6, 30))
    assert "books are closed" in excinfo.value.problems[0].message_en
    assert InterestRun.objects.filter(product=sg.products["VOL"]).count() == 2
