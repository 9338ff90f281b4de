"""Loans travel with the sync: the laptop's loan products with their versions, and each loan
with its terms, schedule dates, guarantors, repayments and adjustments (write-offs, penalties,
waivers) arrive on the network's server after the entries they name, so its loan reports show
the same outstanding principal, arrears and 1300 to the satang; the server only reads them.

The server is a second group in the same test database (``mirror``, flagged as a remote node),
as in ``test_sync_savings``."""

from __future__ import annotations

import datetime as dt

import pytest

from omboon.core import reporting
from omboon.core.errors import RuleViolation
from omboon.loans import selectors, services
from omboon.loans.models import Loan
from omboon.loans.tests import conftest as loans_conftest
from omboon.loans.tests.conftest import disbursed
from omboon.network.tests.test_sync_savings import ship
from omboon.orgs.models import Organisation, Role
from omboon.testing.factories import make_group, make_user

D = dt.date
ON = D(2026, 6, 30)
fund = loans_conftest.fund  # the village fund of the loans tests, with its committee and product


def who(user) -> str | None:
    """A person by the laptop's username (the server's stand-in adds "@<group>.node")."""
    return user.username.split("@")[0] if user is not None else None


def loans_of(group) -> list[tuple]:
    out = []
    for loan in Loan.objects.filter(organisation=group).order_by("number").select_related(
            "member", "product_version__product", "approved_by", "disbursement"):
        out.append((loan.number, loan.member.number, loan.status, loan.principal, loan.terms, loan.disbursed_on,
                    loan.first_due, loan.product_version.product.code, loan.product_version.effective_from,
                    who(loan.approved_by),
                    loan.disbursement.document_number if loan.disbursement else None,
                    sorted(loan.guarantors.values_list("member__number", flat=True)),
                    [(r.date, r.amount, r.interest, r.principal, r.entry.document_number,
                      r.reversal.document_number if r.reversal else None)
                     for r in loan.repayments.select_related("entry", "reversal").order_by("date", "pk")],
                    [(a.kind, a.status, a.amount, a.date, who(a.requested_by), who(a.approved_by))
                     for a in loan.adjustments.select_related("requested_by", "approved_by").order_by("date", "pk")],
                    selectors.outstanding_principal(loan), selectors.still_owed(loan)))
    return out


@pytest.fixture
def mirror(fund):
    mirror = make_group("SRV", "VF บนเซิร์ฟเวอร์", group_type=Organisation.GroupType.VILLAGE_FUND)
    Organisation.objects.filter(pk=mirror.pk).update(is_remote_node=True)
    mirror.refresh_from_db()
    return mirror


def test_loans_and_what_happened_to_them_arrive_and_the_books_agree(fund, mirror):
    m = fund.members
    big = disbursed(fund, 30_000_00, guarantors=(m[2], m[3]))
    services.loan_repay(actor=fund.treasurer, loan=big, amount=3_000_00, date=D(2026, 2, 15))
    lost = disbursed(fund, 10_000_00, member=m[1])
    services.adjustment_approve(actor=fund.chair, adjustment=services.write_off_request(
        actor=fund.treasurer, loan=lost, reason="ย้ายถิ่น", date=D(2026, 3, 1)))
    services.loan_apply(actor=fund.treasurer, organisation=fund.group, member=m[4], product=fund.product,
                        principal=5_000_00, purpose="ซื้อพันธุ์ข้าว", applied_on=D(2026, 4, 1))

    kinds = ship(fund.group, mirror)
    assert kinds.index("members") < kinds.index("entries") < kinds.index("loan_products") < kinds.index("loans")
    assert loans_of(mirror) == loans_of(fund.group)
    assert selectors.portfolio(mirror, ON) == selectors.portfolio(fund.group, ON)
    aging = reporting.get("loan-aging").build(organisation=mirror, start=None, end=ON).tables[1].rows
    assert aging[-1]["amount"] == 0  # outstanding principal less 1300 in the books: no difference

    # a later repayment sends its entry and that loan only
    services.loan_repay(actor=fund.treasurer, loan=big, amount=2_000_00, date=D(2026, 3, 15))
    assert ship(fund.group, mirror) == ["entries", "loans"]
    assert loans_of(mirror) == loans_of(fund.group)

    # the server only reads them: its own people cannot repay, write off or approve there
    hub_treasurer = make_user(mirror, Role.TREASURER, username="srv-treasurer")
    copy = Loan.objects.get(organisation=mirror, number=big.number)
    with pytest.raises(RuleViolation):
        services.loan_repay(actor=hub_treasurer, loan=copy, amount=100_00, date=D(2026, 4, 15))
    with pytest.raises(RuleViolation):
        services.write_off_request(actor=hub_treasurer, loan=copy, reason="x", date=D(2026, 4, 15))
    assert loans_of(mirror) == loans_of(fund.group)
