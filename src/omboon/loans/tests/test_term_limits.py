"""Term limits as worked examples. The village fund's product "SEASON" lends monthly at 12% a
year, usually over 12 instalments, and lets a borrower choose 6 to 24. A member who asks for
nothing borrows over 12; one asks for 18 and the committee's approval copies the product's
terms with 18 onto the loan; 5 or 25 are refused, naming the term and the limits in Thai and
English. A product version without limits lends its own term only (min = max = term), as
every product did before. A reschedule may run as long as the product's longest term, in
weeks as long a time as in months."""

from __future__ import annotations

from dataclasses import replace

import pytest

from omboon.core.errors import RuleViolation
from omboon.loans import rules, schedule, selectors, services
from omboon.loans.models import Loan, LoanProductVersion
from omboon.loans.tests.conftest import TERMS, D, disbursed

pytestmark = pytest.mark.django_db
APPLIED = D(2026, 1, 5)


def season(fund, **kw):
    values = {"term_min": 6, "term_max": 24, "max_amount": 50_000_00}
    values.update(kw)
    return services.product_create(actor=fund.chair, organisation=fund.group, code="SEASON",
                                   name_th="เงินกู้ตามฤดูกาล", terms=TERMS, effective_from=D(2020, 1, 1), **values)


def apply(fund, product, term=None, principal=12_000_00):
    return services.loan_apply(actor=fund.treasurer, organisation=fund.group, member=fund.members[0],
                               product=product, principal=principal, purpose="ซื้อปุ๋ย", applied_on=APPLIED, term=term)


def refused(do) -> list:
    with pytest.raises(RuleViolation) as caught:
        do()
    return caught.value.problems


# --- the product's limits --------------------------------------------------------------------------

def test_a_product_without_limits_lends_its_own_term_only(fund):
    v = fund.product.versions.get()
    assert (v.term_min, v.term_max, v.terms["term"]) == (12, 12, 12)
    assert "ผ่อนได้" not in selectors.product_summary(fund.product, APPLIED)


def test_the_limits_are_kept_and_summarised(fund):
    v = season(fund).versions.get()
    assert (v.term_min, v.term_max) == (6, 24)
    assert "ผ่อนได้ 6–24 งวด" in selectors.product_summary(v.product, APPLIED)
    assert "a term of 6–24 instalments" in selectors.product_summary(v.product, APPLIED, "en")


@pytest.mark.parametrize(("limits", "field", "th", "en"), [
    ({"term_min": 13}, "term_min", "จำนวนงวดต่ำสุด (13 งวด) ต้องไม่มากกว่าจำนวนงวดปกติ (12 งวด)",
     "the shortest term (13 instalments) cannot be above the usual term (12 instalments)"),
    ({"term_max": 11}, "term_max", "จำนวนงวดสูงสุด (11 งวด) ต้องไม่น้อยกว่าจำนวนงวดปกติ (12 งวด)",
     "the longest term (11 instalments) cannot be below the usual term (12 instalments)"),
    ({"term_min": 0}, "term_min", "จำนวนงวดต่ำสุดต้องอยู่ระหว่าง 1 ถึง 520 งวด",
     "the shortest term must be 1 to 520 instalments"),
    ({"term_max": 521}, "term_max", "จำนวนงวดสูงสุดต้องอยู่ระหว่าง 1 ถึง 520 งวด",
     "the longest term must be 1 to 520 instalments"),
])
def test_limits_around_the_usual_term_within_1_to_520(fund, limits, field, th, en):
    (problem,) = refused(lambda: season(fund, **{"term_min": 6, "term_max": 24, **limits}))
    assert (problem.field, problem.message_th, problem.message_en) == (field, th, en)
    assert not LoanProductVersion.objects.filter(product__code="SEASON").exists()


def test_the_shortest_term_is_longer_than_the_grace_on_principal(fund):
    with_grace = replace(TERMS, grace_principal=3)
    (problem,) = refused(lambda: services.product_create(
        actor=fund.chair, organisation=fund.group, code="GRACE", name_th="ปลอดต้น", terms=with_grace, max_amount=1_00,
        effective_from=D(2020, 1, 1), term_min=3, term_max=12))
    assert problem.field == "term_min" and "งวดปลอดเงินต้น (3 งวด)" in problem.message_th


def test_a_new_version_has_limits_of_its_own(fund):
    product = season(fund)
    v = services.product_version_create(actor=fund.chair, product=product, effective_from=D(2026, 6, 1), terms=TERMS,
                                        max_amount=50_000_00, term_max=36)
    assert (v.term_min, v.term_max) == (12, 36)  # the minimum not given: the usual term


# --- an application's term -------------------------------------------------------------------------

def test_no_term_asked_the_products_term(fund):
    loan = apply(fund, season(fund))
    assert loan.term == 12
    services.loan_approve(actor=fund.chair, loan=loan)
    loan.refresh_from_db()
    assert loan.terms == TERMS.as_dict()


def test_approval_copies_the_products_terms_with_the_term_asked_for(fund):
    product = season(fund)
    loan = apply(fund, product, term=18)
    assert loan.term == 18 and loan.terms is None  # nothing agreed until approved
    services.loan_approve(actor=fund.chair, loan=loan)
    loan.refresh_from_db()
    assert loan.terms == {**TERMS.as_dict(), "term": 18}
    loan = services.loan_disburse(actor=fund.treasurer, loan=loan, date=D(2026, 1, 15))
    rows = selectors.schedule_of(loan)
    assert len(rows) == 18 and rows[-1].due == D(2027, 7, 15) and sum(r.principal for r in rows) == 12_000_00
    # a later version of the product (12–36 now) never alters the running loan
    services.product_version_create(actor=fund.chair, product=product, effective_from=D(2026, 6, 1),
                                    terms=replace(TERMS, term=24), max_amount=50_000_00, term_min=12, term_max=36)
    loan.refresh_from_db()
    assert loan.terms["term"] == 18 and len(selectors.schedule_of(loan)) == 18


@pytest.mark.parametrize("term", [5, 25, 0])
def test_a_term_outside_the_products_limits_is_refused(fund, term):
    product = season(fund)
    (problem,) = refused(lambda: apply(fund, product, term=term))
    assert problem.field == "term" and problem.value == term
    assert problem.message_th == "จำนวนงวดต้องอยู่ระหว่าง 6–24 งวด ตามประเภทเงินกู้ (ปกติ 12 งวด)"
    assert problem.message_en == "the term must be 6–24 instalments, as the loan product allows (usually 12)"
    assert not Loan.objects.exists()


def test_the_limits_at_the_edges_are_within(fund):
    product = season(fund)
    assert [apply(fund, product, term=t).term for t in (6, 24)] == [6, 24]


def test_a_product_of_one_term_refuses_another(fund):
    (problem,) = refused(lambda: apply(fund, fund.product, term=13))
    assert problem.message_th == "จำนวนงวดต้องอยู่ระหว่าง 12 งวด ตามประเภทเงินกู้ (ปกติ 12 งวด)"


def test_approval_checks_the_term_again(fund):
    """Approval reads the limits of the version the application runs on again (a group's copy of
    its products may have come in by sync since)."""
    product = season(fund)
    loan = apply(fund, product, term=20)
    LoanProductVersion.objects.filter(product=product).update(term_max=18)
    (problem,) = refused(lambda: services.loan_approve(actor=fund.chair, loan=loan))
    assert problem.field == "term" and "6–18 งวด" in problem.message_th
    loan.refresh_from_db()
    assert loan.status == Loan.Status.APPLIED and loan.terms is None


def test_the_rules_alone():
    version = LoanProductVersion(terms=TERMS.as_dict(), term_min=6, term_max=24)
    assert rules.term_problems(version, None) == [] and rules.term_problems(version, 6) == []
    assert [p.field for p in rules.term_problems(version, "12")] == ["term"]
    assert rules.term_limits_text(version) == "6–24 งวด"
    assert rules.term_limits_text(version, "en") == "6–24 instalments"


# --- a reschedule's longest term -------------------------------------------------------------------

def test_a_reschedule_may_run_as_long_as_the_products_longest_term(fund):
    loan = disbursed(fund)  # the fund's product: 12 monthly instalments, no limits
    assert selectors.reschedule_max_term(loan, D(2026, 5, 1)) == 12
    assert selectors.reschedule_max_term(loan, D(2026, 5, 1), schedule.WEEK) == 52  # 12 months in weeks
    assert selectors.reschedule_max_term(loan, D(2026, 5, 1), schedule.YEAR) == 1
    services.product_version_create(actor=fund.chair, product=fund.product, effective_from=D(2026, 3, 1),
                                    terms=TERMS, max_amount=50_000_00, term_max=36)
    assert selectors.reschedule_max_term(loan, D(2026, 5, 1)) == 36  # the version in force then
    assert selectors.reschedule_max_term(loan, D(2026, 5, 1), schedule.WEEK) == 156
    assert selectors.reschedule_max_term(loan, D(2026, 5, 1), schedule.YEAR) == 3


def test_a_monthly_loan_rescheduled_weekly_is_not_held_to_the_months_count(fund):
    loan = disbursed(fund)
    r = services.reschedule_request(actor=fund.treasurer, loan=loan, term=40, every=schedule.WEEK,
                                    first_due=D(2026, 5, 8), reason="รายได้รายสัปดาห์", date=D(2026, 5, 1))
    assert (r.terms["term"], r.terms["every"]) == (40, "week")
    services.reschedule_reject(actor=fund.chair, reschedule=r, reason="ทดลอง")
    (problem,) = refused(lambda: services.reschedule_request(
        actor=fund.treasurer, loan=loan, term=53, every=schedule.WEEK, first_due=D(2026, 5, 8), reason="x",
        date=D(2026, 5, 1)))
    assert problem.field == "term" and "1 ถึง 52 งวด" in problem.message_th
    (problem,) = refused(lambda: services.reschedule_request(
        actor=fund.treasurer, loan=loan, term=13, first_due=D(2026, 6, 1), reason="x", date=D(2026, 5, 1)))
    assert problem.field == "term" and "1 ถึง 12 งวด" in problem.message_th

