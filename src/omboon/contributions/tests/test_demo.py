"""The demo's collection days: years of receipts with gaps, arrears and leavers."""

import datetime as dt
import random

from omboon.contributions import demo, selectors
from omboon.contributions.models import CollectionDay, Receipt
from omboon.demo import generator
from omboon.ledger import selectors as ledger_selectors
from omboon.members.models import Member
from omboon.orgs.models import Organisation

END = dt.date(2025, 6, 30)


def test_collection_days_are_quarterly_then_monthly():
    days = demo.collection_days(dt.date(2021, 2, 1), END)
    assert days[0] == dt.date(2021, 4, 5)
    assert days[-12:] == [dt.date(2024, m, 5) for m in range(7, 13)] + [dt.date(2025, m, 5) for m in range(1, 7)]


def test_demo_payments_have_gaps_arrears_and_leavers(db):
    generator.build(seed=3, groups=1, members=150, years=4, end=END, populate=False)
    group = Organisation.objects.get(kind=Organisation.Kind.GROUP)
    found = demo.populate(organisation=group, rng=random.Random(7), start=group.founded_on, end=END, actor=None)
    assert found["receipts"] == Receipt.objects.count() > 300
    assert CollectionDay.objects.count() >= 12

    behind = selectors.arrears(group, as_of=END)
    paying = selectors.paying_members(group).count()
    assert 0 < len(behind) < paying  # some are behind, most are not
    assert max(mc.months_behind for mc in behind) >= 6  # those who stopped paying
    leavers = Member.objects.filter(organisation=group, status__in=["resigned", "deceased"])
    assert leavers.exists()
    for m in leavers:
        assert not Receipt.objects.filter(member=m, date__gt=m.status_date).exists()
    tb = ledger_selectors.trial_balance(group, END)
    assert tb.total_debit == tb.total_credit > 0
