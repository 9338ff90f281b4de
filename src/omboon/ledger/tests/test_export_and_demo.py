"""Demo books, their month closes, the Beancount export checked by Beancount itself, and the
close-month command."""

import datetime as dt
import random

import pytest
from beancount import loader
from django.core.management import CommandError, call_command

from omboon.ledger import beancount as bc
from omboon.ledger import demo, selectors
from omboon.ledger.models import JournalEntry, Period, Voucher
from omboon.orgs.models import Role
from omboon.testing.factories import make_user


@pytest.fixture
def demo_books(group, treasurer, chair):
    result = demo.populate(organisation=group, rng=random.Random(7), start=dt.date(2022, 1, 1),
                           end=dt.date(2023, 12, 31), actor=treasurer)
    return group, result


def test_demo_posts_approved_vouchers_and_closes_each_finished_month(demo_books, chair):
    group, result = demo_books
    assert result["entries"] > 40
    assert Voucher.objects.filter(organisation=group, status="posted").count() == result["entries"]
    assert not Voucher.objects.filter(organisation=group, approved_by=None).exists()
    # the founding month (2010) onwards, through December 2023
    assert Period.objects.filter(organisation=group, status="closed").order_by("-year", "-month").first().year == 2023
    assert JournalEntry.objects.filter(organisation=group, doc_type="closing").count() == 2
    assert selectors.balances(group, dt.date(2023, 12, 31))  # not empty


def test_demo_is_deterministic_for_a_seed(tree, treasurer, chair):
    from omboon.testing.factories import make_group
    totals = []
    for code in ("D1", "D2"):
        g = make_group(code, "กลุ่มตัวอย่าง", founded_on=dt.date(2022, 1, 1))
        t = make_user(g, Role.TREASURER)
        make_user(g, Role.CHAIR)
        demo.populate(organisation=g, rng=random.Random(3), start=dt.date(2022, 1, 1), end=dt.date(2022, 6, 30),
                      actor=t)
        totals.append(sorted(JournalEntry.objects.filter(organisation=g).values_list("date", "total", "memo")))
    assert totals[0] == totals[1]


def test_beancount_export_loads_cleanly_and_matches_the_trial_balance(demo_books, tmp_path):
    group, _ = demo_books
    path = tmp_path / "books.beancount"
    call_command("export-beancount", "--org", group.code, "-o", str(path))
    entries, errors, _options = loader.load_file(str(path))
    assert errors == []
    theirs: dict[str, int] = {}
    from beancount.core.data import Transaction
    for entry in entries:
        if isinstance(entry, Transaction):
            for posting in entry.postings:
                units = posting.units.number * 100
                assert units == int(units)
                theirs[posting.account] = theirs.get(posting.account, 0) + int(units)
    theirs = {k: v for k, v in theirs.items() if v}
    ours = {bc.account_name(r.account): r.debit - r.credit
            for r in selectors.trial_balance(group, dt.date(2099, 12, 31)).rows}
    assert theirs == ours


def test_close_month_command(post, group):
    post(dt.date(2024, 1, 5), "Dr 1100 100\nCr 4600 100")
    call_command("close-month", "--org", group.code, "--month", "2024-01")
    assert Period.objects.get(organisation=group, year=2024, month=1).is_closed
    with pytest.raises(CommandError, match="in order"):
        call_command("close-month", "--org", group.code, "--month", "2024-03")
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("close-month", "--org", group.code, "--month", "March")
    with pytest.raises(CommandError, match="not found"):
        call_command("close-month", "--org", "NOPE", "--month", "2024-02")
    call_command("close-month", "--org", group.code, "--month", "2567-02")  # พ.ศ. works too
    assert Period.objects.get(organisation=group, year=2024, month=2).is_closed
