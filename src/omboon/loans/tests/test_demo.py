"""The lending demo: a village fund and a savings group lend to their members for five years
through the loans services — most repaid, some in arrears at the end, one rescheduled, one
written off — and the loans add up to 1300 in the books; as the ledger's demo closes each
fiscal year's last month, the year's allocation is drafted, decided, posted and paid."""

from __future__ import annotations

import datetime as dt
import random

from omboon.core import reporting
from omboon.ledger import demo as ledger_demo
from omboon.ledger.models import JournalLine
from omboon.loans import demo, selectors
from omboon.loans.models import Adjustment, Loan, Reschedule, YearEndAllocation
from omboon.loans.year_end import selectors as year_end_selectors
from omboon.orgs.models import Organisation
from omboon.savings import demo as savings_demo
from omboon.testing.factories import make_group

from .conftest import make_member

D = dt.date
START, END = D(2021, 1, 1), D(2025, 12, 31)


def _group(code, group_type, n=60):
    group = make_group(code, "กลุ่มทดสอบการกู้", group_type=group_type)
    rng = random.Random(7)
    for _ in range(n):
        make_member(group, join_date=D(rng.randint(2019, 2022), rng.randint(1, 12), 1))
    return group


def _story(group) -> list[tuple]:
    return [(loan.member.number, loan.principal, loan.status, loan.disbursed_on, selectors.outstanding_principal(loan))
            for loan in Loan.objects.filter(organisation=group).select_related("member").order_by("number")]


def test_five_years_of_a_village_fund_and_a_savings_group_lending(db):
    for code, kind, n in (("DVF", Organisation.GroupType.VILLAGE_FUND, 150),
                          ("DSL", Organisation.GroupType.SAVINGS_GROUP, 60)):
        group = _group(code, kind, n)
        counts = demo.populate(organisation=group, rng=random.Random(1), start=START, end=END)
        loans = Loan.objects.filter(organisation=group)
        assert counts["loans"] == loans.count() >= 20 and counts["repayments"] >= counts["loans"] // 2
        assert loans.filter(status=Loan.Status.CLOSED).count() > loans.count() // 2  # most are repaid
        first, second = loans.order_by("number")[:2]  # secured also by a land title, then a vehicle
        assert [s.collateral for s in first.securities.all()] == ["land_title"]
        assert [s.collateral for s in second.securities.all()] == ["vehicle"]
        assert {loan.disbursed_on.year for loan in loans if loan.disbursed_on} >= {2021, 2022, 2023, 2024, 2025}
        # the last application waits for its second guarantor's consent
        [waiting] = loans.filter(status=Loan.Status.APPLIED)
        assert counts["waiting_consent"] == 1 and [g.consent for g in waiting.guarantors.order_by("pk")] == [
            "given", "pending"]
        p = selectors.portfolio(group, END)
        assert p.gross > 0 and p.at_risk[30] > 0  # some behind at the end
        lines = JournalLine.objects.filter(organisation=group, account__code="1300")
        assert p.gross == sum(line.debit - line.credit for line in lines)  # the loans are 1300
        aging = reporting.get("loan-aging").build(organisation=group, start=None, end=END).tables[1].rows
        assert aging[-1]["amount"] == 0
        if counts["written_off"]:
            [w] = Adjustment.objects.filter(organisation=group, kind="write_off", status="approved")
            assert w.loan.status == Loan.Status.WRITTEN_OFF and w.requested_by != w.approved_by
        # the first borrower who stopped paying was given the product's whole term again, 45 days behind
        [r] = Reschedule.objects.filter(organisation=group)
        assert counts["rescheduled"] == 1 and r.status == "approved" and r.requested_by != r.approved_by
        assert r.loan.rescheduled_on == r.date and len(selectors.schedules_of(r.loan)) == 2
        assert selectors.loan_rows([r.loan], min(END, r.date + dt.timedelta(days=400)))[0].days_overdue <= 5
        _years_end_with_an_allocation(group, kind)
    assert sum(Loan.objects.filter(status=Loan.Status.WRITTEN_OFF).values_list("pk", flat=True)) > 0


def _years_end_with_an_allocation(group, kind):
    """The ledger's demo closes the months (the savings group's savings first: its dividends'
    base) and, after each fiscal year's last, the loans' ``after_close`` allocates the year —
    the year's net income here the loans' interest (less the savings' interest)."""
    if kind == Organisation.GroupType.SAVINGS_GROUP:
        savings_demo.populate(organisation=group, rng=random.Random(2), start=START, end=END)
    rng = random.Random(3)
    ledger_demo.close_finished_months(
        organisation=group, actor=None, until=END + dt.timedelta(days=1),
        after_close=lambda y, m: demo.after_close(organisation=group, year=y, month=m, rng=rng, end=END))
    allocations = list(YearEndAllocation.objects.filter(organisation=group).order_by("fiscal_year"))
    incomes = {y: sum(year_end_selectors.net_income_by_fund(group, year_end_selectors.fiscal_year(group, y)).values())
               for y in range(START.year, END.year + 1)}  # a loss (a year's write-off) allocates nothing
    assert [a.fiscal_year for a in allocations] == [y for y, income in incomes.items() if income > 0]
    # END closes the last year: its meeting is still to come, its draft waits; the others are paid
    assert [a.status for a in allocations] == ["draft" if a.fiscal_year == END.year else "paid" for a in allocations]
    paid = [a for a in allocations if a.status == "paid"]
    assert len(paid) >= 2
    for a in paid:
        assert a.drafted_by_id not in (a.decided_by_id, a.approved_by_id) and a.decided_by_id != a.approved_by_id
        assert a.end < a.meeting_on == a.entry.date <= END
        # paid one to three weeks after the meeting (nothing to pay: no entry — a village fund's
        # first year, its yearly loans' interest not yet paid)
        assert (a.payment is None) == (a.dividend + a.refund == 0)
        assert a.payment is None or a.meeting_on < a.payment.date <= END
        assert a.reserve + a.dividend + a.refund + a.welfare + a.committee + a.public == a.net_income > 0
        assert a.paid_how == ("cash" if kind == Organisation.GroupType.VILLAGE_FUND else "savings")
        assert sum(s.dividend + s.refund for s in a.shares.all()) == a.dividend + a.refund
    owed = JournalLine.objects.filter(organisation=group, account__code__in=("2400", "2410"))
    assert sum(line.credit - line.debit for line in owed) == 0  # every dividend and refund paid
    if kind == Organisation.GroupType.SAVINGS_GROUP:
        # once the month before the end is closed the savings are there: one application on the
        # last day is secured by a lien on half of what was free in the borrower's own savings
        [pledged] = Loan.objects.filter(organisation=group, status=Loan.Status.APPROVED)
        [lien] = pledged.securities.select_related("loan")
        assert (lien.kind, pledged.applied_on) == ("savings_lien", END)
        assert selectors.lien_holds([lien])[lien.pk] == lien.amount > 0
        assert all(a.dividend > 0 for a in allocations)
        into_savings = JournalLine.objects.filter(entry=paid[0].payment, sub_account__isnull=False)
        assert sum(line.credit for line in into_savings) == paid[0].dividend + paid[0].refund


def test_welfare_funds_lend_nothing_and_a_seed_gives_the_same_loans(db):
    assert demo.populate(organisation=make_group("WFL", "กองทุนสวัสดิการ"), rng=random.Random(1),
                         start=START, end=END) == {}
    first, second = (_group(code, Organisation.GroupType.VILLAGE_FUND, 30) for code in ("DV1", "DV2"))
    for g in (first, second):
        demo.populate(organisation=g, rng=random.Random(5), start=START, end=D(2023, 6, 30))
    assert [row[1:] for row in _story(first)] == [row[1:] for row in _story(second)]
