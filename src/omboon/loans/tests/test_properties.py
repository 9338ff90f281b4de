"""Properties of every schedule (issue 17): the principal parts add up to the principal
exactly; every repaying instalment's total but the last is a multiple of the rounding;
declining-balance interest is the balance × the period rate rounded half up; flat interest is
the principal × the period rate rounded half up; a zero rate charges nothing."""

import datetime as dt
import itertools
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from omboon.loans.schedule import DECLINING, FLAT, METHODS, ROUNDINGS, Terms, build, half_up, level_payment, period_rate
from omboon.testing.properties import examples


@st.composite
def loans(draw, rate=None):
    term = draw(st.integers(1, 60))
    grace_principal = draw(st.integers(0, min(term - 1, 6)))
    rounding = draw(st.sampled_from(ROUNDINGS))
    repaying = term - grace_principal
    # Each instalment repays at least a baht and the rounding (test_schedule shows the refusal
    # of a principal too small for its term and rounding).
    principal = draw(st.integers(repaying * max(rounding, 100), 5_000_000_00))
    terms = Terms(method=draw(st.sampled_from(METHODS)),
                  rate=draw(st.decimals(0, 30, places=2)) if rate is None else rate,
                  per=draw(st.sampled_from(("year", "month"))) if rate is None else "year",
                  every=draw(st.sampled_from(("week", "month", "year"))), term=term,
                  grace_principal=grace_principal, grace_interest=draw(st.integers(0, grace_principal)),
                  rounding=rounding)
    if terms.per == "month" and terms.rate > 3:
        terms = Terms(**{**terms.as_dict(), "rate": terms.rate / 10})  # 3% a month (36% a year) at most
    if terms.method == DECLINING:  # the first repaying instalment's principal, the smallest
        rate = period_rate(terms)
        assume(level_payment(principal, rate, repaying) - half_up(principal * rate.numerator, rate.denominator)
               >= max(rounding, 100))
    disbursed = draw(st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31)))
    return terms, principal, disbursed


@settings(max_examples=examples(300))  # cheap: a schedule is microseconds
@given(loans())
def test_principal_parts_add_up_to_the_principal_and_the_balance_ends_at_zero(loan):
    terms, principal, disbursed = loan
    rows = build(terms, principal, disbursed)
    assert sum(r.principal for r in rows) == principal
    assert rows[-1].balance == 0 and all(r.principal >= 0 and r.balance >= 0 for r in rows)
    assert [r.n for r in rows] == list(range(1, terms.term + 1))
    assert all(a.due < b.due for a, b in itertools.pairwise(rows)) and rows[0].due > disbursed


@settings(max_examples=examples(300))
@given(loans())
def test_every_repaying_total_but_the_last_is_a_multiple_of_the_rounding(loan):
    terms, principal, disbursed = loan
    rows = build(terms, principal, disbursed)
    for row in rows[terms.grace_principal:-1]:
        assert row.total % terms.rounding == 0
        assert row.total == row.principal + row.interest


@settings(max_examples=examples(300))
@given(loans())
def test_interest_is_the_stated_formula(loan):
    terms, principal, disbursed = loan
    rate = period_rate(terms)
    balance = principal
    for row in build(terms, principal, disbursed):
        if row.n <= terms.grace_interest:
            expected = 0
        elif terms.method == FLAT:
            expected = half_up(principal * rate.numerator, rate.denominator)
        else:
            expected = half_up(balance * rate.numerator, rate.denominator)
        assert row.interest == expected
        balance -= row.principal


@settings(max_examples=examples(100))
@given(loans(rate=Decimal(0)))
def test_a_zero_rate_charges_no_interest(loan):
    terms, principal, disbursed = loan
    rows = build(terms, principal, disbursed)
    assert all(r.interest == 0 for r in rows) and sum(r.total for r in rows) == principal


@settings(max_examples=examples(100))
@given(loans())
def test_equal_instalments_are_level_until_the_last(loan):
    terms, principal, disbursed = loan
    if terms.method != DECLINING:
        return
    rows = build(terms, principal, disbursed)
    assert len({r.total for r in rows[terms.grace_principal:-1]}) <= 1
