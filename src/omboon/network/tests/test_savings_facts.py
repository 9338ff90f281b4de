"""Savings in the network's monthly facts: each group's members' savings and shares added up
and the members holding any, month by month; the consolidation and the public page show the
totals (never a person's, and no amount that fewer than five members hold together)."""

from __future__ import annotations

import datetime as dt

from omboon.ledger import services as ledger
from omboon.network import facts, public, selectors, services
from omboon.network.models import MonthlyFact, ym_of
from omboon.savings import services as savings
from omboon.savings.tests.conftest import make_member, make_savings_group
from omboon.testing.factories import make_group, make_network

D = dt.date
JAN, FEB, MAR = ym_of(2024, 1), ym_of(2024, 2), ym_of(2024, 3)


def _savings(org, ym):
    return {f.key: (f.count, f.amount) for f in MonthlyFact.objects.filter(organisation=org, ym=ym, kind="savings")}


def test_savings_per_group_month_by_month_in_the_facts_the_consolidation_and_the_public_page(db):
    network = make_network("SNET", "เครือข่ายกลุ่มสัจจะ")
    sg = make_savings_group("SAJ1", parent=network)
    people = [*sg.members, make_member(sg.group), make_member(sg.group)]
    accounts = [savings.account_open(actor=sg.treasurer, organisation=sg.group, member=m,
                                     product=sg.products["VOL"], opened_on=D(2024, 1, 1)) for m in people]
    shares = savings.account_open(actor=sg.treasurer, organisation=sg.group, member=people[0],
                                  product=sg.products["SH"], opened_on=D(2024, 1, 1))
    deposits = [savings.deposit(actor=sg.treasurer, account=a, amount=1_000_00, date=D(2024, 1, 10))
                for a in accounts]
    savings.deposit(actor=sg.treasurer, account=shares, amount=200_00, date=D(2024, 2, 10))
    ledger.entry_reverse(actor=sg.chair, entry=deposits[4], date=D(2024, 3, 5), reason="ฝากผิดบัญชี")

    computed = {(f.ym, f.key): (f.count, f.amount) for f in facts.compute(sg.group, JAN, MAR) if f.kind == "savings"}
    assert computed == {(JAN, ""): (5, 5_000_00), (FEB, ""): (5, 5_200_00), (MAR, ""): (4, 4_200_00)}

    for month in (1, 2, 3):  # the close writes them
        ledger.period_close(actor=sg.chair, organisation=sg.group, year=2024, month=month, today=D(2024, 6, 1))
    assert _savings(sg.group, MAR) == {"": (4, 4_200_00)}

    total = selectors.consolidated(network, first=JAN, last=MAR).total
    assert (total.savings, total.savers) == (4_200_00, 4)
    others = [make_group(f"WF{i}", "กองทุนสวัสดิการ", network) for i in (1, 2)]  # a public page needs 3 groups
    for g in others:
        services.facts_write(actor=None, organisation=g, year=2024, month=3)
    page = public.public_figures([sg.group, *others], "en")
    assert (page.savings, page.savers) == (0, "< 5")  # four members' savings together stay unpublished
    ledger.period_reopen(actor=sg.chair, organisation=sg.group, year=2024, month=3, reason="แก้ไข")
    page = public.public_figures([sg.group, *others], "en")  # February's facts: five members
    assert (page.savings, page.savers) == (5_200_00, "5")
