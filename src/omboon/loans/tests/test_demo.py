"""The lending demo: a village fund and a savings group lend to their members for five years
through the loans services — most repaid, some in arrears at the end, one written off — and the
loans add up to 1300 in the books."""

from __future__ import annotations

import datetime as dt
import random

from omboon.core import reporting
from omboon.ledger.models import JournalLine
from omboon.loans import demo, selectors
from omboon.loans.models import Adjustment, Loan
from omboon.orgs.models import Organisation
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
        assert {loan.disbursed_on.year for loan in loans} >= {2021, 2022, 2023, 2024, 2025}
        p = selectors.portfolio(group, END)
        assert p.gross > 0 and p.at_risk[30] > 0  # some behind at the end
        lines = JournalLine.objects.filter(organisation=group, account__code="1300")
        assert p.gross == sum(line.debit - line.credit for line in lines)  # the loans are 1300
        aging = reporting.get("loan-aging").build(organisation=group, start=None, end=END).tables[1].rows
        assert aging[-1]["amount"] == 0
        if counts["written_off"]:
            [w] = Adjustment.objects.filter(organisation=group, kind="write_off", status="approved")
            assert w.loan.status == Loan.Status.WRITTEN_OFF and w.requested_by != w.approved_by
    assert sum(Loan.objects.filter(status=Loan.Status.WRITTEN_OFF).values_list("pk", flat=True)) > 0


def test_welfare_funds_lend_nothing_and_a_seed_gives_the_same_loans(db):
    assert demo.populate(organisation=make_group("WFL", "กองทุนสวัสดิการ"), rng=random.Random(1),
                         start=START, end=END) == {}
    first, second = (_group(code, Organisation.GroupType.VILLAGE_FUND, 30) for code in ("DV1", "DV2"))
    for g in (first, second):
        demo.populate(organisation=g, rng=random.Random(5), start=START, end=D(2023, 6, 30))
    assert [row[1:] for row in _story(first)] == [row[1:] for row in _story(second)]
