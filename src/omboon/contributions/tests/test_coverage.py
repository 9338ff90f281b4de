"""Worked examples of paid-through dates and arrears (pure functions, no database)."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from omboon.contributions.coverage import Rate, Schedule, months_between, period_bounds
from omboon.testing.properties import examples

D = dt.date
ONE_BAHT = [Rate(D(2000, 1, 1), 100, "monthly")]


def test_one_baht_a_day_covers_one_day_per_baht():
    s = Schedule("daily_saving", ONE_BAHT, joined=D(2024, 1, 1), left=None)
    assert s.paid_through(0, D(2024, 6, 1)) is None
    assert s.paid_through(3100, D(2024, 6, 1)) == D(2024, 1, 31)  # January: 31 baht
    assert s.paid_through(3100 + 2900, D(2024, 6, 1)) == D(2024, 2, 29)  # leap February
    assert s.paid_through(4000, D(2024, 6, 1)) == D(2024, 2, 9)  # 40 days
    assert s.paid_through(36600, D(2024, 6, 1)) == D(2024, 12, 31)  # a leap year: 366 baht


def test_joining_mid_month_owes_only_the_days_of_membership():
    s = Schedule("daily_saving", ONE_BAHT, joined=D(2024, 3, 20), left=None)
    assert s.due_through(D(2024, 3, 31)) == 1200  # 12 days of March
    assert s.paid_through(1200, D(2024, 4, 1)) == D(2024, 3, 31)


def test_arrears_count_only_billing_periods_that_have_ended():
    s = Schedule("daily_saving", ONE_BAHT, joined=D(2024, 1, 1), left=None)
    cov = s.coverage(3100, D(2024, 4, 15))  # paid January only; Feb and Mar have ended
    assert cov.paid_through == D(2024, 1, 31)
    assert cov.due_to_date == 3100 + 2900 + 3100
    assert cov.arrears == 6000
    assert cov.months_behind == 2
    assert cov.due_now == 6000 + 3000  # and April, to settle the current month


def test_a_rate_change_applies_from_its_start():
    rates = [Rate(D(2000, 1, 1), 100, "monthly"), Rate(D(2024, 2, 1), 200, "monthly")]
    s = Schedule("daily_saving", rates, joined=D(2024, 1, 1), left=None)
    assert s.due_through(D(2024, 2, 29)) == 3100 + 29 * 200
    assert s.paid_through(3100 + 1000, D(2024, 3, 1)) == D(2024, 2, 5)  # 10 baht = 5 days at 2 baht


def test_yearly_billing_and_quarters_follow_the_fiscal_year():
    assert period_bounds(D(2024, 11, 5), "quarterly", 10) == (D(2024, 10, 1), D(2024, 12, 31))
    assert period_bounds(D(2024, 2, 5), "quarterly", 10) == (D(2024, 1, 1), D(2024, 3, 31))
    assert period_bounds(D(2024, 9, 30), "yearly", 10) == (D(2023, 10, 1), D(2024, 9, 30))
    s = Schedule("daily_saving", [Rate(D(2000, 1, 1), 100, "yearly")], joined=D(2024, 1, 1), left=None)
    cov = s.coverage(0, D(2024, 6, 1))
    assert cov.arrears == 0  # the year has not ended
    assert cov.due_now == 36600


def test_annual_fee_per_fiscal_year_from_the_year_of_joining():
    s = Schedule("annual_fee", [Rate(D(2000, 1, 1), 5000, "yearly")], joined=D(2023, 7, 1), left=None)
    assert s.paid_through(5000, D(2025, 3, 1)) == D(2023, 12, 31)
    cov = s.coverage(5000, D(2025, 3, 1))
    assert cov.arrears == 5000  # 2024 unpaid
    assert cov.due_now == 10000  # and 2025
    monthly = Schedule("annual_fee", [Rate(D(2000, 1, 1), 6000, "monthly")], joined=D(2024, 1, 1), left=None)
    assert monthly.due_through(D(2024, 3, 31)) == 1500  # 60 baht a year, 5 a month


def test_entry_fee_once_and_members_who_left_owe_nothing_after():
    fee = Schedule("entry_fee", [Rate(D(2000, 1, 1), 5000, "once")], joined=D(2024, 5, 5), left=None)
    assert fee.coverage(0, D(2024, 6, 1)).arrears == 5000
    assert fee.paid_through(5000, D(2024, 6, 1)) == D(2024, 5, 5)
    gone = Schedule("daily_saving", ONE_BAHT, joined=D(2024, 1, 1), left=D(2024, 2, 10))
    assert gone.due_through(D(2024, 12, 31)) == 3100 + 1000
    assert gone.paid_through(100000, D(2024, 12, 31)) == D(2024, 2, 10)


def test_no_plan_means_nothing_is_owed():
    s = Schedule("annual_fee", [], joined=D(2024, 1, 1), left=None)
    assert not s.owed
    assert s.coverage(0, D(2025, 1, 1)).arrears == 0
    assert months_between(D(2024, 1, 15), D(2024, 3, 1)) == 3



def _slow_paid_through(s: Schedule, paid: int, as_of):
    """Installment by installment, then day by day: the definition the fast path must match."""
    remaining, through = paid, None
    for inst in s.installments(as_of.replace(year=as_of.year + 10)):
        if remaining >= inst.amount:
            remaining -= inst.amount
            through = inst.end
            continue
        day = max(inst.start, s.first)
        while day <= inst.end:
            r = [x for x in s.rates if x.start <= day][-1].amount if any(x.start <= day for x in s.rates) else 0
            if remaining < r:
                break
            remaining -= r
            through = day
            day += dt.timedelta(days=1)
        break
    if through is not None and s.left is not None:
        through = min(through, s.left)
    return through


# Date arithmetic against a day-by-day reference, a few milliseconds an example: 150 draws mix
# each of the three frequencies with a rate change before, at and after joining, and leaving
# dates on and off installment boundaries, many times each.
@settings(max_examples=examples(150), deadline=None)
@given(
    joined=st.dates(min_value=D(2019, 1, 1), max_value=D(2023, 12, 31)),
    paid=st.integers(min_value=0, max_value=200_000),
    change=st.dates(min_value=D(2019, 6, 1), max_value=D(2024, 6, 1)),
    second_rate=st.sampled_from([100, 200, 150]),
    frequency=st.sampled_from(["monthly", "quarterly", "yearly"]),
    left_after=st.one_of(st.none(), st.integers(min_value=0, max_value=1500)),
)
def test_the_fast_daily_path_matches_the_definition(joined, paid, change, second_rate, frequency, left_after):
    rates = [Rate(D(2000, 1, 1), 100, frequency), Rate(change, second_rate, frequency)]
    left = joined + dt.timedelta(days=left_after) if left_after is not None else None
    s = Schedule("daily_saving", rates, joined=joined, left=left, fy_start_month=10)
    as_of = D(2024, 12, 31)
    assert s.paid_through(paid, as_of) == _slow_paid_through(s, paid, as_of)
    for day in (D(2024, 3, 31), D(2024, 9, 30), D(2022, 12, 31)):
        assert s.due_through(day) == sum(i.amount for i in s.installments(day) if i.end <= day)



