"""The province-scale demo in bulk (``omboon demo --bulk``): a small network of it, worked
through — its members, receipts, books and monthly facts agree with one another, the books
balance, and a seed gives the same rows whether built at once or grown group by group."""

import calendar
import datetime as dt

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Sum
from hypothesis import given, settings
from hypothesis import strategies as st

from omboon.contributions.models import Receipt, ReceiptItem
from omboon.demo import generator, scale
from omboon.ledger import chart
from omboon.ledger.models import JournalLine
from omboon.members.models import Member
from omboon.network import services as network_services
from omboon.network.models import MonthlyFact, ym_of
from omboon.orgs.models import Organisation

END = dt.date(2025, 12, 31)
SMALL = {"seed": 3, "members": 30, "years": 2, "end": END, "vary_sizes": False}


class _Rollback(Exception):
    pass


def _fingerprint() -> dict:
    """Every row the scale demo writes, without database ids or timestamps."""
    return {
        "orgs": sorted(Organisation.objects.values_list("code", "kind", "parent__code", "founded_on")),
        "members": generator.member_fingerprint(),
        "receipts": sorted(Receipt.objects.values_list("organisation__code", "document_number", "date",
                                                       "member__number", "total", "idempotency_key")),
        "items": sorted(ReceiptItem.objects.values_list("receipt__organisation__code", "receipt__document_number",
                                                        "kind", "amount", "period_from", "period_to")),
        "lines": sorted(JournalLine.objects.values_list("organisation__code", "entry__doc_type", "entry__number",
                                                        "date", "account__code", "debit", "credit",
                                                        "member__number", "memo")),
    }


def _built(*steps: int) -> dict:
    """Build the small network through ``steps`` (e.g. 2 then 3 groups), read it, roll it back."""
    out = {}
    try:
        with transaction.atomic():
            for groups in steps:
                scale.build(groups=groups, **SMALL)
            out = _fingerprint()
            raise _Rollback
    except _Rollback:
        pass
    return out


@pytest.mark.django_db
def test_a_seed_gives_the_same_rows_built_at_once_or_grown_group_by_group():
    at_once = _built(3)
    grown = _built(1, 3)
    assert at_once["receipts"] and at_once["lines"]
    assert at_once == grown
    scale.build(groups=1, **{**SMALL, "seed": 4})
    assert generator.member_fingerprint(["BDC"]) != [m for m in at_once["members"] if m[0] == "BDC"]


@pytest.mark.django_db
def test_growing_keeps_the_groups_already_built_and_adds_the_next_ones():
    first = scale.build(groups=2, **SMALL)
    again = scale.build(groups=3, **SMALL)
    assert first.added == ["BDC", "MPA"] and first.kept == []
    assert again.kept == ["BDC", "MPA"] and again.added == ["MTH"]
    assert Organisation.objects.filter(kind=Organisation.Kind.GROUP).count() == 3
    assert Member.objects.count() == 3 * SMALL["members"]
    # national IDs stay unique across the groups added in two runs
    assert Member.objects.values("national_id").distinct().count() == Member.objects.count()


@pytest.mark.django_db
def test_members_receipts_books_and_monthly_facts_agree():
    result = scale.build(groups=2, **SMALL)
    groups = scale.scale_groups(SMALL["seed"], 2)
    assert [g.code for g in groups] == ["BDC", "MPA"]
    assert result.members == Member.objects.count() == 60
    assert result.payments == Receipt.objects.count()

    for group in groups:
        lines = JournalLine.objects.filter(organisation=group)
        # the trial balance is zero
        totals = lines.aggregate(d=Sum("debit"), c=Sum("credit"))
        assert totals["d"] == totals["c"] > 0
        # every receipt's items are its total, and the income lines are the items
        items = ReceiptItem.objects.filter(organisation=group)
        paid = items.aggregate(s=Sum("amount"))["s"]
        assert paid == Receipt.objects.filter(organisation=group).aggregate(s=Sum("total"))["s"]
        income = lines.filter(account__code__in=[chart.ENTRY_FEES, chart.DAILY_SAVINGS]).aggregate(s=Sum("credit"))
        assert income["s"] == paid
        # one entry fee per member who paid at all, and a month's savings is a baht a day
        payers = Receipt.objects.filter(organisation=group).values("member").distinct().count()
        assert items.filter(kind="entry_fee").count() == payers
        for item in items.filter(kind="daily_saving").select_related("receipt")[:50]:
            day = item.receipt.date
            assert day.day == scale.COLLECTION_DAY
            assert item.amount == scale.DAILY_SAVING * calendar.monthrange(day.year, day.month)[1]
        # nobody pays before joining or after leaving
        for receipt in Receipt.objects.filter(organisation=group).select_related("member"):
            m = receipt.member
            assert receipt.date >= m.join_date
            if m.status in (Member.Status.RESIGNED, Member.Status.DECEASED):
                assert receipt.date < m.status_date
        # a death benefit for each member who died within the data
        deaths = lines.filter(account__code=chart.BENEFIT_ACCOUNTS["death"]).aggregate(n=Count("pk"))["n"]
        assert deaths == Member.objects.filter(organisation=group, status=Member.Status.DECEASED,
                                               status_date__lte=END).count()

    last = ym_of(END.year, END.month)
    network_services.facts_recompute_many(actor=None, organisations=groups, through=last)
    for group in groups:
        facts = MonthlyFact.objects.filter(organisation=group)
        receipts = facts.filter(kind="receipt_type").aggregate(s=Sum("amount"))["s"]
        assert receipts == ReceiptItem.objects.filter(organisation=group).aggregate(s=Sum("amount"))["s"]
        active = facts.filter(ym=last, kind="members", key__startswith="active|").aggregate(s=Sum("count"))["s"]
        assert active == Member.objects.filter(organisation=group, status=Member.Status.ACTIVE).count()
        benefits = facts.filter(kind="benefit").aggregate(s=Sum("amount"))["s"]
        spent = JournalLine.objects.filter(organisation=group, account__code__startswith="51").aggregate(
            s=Sum("debit"))["s"]
        assert benefits == spent
        cash = JournalLine.objects.filter(organisation=group, account__code=chart.CASH).aggregate(
            d=Sum("debit"), c=Sum("credit"))
        assert facts.get(ym=last, kind="balance", key=f"{chart.DEFAULT_FUND}|{chart.CASH}").amount \
            == cash["d"] - cash["c"]


@pytest.mark.django_db
def test_the_demo_command_bulk_mode_builds_grows_and_computes_monthly_facts(capsys):
    args = ["--bulk", "--seed", "3", "--members", "20", "--years", "1", "--same-size", "--end", END.isoformat()]
    call_command("demo", "--groups", "1", *args)
    call_command("demo", "--groups", "2", *args)
    out = capsys.readouterr().out
    assert "1 กลุ่มใหม่ / new groups (1 มีอยู่แล้ว / already there)" in out
    assert Member.objects.count() == 40
    assert set(MonthlyFact.objects.values_list("organisation__code", flat=True)) == {"BDC", "MPA"}


# --- the payment plan, for any members ---------------------------------------------------------

members_strategy = st.lists(
    st.tuples(
        st.dates(min_value=dt.date(2019, 1, 1), max_value=END),
        st.sampled_from([Member.Status.ACTIVE, Member.Status.RESIGNED, Member.Status.DECEASED]),
        st.integers(min_value=0, max_value=2000),
    ),
    min_size=1, max_size=20,
)


@settings(max_examples=60, deadline=None)
@given(members_strategy, st.integers(min_value=0, max_value=10_000))
def test_payment_plan_pays_a_baht_a_day_monthly_while_a_member(people, seed):
    members = []
    for i, (joined, status, days_after) in enumerate(people, start=1):
        left = joined + dt.timedelta(days=days_after) if status != Member.Status.ACTIVE else None
        members.append((i, f"{i:04d}", joined, status, left))
    plan = scale.payment_plan(seed=seed, code="T", members=members, end=END)
    assert plan == scale.payment_plan(seed=seed, code="T", members=members, end=END)
    by_member: dict[int, list] = {}
    for pk, _number, day, saving, fee in plan:
        by_member.setdefault(pk, []).append((day, saving, fee))
    for pk, _number, joined, _status, left in members:
        paid = by_member.get(pk, [])
        months = [(d.year, d.month) for d, _, _ in paid]
        assert months == sorted(set(months))  # at most once a month, in order
        assert sum(1 for _, _, fee in paid if fee) == (1 if paid else 0)
        if paid:
            assert paid[0][2] == scale.ENTRY_FEE
        for day, saving, _fee in paid:
            assert joined <= day <= END and (left is None or day < left)
            assert saving == scale.DAILY_SAVING * calendar.monthrange(day.year, day.month)[1]
