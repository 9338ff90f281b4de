"""URL values for the web URL walker (omboon.web.tests.test_url_walker): a disbursed loan of
the group being walked, with one repayment; a pending reschedule of it; a loan product of the group."""

from __future__ import annotations

import datetime as dt

from omboon.ledger.services import Line, entry_post
from omboon.loans import services
from omboon.loans.models import LoanProduct
from omboon.orgs.models import Role
from omboon.testing.factories import make_user


def loan(org, built=None) -> int:
    from omboon.loans.tests.conftest import TERMS, make_member

    product = LoanProduct.objects.filter(organisation=org, code="WALK").first() or services.product_create(
        actor=None, organisation=org, code="WALK", name_th="เงินกู้ (walker)", terms=TERMS, max_amount=50_000_00,
        effective_from=dt.date(2010, 1, 1))
    maker, checker = make_user(org, Role.TREASURER), make_user(org, Role.CHAIR)
    entry_post(actor=None, organisation=org, date=dt.date(2024, 1, 2), doc_type="receipt",
               lines=[Line(account="1100", debit=10_000_00), Line(account="4400", credit=10_000_00)])
    made = services.loan_apply(actor=maker, organisation=org, member=make_member(org), product=product,
                               principal=5_000_00, purpose="walker", applied_on=dt.date(2024, 1, 5))
    services.loan_approve(actor=checker, loan=made)
    services.loan_disburse(actor=maker, loan=made, date=dt.date(2024, 1, 10))
    services.loan_repay(actor=maker, loan=made, amount=500_00, date=dt.date(2024, 2, 10))
    return made.pk


def reschedule(org, built=None) -> int:
    """A reschedule of the walked loan (``built``'s, else a new one) waiting for its approval."""
    from omboon.loans.models import Loan, Reschedule

    loan_id = (built or {}).get("loan_id") or loan(org)
    found = Reschedule.objects.filter(loan_id=loan_id).first()
    if found is not None:
        return found.pk
    return services.reschedule_request(actor=make_user(org, Role.TREASURER), loan=Loan.objects.get(pk=loan_id),
                                       term=6, first_due=dt.date(2024, 4, 10), reason="walker",
                                       date=dt.date(2024, 3, 1)).pk


def allocation(org, built=None) -> int:
    """A drafted year-end allocation of 1999 with one member's line (written as the draft
    service writes it: the walker's groups have no closed fiscal year to draft from)."""
    from django.utils import timezone

    from omboon.loans.models import YearEndAllocation
    from omboon.loans.tests.conftest import make_member

    found = YearEndAllocation.objects.filter(organisation=org, fiscal_year=1999).first()
    if found is not None:
        return found.pk
    made = YearEndAllocation.objects.create(
        organisation=org, fiscal_year=1999, start=dt.date(1999, 1, 1), end=dt.date(1999, 12, 31), model="pool",
        reserve_pct=20, dividend_pct=80, refund_pct=0, welfare_pct=0, committee_pct=0, public_pct=0,
        net_income=1_000_00, reserve=200_00, dividend=800_00, refund=0, welfare=0, committee=0, public=0,
        drafted_at=timezone.now())
    made.shares.create(member=make_member(org), balance_months=12_000_00, interest_paid=0, dividend=800_00, refund=0)
    return made.pk


def allocation_year(org, built=None) -> int:
    """The fiscal year the API names the allocation by (/loans/{org}/year-end/{year})."""
    allocation(org, built)
    return 1999


def product(org, built=None) -> int:
    from omboon.loans.tests.conftest import TERMS

    found = LoanProduct.objects.filter(organisation=org, code="WALK").first() or services.product_create(
        actor=None, organisation=org, code="WALK", name_th="เงินกู้ (walker)", terms=TERMS, max_amount=50_000_00,
        effective_from=dt.date(2010, 1, 1))
    return found.pk


URL_VALUES = {"loan_id": loan, "reschedule_id": reschedule,
              "allocation_id": allocation, "year": allocation_year, "loan_product_id": product,
              "product_code": lambda org, built: LoanProduct.objects.get(pk=product(org)).code}
