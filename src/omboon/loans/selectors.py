"""Reads of loans that pages, reports, the API and the services share."""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum

from omboon.loans import arrears, schedule
from omboon.loans.allocation import Parts, owed
from omboon.loans.models import Loan, LoanProductVersion, Repayment

LIVE = (Loan.Status.DISBURSED, Loan.Status.CLOSED)


def version_in_force(product, on: dt.date) -> LoanProductVersion | None:
    return product.versions.filter(effective_from__lte=on).order_by("-effective_from").first()


def schedule_of(loan: Loan) -> list[schedule.Instalment]:
    """The loan's schedule from the terms agreed at approval (empty until it is disbursed)."""
    if loan.terms is None or loan.disbursed_on is None:
        return []
    return schedule.build(schedule.Terms.from_dict(loan.terms), loan.principal, loan.disbursed_on, loan.first_due)


def paid(loan: Loan) -> Parts:
    """The parts of the repayments that stand (not reversed)."""
    sums = Repayment.objects.filter(loan=loan, reversal__isnull=True).aggregate(
        penalty=Sum("penalty"), fee=Sum("fee"), interest=Sum("interest"), principal=Sum("principal"))
    return Parts(**{k: v or 0 for k, v in sums.items()})


def outstanding_principal(loan: Loan) -> int:
    if loan.status not in LIVE:
        return 0
    return loan.principal - paid(loan).principal


def still_owed(loan: Loan) -> int:
    """Everything the schedule still asks of a disbursed loan (what a repayment may not exceed)."""
    return owed(schedule_of(loan), paid(loan)) if loan.status in LIVE else 0


def _paid_by_loan(loans: list[Loan], on: dt.date) -> dict[int, Parts]:
    rows = (Repayment.objects.filter(loan__in=loans, reversal__isnull=True, date__lte=on).values("loan_id")
            .annotate(penalty=Sum("penalty"), fee=Sum("fee"), interest=Sum("interest"), principal=Sum("principal")))
    return {r.pop("loan_id"): Parts(**r) for r in rows}


def standings(organisation, on: dt.date) -> list[tuple[Loan, arrears.Standing]]:
    """Every loan of the group disbursed by ``on`` and not repaid by then, with its arrears."""
    loans = list(Loan.objects.filter(organisation=organisation, status__in=LIVE, disbursed_on__lte=on)
                 .select_related("member"))
    paid_by = _paid_by_loan(loans, on)
    out = []
    for loan in loans:
        s = arrears.standing(schedule_of(loan), paid_by.get(loan.pk, Parts()), loan.principal, on)
        if s.outstanding > 0:
            out.append((loan, s))
    return out


def portfolio(organisation, on: dt.date) -> arrears.Portfolio:
    """The group's loans on ``on``: gross outstanding, PAR1/30/60/90, aging buckets, arrears rate."""
    return arrears.portfolio([s for _loan, s in standings(organisation, on)])
