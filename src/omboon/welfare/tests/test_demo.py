"""The welfare demo: schemes like a real fund's and years of claims, consistent with the books."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from omboon.members.models import Member
from omboon.welfare import demo, selectors
from omboon.welfare.models import BenefitScheme, Claim
from omboon.welfare.tests.conftest import fund_cash, make_member

D = dt.date
pytestmark = pytest.mark.django_db


def _group_with_members(group, n=120):
    rng = random.Random(7)
    for _i in range(n):
        born = D(rng.randint(1935, 2000), rng.randint(1, 12), rng.randint(1, 28))
        joined = D(rng.randint(2015, 2019), rng.randint(1, 12), rng.randint(1, 28))
        make_member(group, birth_date=born, join_date=joined,
                    sex=rng.choice([Member.Sex.MALE, Member.Sex.FEMALE]))
    for m in Member.objects.filter(organisation=group).order_by("birth_date")[:6]:
        Member.objects.filter(pk=m.pk).update(status=Member.Status.DECEASED, status_date=D(2023, 3, 1))


def test_populate_builds_schemes_and_years_of_claims(tree):
    group = tree.group_a
    _group_with_members(group)
    fund_cash(group, 500_000_00)
    counts = demo.populate(organisation=group, rng=random.Random(1), start=D(2020, 1, 1), end=D(2025, 6, 30))
    assert BenefitScheme.objects.filter(organisation=group).count() == 8
    assert counts["paid"] > 50
    categories = set(Claim.objects.filter(organisation=group, status="paid").values_list("scheme__category", flat=True))
    assert {"sickness", "death", "elderly", "community_enterprise"} <= categories
    assert Claim.objects.filter(organisation=group, scheme__category="death", status="paid").count() == 6
    paid = {t.category: t.amount for t in selectors.benefits_by_category(group, None, None)}
    assert paid == selectors.ledger_benefits_by_category(group)
    # the same seed gives the same claims: two more groups, same members, same draws. Two years
    # (with the deaths of 2023) are enough to compare; the years above are for the mix of claims.
    again = []
    for other in (tree.group_b, tree.group_c):
        _group_with_members(other, 30)
        fund_cash(other, 500_000_00)
        again.append(demo.populate(organisation=other, rng=random.Random(1), start=D(2022, 1, 1),
                                   end=D(2023, 12, 31)))
    assert again[0] == again[1] and again[0]["paid"] > 0
    assert Claim.objects.filter(organisation=tree.group_b, scheme__category="death", status="paid").count() == 6


def test_populate_skips_networks_and_waits_without_cash(tree):
    assert demo.populate(organisation=tree.zone, rng=random.Random(1), start=D(2020, 1, 1), end=D(2021, 1, 1)) == {}
    group = tree.group_c
    _group_with_members(group, 30)
    counts = demo.populate(organisation=group, rng=random.Random(2), start=D(2020, 1, 1), end=D(2021, 12, 31))
    assert counts["paid"] == 0 and counts["submitted"] > 0
    assert Claim.objects.filter(organisation=group, status="approved").exists()
