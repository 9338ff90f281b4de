"""The savings demo: a savings group's years of collection days in a few entries a month,
withdrawals, half-yearly interest and dormant accounts — consistent with the books."""

from __future__ import annotations

import datetime as dt
import random

from omboon.core import reporting
from omboon.ledger.models import JournalEntry
from omboon.orgs.models import Organisation
from omboon.savings import demo, selectors
from omboon.savings.models import Account, InterestRun
from omboon.testing.factories import make_group

from .conftest import make_member

D = dt.date


def _group(n=40, code="DSG"):
    group = make_group(code, "กลุ่มสัจจะสะสมทรัพย์ทดสอบ", group_type=Organisation.GroupType.SAVINGS_GROUP)
    rng = random.Random(3)
    for _ in range(n):
        make_member(group, join_date=D(rng.randint(2021, 2023), rng.randint(1, 12), 1))
    return group


def test_two_years_of_a_savings_group(db):
    group = _group()
    counts = demo.populate(organisation=group, rng=random.Random(1), start=D(2021, 1, 1), end=D(2022, 12, 31))
    assert counts["accounts"] == Account.objects.filter(organisation=group).count() > 40 * 2
    assert counts["receipts"] == 24 and counts["payments"] >= 1
    assert JournalEntry.objects.filter(organisation=group, doc_type="receipt").count() == 24  # one a month
    assert {r.period_end for r in InterestRun.objects.filter(organisation=group, product__code="VOL")} == {
        D(2021, 6, 30), D(2021, 12, 31), D(2022, 6, 30), D(2022, 12, 31)}
    held = selectors.balances(group)
    assert min(held.values()) >= 0
    books = reporting.get("savings-balances").build(organisation=group, start=None, end=D(2022, 12, 31)).tables[1]
    assert {r["code"] for r in books.rows} == {"2100", "2110", "3400"}
    assert all(r["difference"] == 0 and r["members"] > 0 for r in books.rows)


def test_welfare_funds_have_no_savings_and_a_seed_gives_the_same_savings(db):
    assert demo.populate(organisation=make_group("WFX", "กองทุนสวัสดิการ"), rng=random.Random(1),
                         start=D(2021, 1, 1), end=D(2021, 12, 31)) == {}
    first, second = _group(10, "DS1"), _group(10, "DS2")
    for g in (first, second):
        demo.populate(organisation=g, rng=random.Random(5), start=D(2021, 1, 1), end=D(2021, 12, 31))
    assert sorted(selectors.balances(first).values()) == sorted(selectors.balances(second).values())
