"""URL values for the web URL walker (omboon.web.tests.test_url_walker): a disbursed loan of
the group being walked, with one repayment; a pending reschedule of it; a posted year-end
allocation; a loan product of the group."""

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


YEAR = 2023  # the fiscal year of the walkers' allocation


def allocation(org, built=None) -> int:
    """A posted year-end allocation of 2023 with one member's line, decided at the meeting of
    10 February 2024 and approved by two, its entry posted that day (the rows written as the
    services write them: the walker's groups have no closed fiscal year to draft from) — so
    its page offers the payment and the reversal."""
    from django.utils import timezone

    from omboon.loans.models import YearEndAllocation
    from omboon.loans.tests.conftest import make_member

    found = YearEndAllocation.objects.filter(organisation=org, fiscal_year=YEAR).first()
    if found is not None:
        return found.pk
    drafter, chair, committee = (make_user(org, role) for role in (Role.TREASURER, Role.CHAIR, Role.COMMITTEE))
    meeting = dt.date(YEAR + 1, 2, 10)
    made = YearEndAllocation.objects.create(
        organisation=org, fiscal_year=YEAR, start=dt.date(YEAR, 1, 1), end=dt.date(YEAR, 12, 31), model="pool",
        reserve_pct=20, dividend_pct=80, refund_pct=0, welfare_pct=0, committee_pct=0, public_pct=0,
        net_income=1_000_00, reserve=200_00, dividend=800_00, refund=0, welfare=0, committee=0, public=0,
        drafted_by=drafter, drafted_at=timezone.now(), meeting_on=meeting, resolution="ที่ประชุมใหญ่อนุมัติ",
        decided_by=chair, decided_at=timezone.now(), approved_by=committee, approved_at=timezone.now())
    made.shares.create(member=make_member(org), balance_months=12_000_00, interest_paid=0, dividend=800_00, refund=0)
    made.entry = entry_post(actor=drafter, organisation=org, date=meeting, doc_type="journal", source=made,
                            memo=f"จัดสรรกำไรสุทธิปี {YEAR + 543}",
                            lines=[Line(account="3300", debit=1_000_00), Line(account="3200", credit=200_00),
                                   Line(account="2400", credit=800_00)])
    made.status = YearEndAllocation.Status.POSTED
    made.save(update_fields=["entry", "status"])
    return made.pk


def allocation_year(org, built=None) -> int:
    """The fiscal year the API names the allocation by (/loans/{org}/year-end/{year})."""
    allocation(org, built)
    return YEAR


def product(org, built=None) -> int:
    from omboon.loans.tests.conftest import TERMS

    found = LoanProduct.objects.filter(organisation=org, code="WALK").first() or services.product_create(
        actor=None, organisation=org, code="WALK", name_th="เงินกู้ (walker)", terms=TERMS, max_amount=50_000_00,
        effective_from=dt.date(2010, 1, 1))
    return found.pk


URL_VALUES = {"loan_id": loan, "reschedule_id": reschedule,
              "allocation_id": allocation, "year": allocation_year, "loan_product_id": product,
              "product_code": lambda org, built: LoanProduct.objects.get(pk=product(org)).code}
