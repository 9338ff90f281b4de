"""The loans part of group-status, monthly and annual, as a worked example: a village fund in a
network lends 12,000 baht to each of three members on 15 January 2026 (12 monthly instalments at
12% a year). One repays on time and the rest in December; one pays February and stops, is written
off on 30 June and pays 1,000 baht back in July; one pays February, March and April, and April's
payment is reversed in May. The figures equal the books: loans outstanding = 1300, interest
received = 4710; PAR30 and the arrears rate are two rows. A group that has never lent shows no
loans part."""

from __future__ import annotations

import pytest

from omboon.core import reporting
from omboon.ledger import chart
from omboon.ledger.services import Line, entry_post
from omboon.loans import selectors as loans
from omboon.loans import services
from omboon.loans.tests.conftest import TERMS, D, Fund, disbursed, make_member
from omboon.orgs.models import Organisation, Role
from omboon.reports import selectors as sel
from omboon.testing.factories import make_group, make_network, make_user

LOANS = "Loans to members"


@pytest.fixture
def fund(db) -> Fund:
    network = make_network("RNET", "เครือข่ายทดสอบรายงานเงินกู้")
    group = make_group("RVF", "กองทุนหมู่บ้านรายงาน", network, group_type=Organisation.GroupType.VILLAGE_FUND)
    treasurer, chair = make_user(group, Role.TREASURER), make_user(group, Role.CHAIR)
    entry_post(actor=None, organisation=group, date=D(2020, 1, 2), doc_type="receipt",
               lines=[Line(account="1100", debit=100_000_00), Line(account="4400", credit=100_000_00)])
    product = services.product_create(actor=chair, organisation=group, code="GEN", name_th="เงินกู้สามัญ",
                                      terms=TERMS, max_amount=50_000_00, effective_from=D(2020, 1, 1))
    fund = Fund(group, treasurer, chair, [make_member(group) for _ in range(3)], product)
    fund.network = network
    return fund


@pytest.fixture
def lent(fund):
    good, late, reversed_ = (disbursed(fund, 12_000_00, member=m) for m in fund.members)
    for i in loans.schedule_of(good):
        if i.due <= D(2026, 12, 31):
            services.loan_repay(actor=fund.treasurer, loan=good, amount=i.total, date=i.due)
    services.loan_repay(actor=fund.treasurer, loan=good, amount=loans.still_owed(good), date=D(2026, 12, 20))
    first = loans.schedule_of(late)[0]
    services.loan_repay(actor=fund.treasurer, loan=late, amount=first.total, date=first.due)
    asked = services.write_off_request(actor=fund.treasurer, loan=late, reason="ย้ายออก", date=D(2026, 6, 30))
    services.adjustment_approve(actor=fund.chair, adjustment=asked)
    back = services.recovery_request(actor=fund.treasurer, loan=late, amount=1_000_00, reason="ญาติชำระแทน",
                                     date=D(2026, 7, 10))
    services.adjustment_approve(actor=fund.chair, adjustment=back)
    paid = [services.loan_repay(actor=fund.treasurer, loan=reversed_, amount=i.total, date=i.due)
            for i in loans.schedule_of(reversed_)[:3]]
    services.repayment_reverse(actor=fund.chair, repayment=paid[-1], reason="เงินไม่เข้า", date=D(2026, 5, 2))
    return good, late, reversed_


def part(org, code, start, end):
    result = reporting.get(code).build(organisation=org, start=start, end=end, lang="en")
    found = [t for t in result.tables if t.title_en == LOANS]
    return {r["item"].split(" (")[0].split(" on ")[0]: r for r in found[0].rows} if found else None


def books(org, start, end):
    return (sel.balances_by_code(org, end).get(chart.LOANS, 0),
            sel.movements(org, start, end).income([chart.LOAN_INTEREST_INCOME]))


@pytest.mark.parametrize(("start", "end"), [(None, D(2026, 12, 31)), (D(2026, 5, 1), D(2026, 5, 31)),
                                            (D(2026, 4, 1), D(2026, 7, 31)), (D(2026, 1, 1), D(2026, 3, 31))])
def test_group_status_loans_equal_1300_and_4710(fund, lent, start, end):
    rows = part(fund.group, "group-status", start, end)
    on_1300, on_4710 = books(fund.group, start, end)
    opening = books(fund.group, None, start - D.resolution)[0] if start else 0
    assert rows["Loans outstanding at the start"]["amount"] == opening
    moved = (rows["Disbursed"]["amount"] + rows["Principal repaid"]["amount"] + rows["Written off"]["amount"])
    assert rows["Loans outstanding"]["amount"] == opening + moved == on_1300
    assert rows["Difference from 1300"]["amount"] == 0
    assert rows["Loan interest received"]["amount"] == on_4710 == rows["Interest received in the books, 4710"]["amount"]


def test_the_rows_of_the_year_as_a_treasurer_reads_them(fund, lent):
    _good, late, reversed_ = lent
    rows = part(fund.group, "group-status", None, D(2026, 12, 31))
    assert (rows["Disbursed"]["n"], rows["Disbursed"]["amount"]) == (3, 36_000_00)
    left = reversed_.principal - sum(i.principal for i in loans.schedule_of(reversed_)[:2])
    written = late.principal - loans.schedule_of(late)[0].principal
    assert rows["Written off"]["n"] == 1 and rows["Written off"]["amount"] == -written
    assert rows["Recovered after write-off"]["amount"] == 1_000_00
    assert rows["Loans outstanding"]["n"] == 1 and rows["Loans outstanding"]["amount"] == left
    assert rows["Members with a loan outstanding"]["n"] == 1
    # the reversed loan stopped in March: every instalment from April is overdue
    assert rows["PAR30"]["amount"] == left and rows["PAR30"]["share"] == 100.0
    overdue = sum(i.principal for i in loans.schedule_of(reversed_)[2:11])  # April to December
    assert rows["Arrears rate"]["amount"] == overdue and rows["Arrears rate"]["share"] == round(overdue * 100 / left, 2)


def test_may_counts_the_reversal_of_aprils_repayment_on_its_own_date(fund, lent):
    _good, _late, reversed_ = lent
    april = loans.schedule_of(reversed_)[2]
    may = part(fund.group, "monthly", None, D(2026, 5, 31))
    good_may = loans.schedule_of(lent[0])[3]
    assert may["Principal repaid"]["amount"] == -(good_may.principal - april.principal)


def test_monthly_and_annual_carry_the_part_and_a_network_adds_up_its_groups(fund, lent):
    for code, end in (("monthly", D(2026, 6, 30)), ("annual", D(2026, 12, 31))):
        for org in (fund.group, fund.network):
            rows = part(org, code, None, end)
            assert rows["Loans outstanding"]["amount"] == books(org, None, end)[0]
            assert rows["Difference from 1300"]["amount"] == 0
    june = part(fund.network, "monthly", None, D(2026, 6, 30))
    assert june["Written off"]["n"] == 1


def test_no_loans_part_for_a_group_that_has_not_lent(fund):
    assert part(fund.group, "group-status", None, D(2026, 12, 31)) is None
    other = make_group("RNO", "กลุ่มไม่ปล่อยกู้")
    assert part(other, "annual", None, D(2026, 12, 31)) is None


def test_thai_labels_on_the_thai_report(fund, lent):
    result = reporting.get("group-status").build(organisation=fund.group, start=None, end=D(2026, 12, 31), lang="th")
    [table] = [t for t in result.tables if t.title_en == LOANS]
    items = [r["item"] for r in table.rows]
    assert any(i.startswith("PAR30 (เงินต้นคงค้าง") for i in items)
    assert "อัตราเงินต้นค้างชำระ (ไม่ใช่ PAR)" in items
    assert any("PAR30" in n and "อัตราเงินต้นค้างชำระ" in n for n in result.notes)
