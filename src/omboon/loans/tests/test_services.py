"""The loan's lifecycle as worked examples: a member borrows 20,000 baht for fertiliser,
the chair approves, the treasurer pays it out, the member repays month by month."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from omboon.core.errors import RuleViolation
from omboon.ledger.models import JournalLine
from omboon.loans import selectors, services
from omboon.loans.models import Loan
from omboon.loans.schedule import Terms
from omboon.loans.tests.conftest import D, apply, disbursed, make_member
from omboon.members.models import Member


def fields(refused) -> list[str]:
    return [p.field for p in refused.value.problems]


def on_books(loan, code="1300") -> int:
    sums = JournalLine.objects.filter(organisation=loan.organisation, account__code=code, member=loan.member) \
        .aggregate(d=Sum("debit"), c=Sum("credit"))
    return (sums["d"] or 0) - (sums["c"] or 0)


def test_apply_approve_disburse_posts_the_loan_and_pays_out_cash(fund):
    loan = apply(fund)
    assert (loan.number, loan.status, loan.terms) == (1, Loan.Status.APPLIED, None)
    services.loan_approve(actor=fund.chair, loan=loan)
    loan.refresh_from_db()
    assert loan.status == Loan.Status.APPROVED and loan.terms["rate"] == "12"
    loan = services.loan_disburse(actor=fund.treasurer, loan=loan, date=D(2026, 1, 15))
    assert loan.status == Loan.Status.DISBURSED and loan.first_due == D(2026, 2, 15)
    assert on_books(loan) == 20_000_00 == selectors.outstanding_principal(loan)
    assert loan.disbursement.doc_type == "payment"


def test_the_person_who_entered_it_cannot_approve_it(fund):
    loan = apply(fund)
    with pytest.raises(RuleViolation) as refused:
        services.loan_approve(actor=fund.treasurer, loan=loan)
    assert fields(refused) == ["approved_by"]


def test_a_later_product_version_does_not_change_an_approved_loan(fund):
    loan = apply(fund)
    services.loan_approve(actor=fund.chair, loan=loan)
    services.product_version_create(actor=fund.chair, product=fund.product, effective_from=D(2026, 1, 10),
                                    terms=Terms("flat", Decimal(24), "year", "month", 6), max_amount=10_000_00)
    loan = services.loan_disburse(actor=fund.treasurer, loan=loan, date=D(2026, 1, 15))
    assert len(selectors.schedule_of(loan)) == 12 and loan.terms["method"] == "declining"
    with pytest.raises(RuleViolation) as refused:  # a new application meets the new limit
        apply(fund, 20_000_00, on=D(2026, 1, 11))
    assert fields(refused) == ["principal"]


def test_bad_applications_say_everything_at_once(fund):
    left = make_member(fund.group, status=Member.Status.RESIGNED, status_date=D(2025, 1, 1))
    with pytest.raises(RuleViolation) as refused:
        apply(fund, 60_000_00, guarantors=[fund.members[0], left])
    assert fields(refused) == ["principal", "guarantors", "guarantors"]
    with pytest.raises(RuleViolation) as refused:
        apply(fund, 25_000_00, guarantors=[fund.members[1]])
    assert fields(refused) == ["guarantors"]
    loan = apply(fund, 25_000_00, guarantors=[fund.members[1], fund.members[2]])
    assert sorted(g.member.number for g in loan.guarantors.all()) == sorted(m.number for m in fund.members[1:3])


def test_reject_and_withdraw_need_a_reason_and_end_the_application(fund):
    loan = apply(fund)
    with pytest.raises(RuleViolation) as refused:
        services.loan_reject(actor=fund.chair, loan=loan, reason=" ")
    assert fields(refused) == ["reason"]
    services.loan_reject(actor=fund.chair, loan=loan, reason="ขาดหลักประกัน")
    other = apply(fund)
    services.loan_withdraw(actor=fund.treasurer, loan=other, reason="ผู้กู้ขอถอน")
    for done in (loan, other):
        with pytest.raises(RuleViolation) as refused:
            services.loan_disburse(actor=fund.treasurer, loan=done, date=D(2026, 1, 15))
        assert fields(refused) == ["status"]


def test_disbursing_twice_is_refused(fund):
    loan = disbursed(fund)
    with pytest.raises(RuleViolation) as refused:
        services.loan_disburse(actor=fund.treasurer, loan=loan, date=D(2026, 1, 16))
    assert fields(refused) == ["status"]


def test_a_repayment_goes_to_interest_then_principal_of_the_oldest_instalment(fund):
    loan = disbursed(fund)
    r = services.loan_repay(actor=fund.treasurer, loan=loan, amount=1_000_00, date=D(2026, 2, 15))
    assert (r.interest, r.principal) == (200_00, 800_00)  # 20,000 × 1%, then principal
    r = services.loan_repay(actor=fund.treasurer, loan=loan, amount=1_000_00, date=D(2026, 3, 15))
    # the rest of instalment 1 (775 principal), then instalment 2: 184.25 interest, then principal
    assert (r.interest, r.principal) == (184_25, 815_75)
    assert on_books(loan) == 20_000_00 - 800_00 - 815_75 == selectors.outstanding_principal(loan)
    assert -on_books(loan, "4710") == 384_25


REPAY_QUERIES = 19  # the loan locked; what it settled and its penalty (2); who acts; the ledger's post; the rows


def test_a_repayment_takes_the_same_few_queries_however_long_the_loans_history(fund, django_assert_max_num_queries):
    """The loan's settled parts and penalty in two grouped queries, the entry's audit from the
    lines written (not read back): 19 queries with the savepoints, the second repayment as the
    eighth after six more and an interest waiver."""
    from django.contrib.auth import get_user_model

    loan = disbursed(fund)
    services.loan_repay(actor=fund.treasurer, loan=loan, amount=1_000_00, date=D(2026, 2, 15))
    counts = []
    for month in range(3, 10):
        if month == 6:
            waiver = services.waive_request(actor=fund.treasurer, loan=loan, part="interest", amount=10_00,
                                            reason="น้ำท่วม", date=D(2026, 5, 20))
            services.adjustment_approve(actor=fund.chair, adjustment=waiver)
        actor = get_user_model().objects.get(pk=fund.treasurer.pk)  # as a request meets them: nothing cached
        fresh = Loan.objects.get(pk=loan.pk)
        with django_assert_max_num_queries(REPAY_QUERIES) as seen:
            services.loan_repay(actor=actor, loan=fresh, amount=1_000_00, date=D(2026, month, 15))
        counts.append(len(seen.captured_queries))
    assert len(set(counts)) == 1, counts


def test_an_overpayment_is_refused_and_paying_everything_closes_the_loan(fund):
    loan = disbursed(fund)
    owed = selectors.still_owed(loan)
    with pytest.raises(RuleViolation) as refused:
        services.loan_repay(actor=fund.treasurer, loan=loan, amount=owed + 1, date=D(2026, 2, 15))
    assert fields(refused) == ["amount"]
    services.loan_repay(actor=fund.treasurer, loan=loan, amount=owed, date=D(2026, 2, 15))
    loan.refresh_from_db()
    assert loan.status == Loan.Status.CLOSED and on_books(loan) == 0
    with pytest.raises(RuleViolation) as refused:
        services.loan_repay(actor=fund.treasurer, loan=loan, amount=1_00, date=D(2026, 3, 15))
    assert fields(refused) == ["status", "amount"]


def test_a_repayment_is_corrected_by_its_reversal_latest_first(fund):
    loan = disbursed(fund)
    first = services.loan_repay(actor=fund.treasurer, loan=loan, amount=1_000_00, date=D(2026, 2, 15))
    services.loan_repay(actor=fund.treasurer, loan=loan, amount=selectors.still_owed(loan), date=D(2026, 3, 1))
    with pytest.raises(RuleViolation) as refused:
        services.repayment_reverse(actor=fund.chair, repayment=first, reason="ผิดคน")
    assert fields(refused) == ["repayment"]
    last = loan.repayments.latest("pk")
    services.repayment_reverse(actor=fund.chair, repayment=last, reason="นับเงินผิด")
    loan.refresh_from_db()
    assert loan.status == Loan.Status.DISBURSED and on_books(loan) == 20_000_00 - first.principal
    last.refresh_from_db()
    assert last.reversal.reverses_id == last.entry_id and last.reversal_reason == "นับเงินผิด"


def test_a_repayment_before_the_disbursement_is_refused(fund):
    loan = disbursed(fund)
    with pytest.raises(RuleViolation) as refused:
        services.loan_repay(actor=fund.treasurer, loan=loan, amount=1_000_00, date=D(2026, 1, 1))
    assert fields(refused) == ["date"]


def test_every_write_is_audited(fund):
    from omboon.core.models import AuditEvent

    loan = disbursed(fund)
    services.loan_repay(actor=fund.treasurer, loan=loan, amount=500_00, date=D(2026, 2, 15))
    actions = set(AuditEvent.objects.filter(organisation=fund.group).values_list("action", flat=True))
    assert {"loans.product_create", "loans.loan_apply", "loans.loan_approve", "loans.loan_disburse",
            "loans.loan_repay"} <= actions



def test_loan_interest_is_4710_and_the_reports_interest_row_reads_it_with_4700(fund):
    from omboon.reports import selectors as report_selectors

    loan = disbursed(fund)
    services.loan_repay(actor=fund.treasurer, loan=loan, amount=1_000_00, date=D(2026, 2, 15))
    codes = {key: codes for key, _th, _en, codes in report_selectors.CAPITAL_SOURCES}["interest"]
    moved = report_selectors.movements(fund.group, None, D(2026, 2, 28))
    assert moved.income(codes) == 200_00 and on_books(loan, "4700") == 0
