"""Arrears as worked examples: a 12-month loan paid for two months, then nothing; and the
bisection of a schedule's running sums equals the walk over its instalments, and the plan read
straight from the terms (no instalments built) equals the plan of the built schedule (properties)."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from omboon.loans import arrears, selectors, services
from omboon.loans.allocation import Parts
from omboon.loans.schedule import Terms, build
from omboon.loans.tests.conftest import D, disbursed
from omboon.loans.tests.test_properties import loans
from omboon.testing.properties import examples

TERMS = Terms("equal-principal", Decimal(0), "year", "month", 12)
SCHEDULE = build(TERMS, 12_000_00, dt.date(2026, 1, 15))  # 1,000 baht due on the 15th, Feb 2026 – Jan 2027


def test_days_overdue_count_from_the_oldest_unpaid_due_date():
    paid = Parts(principal=2_000_00)  # February and March paid
    s = arrears.standing(SCHEDULE, paid, 12_000_00, dt.date(2026, 5, 20))
    assert (s.days_overdue, s.overdue_principal, s.outstanding) == (35, 2_000_00, 10_000_00)  # since 15 April
    assert s.bucket == (31, 60)


def test_a_partly_paid_instalment_is_still_overdue_and_a_loan_on_time_is_not():
    assert arrears.standing(SCHEDULE, Parts(principal=999_00), 12_000_00, dt.date(2026, 2, 16)).days_overdue == 1
    on_time = arrears.standing(SCHEDULE, Parts(principal=1_000_00), 12_000_00, dt.date(2026, 3, 15))
    assert (on_time.days_overdue, on_time.bucket) == (0, None)


def test_par30_is_the_principal_of_loans_over_30_days_late_and_the_arrears_rate_is_another_figure():
    late = arrears.Standing(outstanding=10_000_00, days_overdue=35, overdue_principal=2_000_00)
    just = arrears.Standing(outstanding=10_000_00, days_overdue=5, overdue_principal=1_000_00)
    fine = arrears.Standing(outstanding=20_000_00, days_overdue=0, overdue_principal=0)
    p = arrears.portfolio([late, just, fine])
    assert p.gross == 40_000_00 and p.par(30) == Fraction(1, 4) and p.par(1) == Fraction(1, 2)
    assert p.arrears_rate == Fraction(3, 40)
    assert p.by_bucket[(31, 60)] == (1, 10_000_00) and p.by_bucket[(1, 30)] == (1, 10_000_00)
    assert arrears.portfolio([]).par(30) is None


def test_the_groups_portfolio_from_its_loans(fund):
    loan = disbursed(fund, 12_000_00)
    services.loan_repay(actor=fund.treasurer, loan=loan, amount=selectors.schedule_of(loan)[0].total,
                        date=D(2026, 2, 15))
    [(found, s)] = selectors.standings(fund.group, D(2026, 4, 20))
    assert found == (loan.pk, loan.member_id) and s.days_overdue == 36  # the March instalment, due 15 March
    p = selectors.portfolio(fund.group, D(2026, 4, 20))
    assert p.gross == loan.principal - loan.repayments.get().principal and p.par(30) == 1
    assert selectors.portfolio(fund.group, D(2026, 1, 10)).gross == 0  # not yet disbursed


def test_the_loan_portfolio_command(fund):
    import io

    from django.core.management import call_command

    disbursed(fund, 12_000_00)
    out = io.StringIO()
    call_command("loan_portfolio", "--org", fund.group.code, "--on", "20/04/2569", stdout=out)
    text = out.getvalue()
    assert "12,000.00" in text and "PAR30" in text and "100.00%" in text
    assert "61–90" in text and "> 365" in text


def walked(instalments, paid, principal, on):
    """The arrears by walking every instalment (``allocation.remaining``): what ``Plan``'s
    bisection must give."""
    from omboon.loans.allocation import remaining

    left = remaining(instalments, paid)
    oldest = next((i.due for i, r in zip(instalments, left) if r.total > 0 and i.due < on), None)
    overdue = sum(r.principal for i, r in zip(instalments, left) if i.due < on)
    return arrears.Standing(principal - paid.principal, (on - oldest).days if oldest else 0, overdue)


@settings(max_examples=examples(300))
@given(loan=loans(), interest=st.floats(0, 1.2), principal=st.floats(0, 1.1), nth=st.integers(0, 60),
       days=st.integers(-1, 1), whole=st.integers(0, 61), first_due=st.none() | st.integers(1, 400))
def test_the_plans_bisection_gives_the_walk_over_every_instalment(loan, interest, principal, nth, days, whole,
                                                                  first_due):
    terms, amount, disbursed_on = loan
    first_due = disbursed_on + dt.timedelta(days=first_due) if first_due else None
    instalments = build(terms, amount, disbursed_on, first_due)
    from_terms = arrears.Plan.of_terms(terms, amount, disbursed_on, first_due)
    assert list(from_terms.dues) == [i.due for i in instalments]
    paid = Parts(interest=int(sum(i.interest for i in instalments) * interest), principal=int(amount * principal))
    if whole <= len(instalments):  # exactly the first ``whole`` instalments settled
        paid = Parts(interest=sum(i.interest for i in instalments[:whole]),
                     principal=sum(i.principal for i in instalments[:whole]))
    on = instalments[min(nth, len(instalments) - 1)].due + dt.timedelta(days=days)  # the day before, of or after
    assert arrears.Plan.of(instalments).standing(paid, amount, on) == walked(instalments, paid, amount, on)
    assert from_terms.standing(paid, amount, on) == walked(instalments, paid, amount, on)


def test_a_reschedule_after_interest_waived_ahead_still_shows_its_arrears():
    """Every instalment's interest of a 12,000-baht loan waived, then rescheduled on 20 April
    to five monthly instalments from 20 May: the kept old instalments (their interest settled
    ahead, due until January) come before the new ones in the schedule, so the due dates are out
    of order. On 1 August the new May to July instalments are unpaid: 73 days overdue, 7,200
    baht of principal fallen due, as the walk over every instalment says."""
    from dataclasses import replace

    from omboon.loans import reschedule

    terms = Terms(method="flat", rate=Decimal(12), per="year", every="month", term=12)
    rows = build(terms, 1_200_000, dt.date(2026, 1, 1), None)
    waived = Parts(interest=sum(i.interest for i in rows))
    new = reschedule.continued(rows, waived, dt.date(2026, 4, 20), replace(terms, term=5), dt.date(2026, 5, 20))
    assert new[11].due > new[12].due  # out of order
    on = dt.date(2026, 8, 1)
    assert arrears.standing(new, waived, 1_200_000, on) == arrears.Standing(1_200_000, 73, 720_000)
    assert arrears.standing(new, waived, 1_200_000, on) == walked(new, waived, 1_200_000, on)
