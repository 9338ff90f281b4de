"""Worked examples: plans, receipts in the books, voids, grants and collection days."""

import datetime as dt

import pytest
from django.db.models import Sum

from omboon.contributions import selectors, services
from omboon.contributions.models import CollectionDay, Kind, Receipt, ReceiptItem
from omboon.contributions.tests.conftest import baht, make_member
from omboon.core.errors import RuleViolation
from omboon.core.models import AuditEvent
from omboon.ledger import selectors as ledger_selectors
from omboon.ledger.models import JournalEntry, JournalLine
from omboon.members.models import Member

D = dt.date
TODAY = D(2025, 6, 15)


def balances(group, day=TODAY):
    accounts = {a.pk: a.code for a in ledger_selectors.accounts(group)}
    out = {}
    for (a, _f), v in ledger_selectors.balances(group, day).items():
        out[accounts[a]] = out.get(accounts[a], 0) + v
    return out


MARCH_1 = D(2025, 3, 1)


def issue(treasurer, group, member, day=MARCH_1, items=((Kind.DAILY_SAVING, 3100),), **kw):
    return services.receipt_issue(actor=treasurer, organisation=group, member=member, date=day, items=list(items),
                                  today=TODAY, **kw)


def test_receipt_posts_one_balanced_entry_with_the_member_on_every_line(treasurer, group, member):
    r = issue(treasurer, group, member, items=[(Kind.ENTRY_FEE, baht(50)), (Kind.ANNUAL_FEE, baht(50)),
                                               (Kind.DAILY_SAVING, baht(31))])
    assert r.total == baht(131)
    assert r.document_number == "RC2568/00001"
    assert balances(group) == {"1100": baht(131), "4100": -baht(50), "4200": -baht(50), "4300": -baht(31)}
    assert set(JournalLine.objects.filter(entry=r.entry).values_list("member_id", flat=True)) == {member.pk}
    assert AuditEvent.objects.filter(action="contributions.receipt_issue", object_id=str(r.pk)).count() == 1


def test_the_daily_saving_item_names_the_days_it_covers(treasurer, group, member):
    first = issue(treasurer, group, member, items=[(Kind.DAILY_SAVING, 3100)])
    second = issue(treasurer, group, member, items=[(Kind.DAILY_SAVING, 2800 + 3100)])
    assert (first.items.get().period_from, first.items.get().period_to) == (D(2024, 1, 1), D(2024, 1, 31))
    assert (second.items.get().period_from, second.items.get().period_to) == (D(2024, 2, 1), D(2024, 3, 30))
    cov = selectors.member_coverage(member, as_of=D(2025, 3, 1)).get(Kind.DAILY_SAVING)
    assert cov.paid_through == D(2024, 3, 30)


def test_numbers_run_per_fiscal_year(treasurer, tree):
    group = tree.group_b
    group.fiscal_year_start_month = 10
    group.save()
    m = make_member(group, join_date=D(2024, 1, 1))
    a = issue(treasurer, group, m, day=D(2024, 9, 30))
    b = issue(treasurer, group, m, day=D(2024, 10, 1))
    c = issue(treasurer, group, m, day=D(2024, 10, 2))
    assert [a.document_number, b.document_number, c.document_number] == [
        "RC2567/00001", "RC2568/00001", "RC2568/00002"]


def test_same_idempotency_key_makes_one_receipt(treasurer, group, member):
    a = issue(treasurer, group, member, idempotency_key="form-123")
    b = issue(treasurer, group, member, idempotency_key="form-123")
    assert a.pk == b.pk
    assert Receipt.objects.count() == 1 and JournalEntry.objects.count() == 1


@pytest.mark.parametrize("change, field", [
    ({"day": D(2023, 12, 31)}, "date"),  # before joining
    ({"items": [(Kind.DAILY_SAVING, 0)]}, Kind.DAILY_SAVING),
    ({"items": [(Kind.DAILY_SAVING, -500)]}, Kind.DAILY_SAVING),
    ({"items": [(Kind.DAILY_SAVING, 10.5)]}, Kind.DAILY_SAVING),
    ({"items": []}, "items"),
    ({"items": [(Kind.STATE_MATCHING, 500)]}, "kind"),
    ({"day": D(2025, 7, 1)}, "date"),  # in the future
])
def test_bad_payments_are_refused_and_nothing_is_written(treasurer, group, member, change, field):
    with pytest.raises(RuleViolation) as exc:
        issue(treasurer, group, member, **change)
    assert field in [p.field for p in exc.value.problems]
    assert all(p.message_th and p.message_en for p in exc.value.problems)
    assert not Receipt.objects.exists() and not JournalEntry.objects.exists()


def test_payment_after_death_or_resignation_is_refused(treasurer, group):
    dead = make_member(group, status=Member.Status.DECEASED, status_date=D(2025, 1, 10))
    issue(treasurer, group, dead, day=D(2025, 1, 10))  # on the day is still fine
    with pytest.raises(RuleViolation) as exc:
        issue(treasurer, group, dead, day=D(2025, 1, 11))
    assert "เสียชีวิต" in exc.value.problems[0].message_th and "died" in exc.value.problems[0].message_en
    gone = make_member(group, status=Member.Status.RESIGNED, status_date=D(2024, 6, 30))
    with pytest.raises(RuleViolation, match="resigned"):
        issue(treasurer, group, gone, day=D(2024, 7, 1))


def test_member_of_another_group_is_refused(treasurer, tree, group):
    other = make_member(tree.group_b)
    with pytest.raises(RuleViolation, match="another group"):
        issue(treasurer, group, other)


def test_void_reverses_the_entry_and_keeps_the_number(treasurer, group, member):
    r = issue(treasurer, group, member, items=[(Kind.DAILY_SAVING, 3100)])
    nxt = issue(treasurer, group, member, items=[(Kind.DAILY_SAVING, 2900)])
    voided = services.receipt_void(actor=treasurer, receipt=r, reason="ป้อนผิดคน", date=D(2025, 3, 2))
    assert voided.is_void and voided.document_number == "RC2568/00001"
    assert voided.void_entry.reverses_id == r.entry_id
    assert balances(group) == {"1100": 2900, "4300": -2900}
    assert nxt.document_number == "RC2568/00002"
    assert issue(treasurer, group, member).document_number == "RC2568/00003"
    # the voided money no longer covers any day: the next receipt starts again on 1 January
    cov = selectors.member_coverage(member, as_of=D(2025, 3, 2)).get(Kind.DAILY_SAVING)
    assert cov.paid == 2900 + 3100
    with pytest.raises(RuleViolation, match="already void"):
        services.receipt_void(actor=treasurer, receipt=voided, reason="again")
    with pytest.raises(RuleViolation, match="reason"):
        services.receipt_void(actor=treasurer, receipt=nxt, reason=" ")


def test_matching_grants_are_income_by_source(treasurer, group):
    services.grant_record(actor=treasurer, organisation=group, date=D(2025, 2, 1), kind=Kind.STATE_MATCHING,
                          amount=baht(10000), payer_name="พอช.", today=TODAY)
    services.grant_record(actor=treasurer, organisation=group, date=D(2025, 2, 1), kind=Kind.LOCAL_MATCHING,
                          amount=baht(5000), payer_name="อบต.ล้อมแรด", today=TODAY)
    services.grant_record(actor=treasurer, organisation=group, date=D(2025, 2, 1), kind=Kind.DONATION,
                          amount=baht(300), payer_name="ร้านค้าชุมชน", paid_into="cash", today=TODAY)
    assert balances(group) == {"1200": baht(15000), "1100": baht(300), "4400": -baht(10000),
                               "4500": -baht(5000), "4600": -baht(300)}
    with pytest.raises(RuleViolation):
        services.grant_record(actor=treasurer, organisation=group, date=D(2025, 2, 1), kind=Kind.DAILY_SAVING,
                              amount=100, payer_name="x", today=TODAY)


def test_plans_with_effective_dates(treasurer, group, member):
    services.plan_set(actor=treasurer, organisation=group, kind=Kind.ENTRY_FEE, amount=baht(50),
                      effective_from=D(2000, 1, 1))
    services.plan_set(actor=treasurer, organisation=group, kind=Kind.ANNUAL_FEE, amount=baht(50),
                      frequency="yearly", effective_from=D(2000, 1, 1))
    services.plan_set(actor=treasurer, organisation=group, kind=Kind.DAILY_SAVING, amount=baht(1),
                      effective_from=D(2000, 1, 1))
    services.plan_set(actor=treasurer, organisation=group, kind=Kind.DAILY_SAVING, amount=baht(2),
                      effective_from=D(2025, 1, 1))
    with pytest.raises(RuleViolation, match="already starts"):
        services.plan_set(actor=treasurer, organisation=group, kind=Kind.DAILY_SAVING, amount=baht(3),
                          effective_from=D(2025, 1, 1))
    with pytest.raises(RuleViolation, match="once"):
        services.plan_set(actor=treasurer, organisation=group, kind=Kind.ENTRY_FEE, amount=baht(3),
                          frequency="monthly", effective_from=D(2025, 1, 1))
    mc = selectors.member_coverage(member, as_of=D(2025, 3, 1))
    assert mc.get(Kind.ENTRY_FEE).arrears == baht(50)
    assert mc.get(Kind.ANNUAL_FEE).arrears == baht(50)  # 2024; 2025 has not ended
    assert mc.get(Kind.DAILY_SAVING).arrears == baht(366 + 2 * 59)  # 2024, then Jan–Feb 2025 at 2 baht
    assert mc.get(Kind.DAILY_SAVING).months_behind == 14


def test_collection_day_records_every_row_in_one_transaction(treasurer, group):
    members = [make_member(group, join_date=D(2025, 1, 1)) for _ in range(25)]
    rows = [{"member": m.pk, "amount": "59.00"} for m in members]
    day = services.collection_day_post(actor=treasurer, organisation=group, date=D(2025, 3, 1), rows=rows,
                                       idempotency_key="sheet-1", today=TODAY)
    assert day.count == 25 and day.total == 25 * 5900
    numbers = sorted(Receipt.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 26))
    assert balances(group, D(2025, 3, 1)) == {"1100": 25 * 5900, "4300": -25 * 5900}
    again = services.collection_day_post(actor=treasurer, organisation=group, date=D(2025, 3, 1), rows=rows,
                                         idempotency_key="sheet-1", today=TODAY)
    assert again.pk == day.pk and Receipt.objects.count() == 25
    assert AuditEvent.objects.filter(action="contributions.collection_day_post").count() == 1
    cov = selectors.member_coverage(members[0], as_of=D(2025, 3, 1)).get(Kind.DAILY_SAVING)
    assert cov.paid_through == D(2025, 2, 28)


def test_collection_day_is_all_or_nothing_and_names_every_bad_row(treasurer, group, tree):
    good = make_member(group, join_date=D(2024, 1, 1))
    late = make_member(group, join_date=D(2025, 5, 1))
    other = make_member(tree.group_b)
    rows = [{"member": good.pk, "amount": "31"}, {"member": late.pk, "amount": "31"},
            {"member": good.pk, "amount": "10"}, {"member": other.pk, "amount": "5"},
            {"number": "9999", "amount": "5"}, {"member": good.pk, "amount": "0"}]
    with pytest.raises(RuleViolation) as exc:
        services.collection_day_post(actor=treasurer, organisation=group, date=D(2025, 3, 1), rows=rows,
                                     today=TODAY)
    assert sorted({p.row for p in exc.value.problems}) == [2, 3, 4, 5, 6]
    assert not Receipt.objects.exists() and not CollectionDay.objects.exists()
    assert not JournalEntry.objects.exists()
    with pytest.raises(RuleViolation) as exc:
        services.collection_day_post(actor=treasurer, organisation=group, date=D(2025, 3, 1),
                                     rows=[{"member": good.pk, "amount": "1.234"}, {"member": late.pk,
                                                                                     "amount": "-3"}],
                                     today=TODAY)
    assert sorted({p.row for p in exc.value.problems}) == [1, 2]


def test_one_amount_goes_to_the_oldest_dues_first(treasurer, group):
    services.plan_set(actor=treasurer, organisation=group, kind=Kind.ENTRY_FEE, amount=baht(50),
                      effective_from=D(2000, 1, 1))
    services.plan_set(actor=treasurer, organisation=group, kind=Kind.ANNUAL_FEE, amount=baht(50),
                      frequency="yearly", effective_from=D(2000, 1, 1))
    m = make_member(group, join_date=D(2025, 3, 1))
    services.collection_day_post(actor=treasurer, organisation=group, date=D(2025, 3, 1),
                                 rows=[{"member": m.pk, "amount": baht(131)}], today=TODAY)
    items = dict(ReceiptItem.objects.values_list("kind", "amount"))
    assert items == {Kind.ENTRY_FEE: baht(50), Kind.ANNUAL_FEE: baht(50), Kind.DAILY_SAVING: baht(31)}
    mc = selectors.member_coverage(m, as_of=D(2025, 3, 31))
    assert mc.due_now == 0 and mc.arrears == 0


def test_arrears_list_and_passbook(treasurer, group):
    paid_up = make_member(group, join_date=D(2025, 1, 1))
    behind = make_member(group, join_date=D(2025, 1, 1))
    issue(treasurer, group, paid_up, day=D(2025, 5, 1), items=[(Kind.DAILY_SAVING, baht(31 + 28 + 31 + 30))])
    issue(treasurer, group, behind, day=D(2025, 2, 1), items=[(Kind.DAILY_SAVING, baht(31))])
    rows = selectors.arrears(group, as_of=D(2025, 5, 10))
    assert [r.member.pk for r in rows] == [behind.pk]
    assert rows[0].months_behind == 3 and rows[0].arrears == baht(28 + 31 + 30)
    book = selectors.passbook(behind, as_of=D(2025, 5, 10))
    assert [ln.paid_in for ln in book.lines] == [baht(31)] and book.total_paid == baht(31)
    total = ReceiptItem.objects.aggregate(s=Sum("amount"))["s"]
    assert total == baht(31 + 28 + 31 + 30 + 31)


def test_the_arrears_list_equals_each_members_own_coverage(treasurer, group):
    """The list works a group of thousands out once per join date and amount paid; a small group of
    varied histories (shared and different join dates, prepaid, partly paid, a void, a left member,
    three plans, one rate change) gives each member exactly what their own coverage says."""
    services.plan_set(actor=treasurer, organisation=group, kind=Kind.ENTRY_FEE, amount=baht(50),
                      effective_from=D(2000, 1, 1))
    services.plan_set(actor=treasurer, organisation=group, kind=Kind.ANNUAL_FEE, amount=baht(120),
                      frequency="quarterly", effective_from=D(2000, 1, 1))
    services.plan_set(actor=treasurer, organisation=group, kind=Kind.DAILY_SAVING, amount=baht(2),
                      effective_from=D(2025, 3, 1))
    histories = [  # (join date, receipts as (day, daily saving, annual fee, entry fee))
        (D(2025, 1, 1), []),
        (D(2025, 1, 1), [(D(2025, 2, 1), 31, 0, 50)]),
        (D(2025, 1, 1), [(D(2025, 2, 1), 31, 0, 50)]),  # the same as the one before
        (D(2025, 1, 1), [(D(2025, 1, 5), 500, 120, 50)]),  # paid ahead
        (D(2024, 11, 20), [(D(2025, 1, 5), 40, 30, 0), (D(2025, 4, 2), 100, 30, 50)]),
        (D(2025, 4, 16), [(D(2025, 4, 16), 15, 0, 50)]),
        (D(2025, 6, 1), []),  # joined this month: nothing due yet
    ]
    members = []
    for joined, receipts in histories:
        m = make_member(group, join_date=joined)
        members.append(m)
        for day, daily, annual, entry in receipts:
            items = [(k, baht(a)) for k, a in ((Kind.DAILY_SAVING, daily), (Kind.ANNUAL_FEE, annual),
                                               (Kind.ENTRY_FEE, entry)) if a]
            issue(treasurer, group, m, day=day, items=items)
    voided = issue(treasurer, group, members[0], day=D(2025, 3, 1), items=[(Kind.DAILY_SAVING, baht(62))])
    services.receipt_void(actor=treasurer, receipt=voided, reason="ซ้ำ", date=D(2025, 3, 1))
    Member.objects.filter(pk=members[4].pk).update(status=Member.Status.RESIGNED, status_date=D(2025, 3, 31))
    for as_of in (D(2025, 2, 28), D(2025, 5, 10), TODAY):
        for min_months in (1, 3):
            own = [selectors.member_coverage(Member.objects.get(pk=m.pk), as_of=as_of) for m in members]
            expected = sorted(
                (mc for mc in own if mc.member.status in selectors.PAYING_STATUSES and mc.member.join_date <= as_of
                 and mc.arrears and (mc.months_behind >= min_months or
                                     (mc.get(Kind.ENTRY_FEE) and mc.get(Kind.ENTRY_FEE).arrears))),
                key=lambda mc: (-mc.months_behind, -mc.arrears, mc.member.number))
            rows = selectors.arrears(group, as_of=as_of, min_months=min_months)
            assert [(r.member, r.kinds) for r in rows] == [(mc.member, mc.kinds) for mc in expected]
    twins = [r for r in selectors.arrears(group, as_of=TODAY) if r.member.pk in (members[1].pk, members[2].pk)]
    assert len(twins) == 2 and twins[0].kinds[Kind.DAILY_SAVING] is not twins[1].kinds[Kind.DAILY_SAVING]
    assert len(selectors.arrears(group, as_of=TODAY)) >= 3
    fresh = list(Member.objects.filter(pk__in=[m.pk for m in members]).order_by("pk"))
    listed = selectors.coverage_of(fresh, group, as_of=TODAY)
    assert [mc.kinds for mc in listed] == [selectors.member_coverage(m, as_of=TODAY).kinds for m in fresh]
    assert listed[1].kinds[Kind.DAILY_SAVING] is not listed[2].kinds[Kind.DAILY_SAVING]  # copies, not shared


def test_a_collection_day_posts_one_entry_and_a_void_reverses_one_receipt(treasurer, group):
    members = [make_member(group, join_date=D(2025, 1, 1)) for _ in range(3)]
    services.collection_day_post(actor=treasurer, organisation=group, date=D(2025, 3, 1),
                                 rows=[{"member": m.pk, "amount": 3100} for m in members], today=TODAY)
    receipts = list(Receipt.objects.order_by("number"))
    assert len({r.entry_id for r in receipts}) == 1
    entry = receipts[0].entry
    assert entry.total == 3 * 3100 and entry.lines.count() == 4  # the day's cash, one income line each
    services.receipt_void(actor=treasurer, receipt=receipts[1], reason="ซ้ำ", date=D(2025, 3, 1))
    assert balances(group, D(2025, 3, 1)) == {"1100": 2 * 3100, "4300": -2 * 3100}
    reversal = receipts[1].__class__.objects.get(pk=receipts[1].pk).void_entry
    assert {ln.member_id for ln in reversal.lines.all()} == {members[1].pk}
    assert selectors.member_coverage(members[1], as_of=D(2025, 3, 1)).get(Kind.DAILY_SAVING).paid == 0
    assert selectors.member_coverage(members[0], as_of=D(2025, 3, 1)).get(Kind.DAILY_SAVING).paid == 3100
