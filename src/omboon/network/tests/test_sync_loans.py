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
                    [(g.member.number, g.consent, g.consent_on, who(g.consent_by))
                     for g in loan.guarantors.select_related("member", "consent_by").order_by("member__number")],
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
    waiting = services.loan_apply(actor=fund.treasurer, organisation=fund.group, member=m[4], product=fund.product,
                                  principal=5_000_00, purpose="ซื้อพันธุ์ข้าว", applied_on=D(2026, 4, 1),
                                  guarantors=(m[2], m[3]), consented=(m[2],))  # m[3]'s consent waits
    assert [g.consent for g in waiting.guarantors.order_by("member__number")] == ["given", "pending"]

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


def schedules(group) -> list[tuple]:
    """Each loan's schedules (the first, then each standing reschedule's) and its reschedules."""
    return [(loan.number, [(r.date if r else None, rows) for r, rows in selectors.schedules_of(loan)],
             [(r.status, r.date, r.first_due, r.terms, r.principal, r.kept_interest, r.reversed_on,
               who(r.requested_by), who(r.approved_by)) for r in loan.reschedules.order_by("date", "pk")])
            for loan in Loan.objects.filter(organisation=group).order_by("number")]


def test_a_reschedule_travels_and_the_copy_follows_the_current_schedule(fund, mirror):
    loan = disbursed(fund)
    february = services.loan_repay(actor=fund.treasurer, loan=loan, amount=1_775_00, date=D(2026, 2, 15))
    asked = services.reschedule_request(actor=fund.treasurer, loan=loan, term=12, first_due=D(2026, 6, 1),
                                        reason="น้ำท่วมนา", date=D(2026, 5, 1))
    ship(fund.group, mirror)
    assert schedules(mirror) == schedules(fund.group)  # asked: the copy still follows the first schedule

    services.reschedule_approve(actor=fund.chair, reschedule=asked)
    assert ship(fund.group, mirror) == ["loans"]  # nothing posted: the loan only
    assert schedules(mirror) == schedules(fund.group)
    copy = Loan.objects.get(organisation=mirror, number=loan.number)
    assert copy.rescheduled_on == D(2026, 5, 1) and selectors.schedule_of(copy)[1].due == D(2026, 6, 1)
    assert selectors.portfolio(mirror, ON) == selectors.portfolio(fund.group, ON)
    assert loans_of(mirror) == loans_of(fund.group)
    # the repayment the reschedule counted is the copy's own row
    assert selectors.counted_in_reschedule(copy.repayments.get(entry__number=february.entry.number))

    # the server only reads it: its people cannot ask for, decide on or reverse a reschedule
    hub_treasurer = make_user(mirror, Role.TREASURER, username="srv-treasurer2")
    hub_chair = make_user(mirror, Role.CHAIR, username="srv-chair2")
    with pytest.raises(RuleViolation):
        services.reschedule_reverse(actor=hub_chair, reschedule=copy.reschedules.get(), reason="x")
    services.reschedule_reject(actor=fund.chair, reason="x", reschedule=services.reschedule_request(
        actor=fund.treasurer, loan=loan, term=6, first_due=D(2026, 7, 1), reason="อีกครั้ง", date=D(2026, 5, 2)))
    with pytest.raises(RuleViolation):
        services.reschedule_request(actor=hub_treasurer, loan=copy, term=6, first_due=D(2026, 7, 1), reason="x",
                                    date=D(2026, 5, 2))

    # reversed on the laptop: the copy follows the first schedule again
    services.reschedule_reverse(actor=fund.chair, reschedule=asked, reason="ตกลงกันใหม่")
    ship(fund.group, mirror)
    assert schedules(mirror) == schedules(fund.group)
    copy.refresh_from_db()
    assert copy.rescheduled_on is None and len(selectors.schedules_of(copy)) == 1
