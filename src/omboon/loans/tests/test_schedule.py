"""Worked examples of loans.schedule.build: a village fund's 20,000-baht loan, repaid in
twelve months, under each method."""

import datetime as dt
from decimal import Decimal

import pytest

from omboon.core.errors import RuleViolation
from omboon.loans.schedule import Terms, build, due_dates, level_payment, period_rate

JAN15 = dt.date(2026, 1, 15)


def terms(method="declining", rate="12", per="year", every="month", term=12, **kw):
    return Terms(method=method, rate=Decimal(rate), per=per, every=every, term=term, **kw)


def test_equal_instalments_at_one_percent_a_month_are_1776_97_baht():
    rows = build(terms(), 20_000_00, JAN15)  # 1,776.9757… rounded down; the last takes the rest
    assert {r.total for r in rows[:-1]} == {1776_97}
    assert rows[0].interest == 200_00 and rows[0].principal == 1576_97
    assert rows[1].interest == 184_23  # 18,423.03 × 1% = 184.2303, half up to the satang
    assert sum(r.principal for r in rows) == 20_000_00 and rows[-1].balance == 0
    assert [r.due for r in rows[:3]] == [dt.date(2026, 2, 15), dt.date(2026, 3, 15), dt.date(2026, 4, 15)]


def test_rounded_to_five_baht_the_last_instalment_takes_the_residue():
    rows = build(terms(rounding=500), 20_000_00, JAN15)
    assert {r.total for r in rows[:-1]} == {1775_00}
    assert rows[-1].total == 1800_07 and rows[-1].principal == 1782_25


def test_flat_interest_is_the_original_principal_times_the_period_rate_every_instalment():
    rows = build(terms("flat"), 20_000_00, JAN15)
    assert {r.interest for r in rows} == {200_00}
    assert [r.principal for r in rows] == [1666_66] * 11 + [1666_74]


def test_equal_principal_interest_falls_with_the_balance():
    rows = build(terms("equal-principal"), 12_000_00, JAN15)
    assert [r.principal for r in rows] == [1000_00] * 12
    assert [r.interest for r in rows[:3]] == [120_00, 110_00, 100_00]


def test_a_rate_per_month_and_the_same_per_year_give_the_same_schedule():
    assert build(terms(rate="1", per="month"), 20_000_00, JAN15) == build(terms(), 20_000_00, JAN15)


def test_period_rates():
    assert period_rate(terms(every="week", rate="52")) == Decimal("0.01")
    assert period_rate(terms(every="year", rate="1", per="month")) == Decimal("0.12")


def test_one_yearly_payment_repays_principal_and_a_years_interest():
    [row] = build(terms("flat", every="year", term=1), 30_000_00, JAN15)
    assert (row.due, row.principal, row.interest, row.total) == (dt.date(2027, 1, 15), 30_000_00, 3_600_00, 33_600_00)


def test_grace_on_principal_then_on_interest():
    rows = build(terms(grace_principal=3, grace_interest=1), 12_000_00, JAN15)
    assert [(r.principal, r.interest) for r in rows[:3]] == [(0, 0), (0, 120_00), (0, 120_00)]
    assert rows[3].principal > 0 and sum(r.principal for r in rows) == 12_000_00
    assert level_payment(12_000_00, period_rate(terms()), 9) == rows[3].total


def test_due_dates_keep_the_day_of_the_month_and_the_last_day_of_a_short_one():
    rows = build(terms(term=3), 3_000_00, dt.date(2026, 1, 31))
    assert [r.due for r in rows] == [dt.date(2026, 2, 28), dt.date(2026, 3, 31), dt.date(2026, 4, 30)]
    assert due_dates("week", dt.date(2026, 1, 1), 3)[-1] == dt.date(2026, 1, 15)
    assert due_dates("year", dt.date(2028, 2, 29), 2)[-1] == dt.date(2029, 2, 28)


def test_a_first_due_date_given_sets_the_day():
    rows = build(terms(term=2), 2_000_00, JAN15, dt.date(2026, 3, 5))
    assert [r.due for r in rows] == [dt.date(2026, 3, 5), dt.date(2026, 4, 5)]


@pytest.mark.parametrize(("kw", "field"), [
    ({"term": 0}, "term"),
    ({"rate": "-1"}, "rate"),
    ({"method": "balloon"}, "method"),
    ({"every": "day"}, "every"),
    ({"grace_principal": 12}, "grace_principal"),
    ({"grace_principal": 1, "grace_interest": 2}, "grace_interest"),
    ({"rounding": 200}, "rounding"),
])
def test_terms_it_cannot_follow_are_refused_with_the_field(kw, field):
    with pytest.raises(RuleViolation) as refused:
        build(terms(**kw), 20_000_00, JAN15)
    assert [p.field for p in refused.value.problems] == [field]


def test_a_first_due_date_on_or_before_the_disbursement_and_no_principal_are_refused():
    with pytest.raises(RuleViolation) as refused:
        build(terms(), 0, JAN15, JAN15)
    assert [p.field for p in refused.value.problems] == ["principal", "first_due"]


def test_a_rounding_coarser_than_an_instalment_is_refused_in_thai_and_english():
    with pytest.raises(RuleViolation) as refused:
        build(terms(term=12, rounding=1000), 50_00, JAN15)  # 4.17 baht a month, rounded down to 10: nothing
    [problem] = refused.value.problems
    assert (problem.field, problem.value) == ("principal", 1)
    assert "เงินต้นน้อยเกินไป" in problem.message_th and "round less" in problem.message_en


def test_satang_sized_instalments_are_refused_rather_than_repaid_early():
    with pytest.raises(RuleViolation) as refused:  # 39 satang over 14 months: rounding the interest outweighs them
        build(terms(rate="1.004", per="month", term=14), 39, JAN15)
    assert [p.field for p in refused.value.problems] == ["principal"]


def test_terms_survive_being_stored():
    t = terms(rate="1.25", grace_principal=2, rounding=100)
    assert Terms.from_dict(t.as_dict()) == t
