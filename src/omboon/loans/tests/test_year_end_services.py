"""The year-end allocation from the books to the members' pockets, as worked examples on a
small savings group's 2025 (``year_end_books``): drafted from the books once the year is
closed, approved by two committee members on the general meeting's decision, posted as one
entry and paid in cash or into savings; and every refusal in Thai and English with nothing
half-written."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db.models import Sum

from omboon.core.errors import RuleViolation
from omboon.ledger import selectors as ledger_selectors
from omboon.ledger.models import JournalEntry, JournalLine
from omboon.loans.models import YearEndAllocation
from omboon.loans.tests.year_end_books import close_through, year_2025
from omboon.loans.year_end import compute, selectors, services
from omboon.savings import selectors as savings_selectors

POOL = compute.Model(compute.POOL, reserve=D(20), dividend=D(40), refund=D(20), welfare=D(10), committee=D(5),
                     public=D(5))
MEETING = dt.date(2026, 2, 15)


@pytest.fixture
def books(db):
    return year_2025()


def balance(group, code) -> int:
    """An account's balance on its normal side (credit − debit for 2xxx/3xxx)."""
    s = JournalLine.objects.filter(organisation=group, account__code=code).aggregate(d=Sum("debit"), c=Sum("credit"))
    return (s["c"] or 0) - (s["d"] or 0)


def cash_debit(books) -> int:
    return -balance(books.group, "1100")


def refused(call, **kw):
    with pytest.raises(RuleViolation) as e:
        call(**kw)
    return e.value.problems


def draft(books, model=POOL, **kw):
    return services.allocation_draft(actor=books.treasurer, organisation=books.group, fiscal_year=2025, model=model,
                                     **kw)


def approved(books, **kw):
    allocation = draft(books, **kw)
    services.allocation_approve(actor=books.chair, allocation=allocation, meeting_on=MEETING,
                                resolution="ที่ประชุมใหญ่มีมติจัดสรรกำไรสุทธิตามร่าง", today=MEETING)
    return services.allocation_approve(actor=books.committee, allocation=allocation, today=MEETING)


def test_the_inputs_come_from_the_books(books):
    year = selectors.fiscal_year(books.group, 2025)
    assert (year.start, year.end, year.closed) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31), True)
    assert sum(selectors.net_income_by_fund(books.group, year).values()) == books.net_income
    assert {(i.member_id, i.balance_months, i.interest_paid) for i in selectors.inputs(books.group, year, "all")} == {
        (books.a.pk, 12 * 1_000_00, 0), (books.b.pk, 6 * 2_000_00, 0), (books.c.pk, 0, books.interest_c)}
    assert selectors.inputs(books.group, year, "shares") == [compute.MemberInput(books.c.pk, 0, books.interest_c)]


def test_draft_keeps_the_split_and_the_per_member_list(books):
    allocation = draft(books)
    assert allocation.status == "draft" and allocation.net_income == books.net_income
    parts = selectors.parts_of(allocation)
    assert sum(parts.values()) == books.net_income
    shares = {s.member_id: s for s in selectors.shares(allocation)}
    # A's twelve month-ends of 1,000 against B's six of 2,000: equal weights, equal dividends
    assert shares[books.a.pk].dividend == shares[books.b.pk].dividend == books.net_income * 40 // 100 // 2
    assert shares[books.c.pk].refund == books.net_income * 20 // 100 and shares[books.c.pk].dividend == 0
    # drafting again replaces the draft; a what-if recomputes from its list and saves nothing
    again = draft(books, model=compute.Model(compute.RATE, reserve=D(10), dividend=D(6), refund=D(10)))
    assert again.pk == allocation.pk and again.model == "rate" and again.shares.count() == 3
    other = selectors.what_if(again, POOL)
    assert other.parts == parts
    again.refresh_from_db()
    assert again.model == "rate"


def test_approved_by_two_committee_members_on_the_meetings_decision_then_posted_and_paid_in_cash(books):
    allocation = approved(books)
    assert allocation.status == "approved" and allocation.meeting_on == MEETING
    cash, surplus = cash_debit(books), balance(books.group, "3300")
    services.allocation_post(actor=books.treasurer, allocation=allocation, date=dt.date(2026, 2, 20))
    allocation.refresh_from_db()
    assert allocation.status == "posted" and allocation.entry.doc_type == "journal"
    assert balance(books.group, "3300") == surplus - books.net_income
    for part, code in services.PART_ACCOUNTS.items():
        assert balance(books.group, code) == getattr(allocation, part), part
    services.allocation_pay(actor=books.treasurer, allocation=allocation, how="cash", date=dt.date(2026, 2, 25))
    allocation.refresh_from_db()
    assert allocation.status == "paid" and allocation.payment.doc_type == "payment"
    assert -balance(books.group, "1100") == cash_debit(books) and cash_debit(books) == cash - allocation.dividend \
        - allocation.refund
    assert ledger_selectors.trial_balance(books.group, dt.date(2026, 2, 28)).total_debit == \
        ledger_selectors.trial_balance(books.group, dt.date(2026, 2, 28)).total_credit
    assert balance(books.group, "2400") == balance(books.group, "2410") == 0


def test_paid_into_savings_credits_each_members_account(books):
    allocation = approved(books)
    services.allocation_post(actor=books.treasurer, allocation=allocation, date=dt.date(2026, 2, 20))
    # C has no savings account: the whole payment is refused, naming C, nothing written
    problems = refused(services.allocation_pay, actor=books.treasurer, allocation=allocation, how="savings",
                       date=dt.date(2026, 2, 25))
    assert [(p.code, p.row) for p in problems] == [("no_account", books.c.number)]
    assert "จ่ายเป็นเงินสด" in problems[0].message_th and "pay in cash" in problems[0].message_en
    allocation.refresh_from_db()
    assert allocation.status == "posted" and not JournalEntry.objects.filter(
        idempotency_key=f"loans-yearend:{allocation.pk}:pay").exists()


def test_paid_into_savings(books):
    allocation = approved(books, model=compute.Model(compute.POOL, reserve=D(50), dividend=D(50)))
    services.allocation_post(actor=books.treasurer, allocation=allocation, date=dt.date(2026, 2, 20))
    before = savings_selectors.balance(books.savings_a), savings_selectors.balance(books.savings_b)
    services.allocation_pay(actor=books.treasurer, allocation=allocation, how="savings", date=dt.date(2026, 2, 25))
    shares = {s.member_id: s.dividend for s in selectors.shares(allocation)}
    assert savings_selectors.balance(books.savings_a) == before[0] + shares[books.a.pk]
    assert savings_selectors.balance(books.savings_b) == before[1] + shares[books.b.pk]
    assert balance(books.group, "2400") == 0


def test_approving_ones_own_draft_or_twice_is_refused(books):
    allocation = draft(books)
    problems = refused(services.allocation_approve, actor=books.treasurer, allocation=allocation,
                       meeting_on=MEETING, resolution="มติ", today=MEETING)
    assert problems[0].code == "second_person"
    assert "ผู้จัดทำร่างอนุมัติร่างของตนเองไม่ได้" in problems[0].message_th and "drafted" in problems[0].message_en
    # the first approval needs the meeting's date and resolution
    assert {p.field for p in refused(services.allocation_approve, actor=books.chair, allocation=allocation,
                                     today=MEETING)} == {"meeting_on", "resolution"}
    services.allocation_approve(actor=books.chair, allocation=allocation, meeting_on=MEETING, resolution="มติ",
                                today=MEETING)
    problems = refused(services.allocation_approve, actor=books.chair, allocation=allocation, today=MEETING)
    assert "another committee member" in problems[0].message_en
    allocation.refresh_from_db()
    assert allocation.status == "decided" and allocation.approved_by_id is None
    # nobody posts before the second approval
    assert refused(services.allocation_post, actor=books.treasurer, allocation=allocation)[0].code == "status"


def test_posting_twice_is_refused_and_a_reversal_before_payment_lets_the_year_be_drafted_again(books):
    allocation = approved(books)
    services.allocation_post(actor=books.treasurer, allocation=allocation, date=dt.date(2026, 2, 20))
    problems = refused(services.allocation_post, actor=books.treasurer, allocation=allocation,
                       date=dt.date(2026, 2, 20))
    assert problems[0].code == "status" and "only once" in problems[0].message_en
    assert JournalEntry.objects.filter(idempotency_key=f"loans-yearend:{allocation.pk}:post").count() == 1
    no_reason = refused(services.allocation_reverse, actor=books.chair, allocation=allocation, reason="")
    assert no_reason[0].field == "reason"
    services.allocation_reverse(actor=books.chair, allocation=allocation, reason="มติแก้ไข",
                                date=dt.date(2026, 2, 21))
    assert balance(books.group, "2400") == balance(books.group, "3200") == 0
    assert draft(books).pk != allocation.pk


def test_a_paid_allocation_cannot_be_reversed(books):
    allocation = approved(books)
    services.allocation_post(actor=books.treasurer, allocation=allocation, date=dt.date(2026, 2, 20))
    services.allocation_pay(actor=books.treasurer, allocation=allocation, how="cash", date=dt.date(2026, 2, 25))
    problems = refused(services.allocation_reverse, actor=books.chair, allocation=allocation, reason="ผิด")
    assert "not yet paid" in problems[0].message_en and "ยังไม่จ่าย" in problems[0].message_th


def test_before_the_year_is_closed_nothing_is_drafted(db):
    books = year_2025("YO", close=False)
    close_through(books.group, books.chair, 2025, 11)
    problems = refused(draft, books=books)
    assert [p.code for p in problems] == ["year_open"]
    assert "ปิดบัญชีเดือนสุดท้าย" in problems[0].message_th and "close the fiscal year's last month" in \
        problems[0].message_en
    assert not YearEndAllocation.objects.filter(organisation=books.group).exists()


def test_bad_percentages_are_refused_and_nothing_is_kept(books):
    problems = refused(draft, books=books, model=compute.Model(compute.POOL, reserve=D(5), dividend=D(90)))
    assert {p.code for p in problems} == {"reserve_low", "total"}
    assert not YearEndAllocation.objects.filter(organisation=books.group).exists()
