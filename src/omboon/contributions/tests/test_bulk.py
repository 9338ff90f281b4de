"""Worked examples: past payments posted in bulk are receipts like any other — numbered in the
group's series, counted in paid-through dates, arrears and the passbook, voidable — and the
books hold them as day entries. A property over random histories: every receipt's items add up
to its total, and the receipts' items equal the books' income lines and the cash debited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omboon.contributions import selectors, services
from omboon.contributions.bulk import PAYMENTS_PER_ENTRY, Payment, payments_post_bulk
from omboon.contributions.models import Kind, Receipt, ReceiptItem
from omboon.contributions.tests.conftest import baht, make_member
from omboon.core.errors import RuleViolation
from omboon.ledger.models import JournalEntry, JournalLine
from omboon.members.models import Member

D = dt.date
TODAY = D(2025, 6, 15)
SOURCE = ("tests.bulk", "1")
DS, AF, EF = Kind.DAILY_SAVING, Kind.ANNUAL_FEE, Kind.ENTRY_FEE


def post(group, payments, actor=None):
    return payments_post_bulk(actor=actor, organisation=group, payments=payments, source=SOURCE)


def counts(group):
    return (Receipt.objects.filter(organisation=group).count(), ReceiptItem.objects.filter(organisation=group).count(),
            JournalEntry.objects.filter(organisation=group).count(),
            JournalLine.objects.filter(organisation=group).count())


def test_imported_payments_count_in_paid_through_arrears_and_the_passbook(group):
    paid_up = make_member(group, join_date=D(2025, 1, 1))
    behind = make_member(group, join_date=D(2025, 1, 1))
    payments = [Payment(f"p:{paid_up.pk}:{m}", paid_up.pk, D(2025, m, 5), [(DS, baht(days))])
                for m, days in ((1, 31), (2, 28), (3, 31), (4, 30))]
    payments.append(Payment(f"p:{behind.pk}:1", behind.pk, D(2025, 1, 5), [(DS, baht(31))], "สมุดเล่ม 1"))
    assert post(group, payments) == 5

    cov = selectors.member_coverage(paid_up, as_of=D(2025, 5, 10)).get(DS)
    assert cov.paid_through == D(2025, 4, 30) and cov.arrears == 0
    rows = selectors.arrears(group, as_of=D(2025, 5, 10))
    assert [r.member.pk for r in rows] == [behind.pk]
    assert rows[0].months_behind == 3 and rows[0].arrears == baht(28 + 31 + 30)

    book = selectors.passbook(paid_up, as_of=D(2025, 5, 10))
    assert [ln.paid_in for ln in book.lines] == [baht(31), baht(28), baht(31), baht(30)]
    assert book.total_paid == baht(120) and book.lines[-1].balance == baht(120)
    items = ReceiptItem.objects.filter(member=paid_up).order_by("receipt__number")
    assert [(i.period_from, i.period_to) for i in items] == [
        (D(2025, 1, 1), D(2025, 1, 31)), (D(2025, 2, 1), D(2025, 2, 28)),
        (D(2025, 3, 1), D(2025, 3, 31)), (D(2025, 4, 1), D(2025, 4, 30))]
    memo = Receipt.objects.get(member=behind)
    assert memo.memo == "สมุดเล่ม 1" and memo.payer_name == f"{behind.number} {behind.full_name}"


def test_a_day_of_receipts_is_one_entry_per_25_with_the_days_cash(group):
    members = [make_member(group, join_date=D(2024, 1, 1)) for _ in range(PAYMENTS_PER_ENTRY + 3)]
    post(group, [Payment(f"d:{m.pk}", m.pk, D(2025, 3, 5), [(DS, 3000), (AF, 5000)]) for m in members])
    entries = list(JournalEntry.objects.filter(organisation=group).order_by("number"))
    assert [e.total for e in entries] == [25 * 8000, 3 * 8000]
    first = entries[0].lines.all()
    cash = [ln for ln in first if ln.debit]
    assert [(ln.account.code, ln.debit) for ln in cash] == [("1100", 25 * 8000)]
    income = [ln for ln in first if ln.credit]
    assert len(income) == 50 and all(ln.member_id for ln in income)
    receipt = Receipt.objects.get(member=members[0])
    assert receipt.entry_id == entries[0].pk and receipt.total == 8000
    assert {ln.memo.split(" ")[0] for ln in income if ln.member_id == members[0].pk} == {receipt.document_number}


def test_receipt_numbers_continue_the_normal_series_without_gaps(treasurer, group, member):
    before = services.receipt_issue(actor=treasurer, organisation=group, member=member, date=D(2025, 2, 1),
                                    items=[(DS, 3100)], today=TODAY)
    others = [make_member(group, join_date=D(2024, 1, 1)) for _ in range(3)]
    # out of date order on purpose: numbers follow the dates, and 2024's receipts start their own year
    post(group, [Payment("x:3", others[2].pk, D(2025, 3, 1), [(DS, 3100)]),
                 Payment("x:1", others[0].pk, D(2025, 1, 2), [(DS, 3100)]),
                 Payment("x:2", others[1].pk, D(2025, 1, 2), [(DS, 3100)]),
                 Payment("x:0", others[0].pk, D(2024, 12, 30), [(DS, 3100)])], actor=treasurer)
    after = services.receipt_issue(actor=treasurer, organisation=group, member=member, date=D(2025, 4, 1),
                                   items=[(DS, 3100)], today=TODAY)
    numbers = list(Receipt.objects.order_by("fiscal_year", "number").values_list("document_number", "idempotency_key"))
    assert numbers == [("RC2567/00001", "x:0"), ("RC2568/00001", None), ("RC2568/00002", "x:1"),
                       ("RC2568/00003", "x:2"), ("RC2568/00004", "x:3"), ("RC2568/00005", None)]
    assert before.number == 1 and after.number == 5


def test_the_same_payments_twice_create_nothing(group):
    members = [make_member(group, join_date=D(2024, 1, 1)) for _ in range(3)]
    payments = [Payment(f"k:{i}", m.pk, D(2024, 2, 1 + i), [(DS, 2900)]) for i, m in enumerate(members)]
    assert post(group, payments) == 3
    once = counts(group)
    assert post(group, payments) == 0
    assert counts(group) == once
    # one more payment alongside the old ones: only it is added
    assert post(group, [*payments, Payment("k:new", members[0].pk, D(2024, 3, 1), [(DS, 3100)])]) == 1
    assert counts(group) == (4, 4, once[2] + 1, once[3] + 2)


def test_a_bulk_receipt_voids_like_any_other(treasurer, group):
    members = [make_member(group, join_date=D(2025, 1, 1)) for _ in range(3)]
    post(group, [Payment(f"v:{m.pk}", m.pk, D(2025, 3, 1), [(DS, 3100)]) for m in members])
    receipt = Receipt.objects.get(member=members[1])
    services.receipt_void(actor=treasurer, receipt=receipt, reason="ซ้ำ", date=D(2025, 3, 2))
    assert selectors.member_coverage(members[1], as_of=D(2025, 3, 31)).get(DS).paid == 0
    assert selectors.member_coverage(members[0], as_of=D(2025, 3, 31)).get(DS).paid == 3100
    reversal = Receipt.objects.get(pk=receipt.pk).void_entry
    assert {ln.member_id for ln in reversal.lines.all()} == {members[1].pk}
    assert sum(ln.credit for ln in reversal.lines.all()) == 3100


@pytest.mark.parametrize("bad, field", [
    (lambda m, o: Payment("b", m.pk, D(2023, 12, 31), [(DS, 100)]), "date"),  # before joining
    (lambda m, o: Payment("b", o.pk, D(2024, 5, 1), [(DS, 100)]), "member"),  # another group's member
    (lambda m, o: Payment("b", m.pk, D(2024, 5, 1), [(DS, 0)]), DS),
    (lambda m, o: Payment("b", m.pk, D(2024, 5, 1), [(DS, 10.5)]), DS),
    (lambda m, o: Payment("b", m.pk, D(2024, 5, 1), [(Kind.DONATION, 100)]), "kind"),
    (lambda m, o: Payment("b", m.pk, D(2024, 5, 1), [(DS, 100), (DS, 100)]), "kind"),
    (lambda m, o: Payment("b", m.pk, dt.date.today() + dt.timedelta(days=3), [(DS, 100)]), "date"),
])
def test_bad_payments_are_refused_and_nothing_is_written(group, tree, bad, field):
    member = make_member(group, join_date=D(2024, 1, 1))
    outsider = make_member(tree.group_b, join_date=D(2024, 1, 1))
    good = Payment("g", member.pk, D(2024, 5, 1), [(DS, 3100)])
    with pytest.raises(RuleViolation) as caught:
        post(group, [good, bad(member, outsider)])
    assert field in {p.field for p in caught.value.problems}
    assert all(p.message_th and p.message_en for p in caught.value.problems)
    assert counts(group) == (0, 0, 0, 0)


def test_no_payment_after_the_member_left(group):
    member = make_member(group, join_date=D(2024, 1, 1), status=Member.Status.RESIGNED, status_date=D(2024, 6, 30))
    assert post(group, [Payment("r:1", member.pk, D(2024, 6, 30), [(DS, 3000)])]) == 1
    with pytest.raises(RuleViolation):
        post(group, [Payment("r:2", member.pk, D(2024, 7, 1), [(DS, 3000)])])


payment_st = st.tuples(
    st.integers(0, 3),  # member
    st.dates(D(2023, 1, 1), D(2025, 5, 31)),
    st.dictionaries(st.sampled_from([DS, AF, EF]), st.integers(1, 50_000_00), min_size=1, max_size=3),
)
SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@SETTINGS
@given(history=st.lists(payment_st, min_size=1, max_size=70))
def test_receipts_items_equal_the_books_income_and_the_cash(group, history):
    with transaction.atomic():
        members = [make_member(group, join_date=D(2023, 1, 1)) for _ in range(4)]
        payments = [Payment(f"h:{i}", members[who].pk, day, list(items.items()))
                    for i, (who, day, items) in enumerate(history)]
        assert post(group, payments) == len(payments)
        items = ReceiptItem.objects.filter(organisation=group)
        lines = JournalLine.objects.filter(organisation=group)
        item_total = items.aggregate(s=Sum("amount"))["s"]
        assert item_total == sum(a for _, _, its in history for a in its.values())
        assert item_total == lines.filter(account__code__in=["4100", "4200", "4300"]).aggregate(s=Sum("credit"))["s"]
        assert item_total == lines.filter(account__code="1100").aggregate(s=Sum("debit"))["s"]
        assert item_total == Receipt.objects.filter(organisation=group).aggregate(s=Sum("total"))["s"]
        for receipt in Receipt.objects.filter(organisation=group).prefetch_related("items"):
            assert receipt.total == sum(i.amount for i in receipt.items.all())
            assert {i.member_id for i in receipt.items.all()} == {receipt.member_id}
        for kind, code in ((DS, "4300"), (AF, "4200"), (EF, "4100")):
            per_member = dict(items.filter(kind=kind).values_list("member_id").annotate(s=Sum("amount")).order_by())
            in_books = dict(lines.filter(account__code=code).values_list("member_id").annotate(s=Sum("credit"))
                            .order_by())
            assert per_member == in_books
        for entry in JournalEntry.objects.filter(organisation=group):
            debit, credit = entry.lines.aggregate(d=Sum("debit"), c=Sum("credit")).values()
            assert debit == credit == entry.total
        numbers = sorted(Receipt.objects.filter(organisation=group).values_list("fiscal_year", "number"))
        for year in {y for y, _ in numbers}:
            assert [n for y, n in numbers if y == year] == list(range(1, 1 + sum(1 for y, _ in numbers if y == year)))
        transaction.set_rollback(True)
