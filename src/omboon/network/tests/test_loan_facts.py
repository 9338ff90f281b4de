"""Loans in the network's monthly facts: a village fund in a network lends two 12,000-baht loans
on 15 January 2026; one is repaid on time, the other pays February and stops, and is written off
on 30 June. Month by month the facts hold the loans outstanding, the principal more than 30 days
overdue (PAR30) and the write-offs; the consolidation shows them added up (aggregates only)."""

from __future__ import annotations

import pytest

from omboon.core.money import format_baht
from omboon.ledger.services import Line, entry_post
from omboon.loans import selectors as loans
from omboon.loans import services
from omboon.loans.tests.conftest import TERMS, D, Fund, disbursed, make_member
from omboon.network import facts, selectors
from omboon.network import services as services_network
from omboon.network.models import ym_of
from omboon.orgs.models import Organisation, Role
from omboon.testing.factories import make_group, make_network, make_user

JAN, MAR, MAY, JUN = ym_of(2026, 1), ym_of(2026, 3), ym_of(2026, 5), ym_of(2026, 6)


@pytest.fixture
def fund(db) -> Fund:
    network = make_network("LNET", "เครือข่ายกองทุนหมู่บ้าน")
    group = make_group("VFN", "กองทุนหมู่บ้านในเครือข่าย", network, group_type=Organisation.GroupType.VILLAGE_FUND)
    treasurer, chair = make_user(group, Role.TREASURER), make_user(group, Role.CHAIR)
    entry_post(actor=None, organisation=group, date=D(2020, 1, 2), doc_type="receipt",
               lines=[Line(account="1100", debit=100_000_00), Line(account="4400", credit=100_000_00)])
    product = services.product_create(actor=chair, organisation=group, code="GEN", name_th="เงินกู้สามัญ",
                                      terms=TERMS, max_amount=50_000_00, effective_from=D(2020, 1, 1))
    fund = Fund(group, treasurer, chair, [make_member(group) for _ in range(2)], product)
    fund.network = network
    return fund


def test_loans_par30_and_write_offs_month_by_month_and_consolidated(fund):
    late = disbursed(fund, 12_000_00, member=fund.members[0])
    good = disbursed(fund, 12_000_00, member=fund.members[1])
    plan_late, plan_good = loans.schedule_of(late), loans.schedule_of(good)
    services.loan_repay(actor=fund.treasurer, loan=late, amount=plan_late[0].total, date=D(2026, 2, 15))
    for i in plan_good[:5]:
        services.loan_repay(actor=fund.treasurer, loan=good, amount=i.total, date=i.due)
    asked = services.write_off_request(actor=fund.treasurer, loan=late, reason="ย้ายออก", date=D(2026, 6, 30))
    services.adjustment_approve(actor=fund.chair, adjustment=asked)

    got = {(f.ym, f.kind): (f.count, f.amount) for f in facts.compute(fund.group, JAN, JUN)
           if f.kind in ("loans", "par30", "write_off")}
    late_left = late.principal - plan_late[0].principal
    good_at = {MAR: plan_good[1].balance, MAY: plan_good[3].balance, JUN: plan_good[4].balance}
    assert got[(JAN, "loans")] == (2, 24_000_00) and (JAN, "par30") not in got
    assert got[(MAR, "loans")] == (2, late_left + good_at[MAR]) and (MAR, "par30") not in got  # 16 days late
    assert got[(MAY, "par30")] == (1, late_left)  # March's instalment, 77 days by 31 May
    assert got[(JUN, "loans")] == (1, good_at[JUN]) and (JUN, "par30") not in got  # written off
    assert got[(JUN, "write_off")] == (1, late_left)

    for month in range(1, 7):
        services_network.facts_write(actor=None, organisation=fund.group, year=2026, month=month)
    total = selectors.consolidated(fund.network, first=JAN, last=MAY).total
    assert (total.loans, total.par30) == (late_left + good_at[MAY], late_left)
    assert total.par30_percent == round(late_left * 100 / (late_left + good_at[MAY]), 2)
    june = selectors.consolidated(fund.network, first=JAN, last=JUN).total
    assert (june.loans, june.par30, june.write_offs) == (good_at[JUN], 0, late_left)


def test_the_network_page_shows_each_groups_loans_par30_and_write_offs(fund, client):
    """The coordinator's network page: beside each group's members and fund, its loans
    outstanding, PAR30 and write-offs of the months asked (May: one loan 77 days late)."""
    late = disbursed(fund, 12_000_00, member=fund.members[0])
    good = disbursed(fund, 12_000_00, member=fund.members[1])
    services.loan_repay(actor=fund.treasurer, loan=late, amount=loans.schedule_of(late)[0].total, date=D(2026, 2, 15))
    for i in loans.schedule_of(good)[:4]:
        services.loan_repay(actor=fund.treasurer, loan=good, amount=i.total, date=i.due)
    for month in range(1, 6):
        services_network.facts_write(actor=None, organisation=fund.group, year=2026, month=month)
    may = selectors.consolidated(fund.network, first=JAN, last=MAY).total

    client.force_login(make_user(fund.network, Role.COORDINATOR))
    client.cookies["django_language"] = "th"
    page = client.get("/o/LNET/network/?from=2569-01&to=2569-05").content.decode()
    row = page.split('<tr data-code="VFN">')[1].split("</tr>")[0]
    assert f'data-figure="loans">{format_baht(may.loans)}</td>' in row
    assert f'data-figure="par30">{may.par30_percent:.2f}%</td>' in row
    assert 'data-figure="write_offs">0.00</td>' in row
    assert "PAR30" in page.split("</thead>")[0].split("omb-consolidated")[1]


def test_interest_waived_settles_the_instalment_as_the_loans_own_pages_read_it(fund):
    """A borrower the committee excuses from interest: each month its interest is waived and the
    principal paid on the due date. The loans' own portfolio reads the loan as current; so do the
    network's facts (they read repayments and waivers alike, not repayments alone)."""
    loan = disbursed(fund, 12_000_00, member=fund.members[0])
    for i in loans.schedule_of(loan)[:4]:  # February to May
        asked = services.waive_request(actor=fund.treasurer, loan=loan, part="interest", amount=i.interest,
                                       reason="ประสบภัยน้ำท่วม", date=i.due)
        services.adjustment_approve(actor=fund.chair, adjustment=asked)
        services.loan_repay(actor=fund.treasurer, loan=loan, amount=i.principal, date=i.due)

    may_end = D(2026, 5, 31)
    portfolio = loans.portfolio(fund.group, may_end)
    assert (portfolio.gross, portfolio.at_risk[1]) == (loans.schedule_of(loan)[3].balance, 0)
    got = {(f.ym, f.kind): (f.count, f.amount) for f in facts.compute(fund.group, JAN, ym_of(2026, 5))}
    assert got[(MAY, "loans")] == (1, portfolio.gross)
    assert (MAY, "par30") not in got
