"""Month-end and year-end close, as a treasurer would do them."""

import datetime as dt

import pytest

from omboon.core.errors import RuleViolation
from omboon.core.models import AuditEvent
from omboon.ledger import selectors, services
from omboon.ledger.models import Account, JournalEntry, Period, PeriodBalance


def test_months_close_in_order_from_the_first_entry(post, group, treasurer):
    post(dt.date(2024, 2, 10), "Dr 1100 100\nCr 4100 100")
    assert services.next_period(group) == (2024, 2)
    with pytest.raises(RuleViolation) as caught:
        services.period_close(actor=treasurer, organisation=group, year=2024, month=3)
    assert "2024" in caught.value.problems[0].message_en or "February" in caught.value.problems[0].message_en
    services.period_close(actor=treasurer, organisation=group, year=2024, month=2)
    services.period_close(actor=treasurer, organisation=group, year=2024, month=3)
    assert services.next_period(group) == (2024, 4)


def test_a_month_not_yet_ended_cannot_close(post, group, treasurer):
    post(dt.date(2024, 2, 10), "Dr 1100 100\nCr 4100 100")
    with pytest.raises(RuleViolation):
        services.period_close(actor=treasurer, organisation=group, year=2024, month=2, today=dt.date(2024, 2, 29))


def test_a_closed_month_is_locked_and_its_balances_are_stored(post, group, treasurer):
    post(dt.date(2024, 1, 10), "Dr 1100 1,000\nCr 4300 1,000")
    post(dt.date(2024, 1, 20), "Dr 5200 150\nCr 1100 150")
    period = services.period_close(actor=treasurer, organisation=group, year=2024, month=1)
    stored = {(b.account.code, b.fund.code): (b.debit_total, b.credit_total, b.balance)
              for b in PeriodBalance.objects.filter(period=period).select_related("account", "fund")}
    assert stored == {("1100", "WEL"): (100000, 15000, 85000), ("4300", "WEL"): (0, 100000, -100000),
                      ("5200", "WEL"): (15000, 0, 15000)}
    with pytest.raises(RuleViolation) as caught:
        post(dt.date(2024, 1, 31), "Dr 1100 10\nCr 4100 10")
    closed = caught.value.problems[0]
    assert closed.field == "date"  # the date in each language's own words, as the page shows dates
    assert closed.message_th == "ปิดบัญชีถึงเดือนมกราคม 2567 แล้ว ลงรายการวันที่ 31 ม.ค. 2567 ไม่ได้"
    assert closed.message_en == "the books are closed up to January 2024; cannot post on 31 Jan 2024"
    post(dt.date(2024, 2, 1), "Dr 1100 10\nCr 4100 10")  # February is open
    # balances carry forward: February's close stores January's cash plus February's movement
    feb = services.period_close(actor=treasurer, organisation=group, year=2024, month=2)
    cash = PeriodBalance.objects.get(period=feb, account__code="1100")
    assert (cash.debit_total, cash.credit_total, cash.balance) == (1000, 0, 86000)
    assert PeriodBalance.objects.get(period=feb, account__code="5200").debit_total == 0


def test_reopening_is_for_the_chair_reopens_later_months_and_is_audited(post, group, treasurer, chair):
    post(dt.date(2024, 1, 10), "Dr 1100 100\nCr 4100 100")
    for m in (1, 2, 3):
        services.period_close(actor=treasurer, organisation=group, year=2024, month=m)
    with pytest.raises(RuleViolation) as caught:
        services.period_reopen(actor=treasurer, organisation=group, year=2024, month=2, reason="แก้ไข")
    assert caught.value.problems[0].field == "actor"
    reopened = services.period_reopen(actor=chair, organisation=group, year=2024, month=2,
                                      reason="ใบเสร็จเดือนกุมภาพันธ์ตกหล่น")
    assert [(p.year, p.month) for p in reopened] == [(2024, 2), (2024, 3)]
    assert list(Period.objects.filter(organisation=group, status="closed").values_list("month", flat=True)) == [1]
    assert not PeriodBalance.objects.filter(period__month__in=[2, 3]).exists()
    event = AuditEvent.objects.get(action="ledger.period_reopen")
    assert event.actor == chair and event.after["reason"] == "ใบเสร็จเดือนกุมภาพันธ์ตกหล่น"
    post(dt.date(2024, 2, 15), "Dr 1100 20\nCr 4600 20")  # the missing receipt, now allowed
    services.period_close(actor=treasurer, organisation=group, year=2024, month=2)
    assert selectors.balances(group, dt.date(2024, 2, 29))[
        (Account.objects.get(organisation=group, code="1100").pk, group.funds.get(code="WEL").pk)] == 12000


def test_year_end_close_carries_the_surplus_to_accumulated_surplus(post, group, treasurer):
    """A year of a small fund: 12,000 of contributions, 3,000 of benefits, 500 of stationery."""
    post(dt.date(2024, 3, 1), "Dr 1100 12,000\nCr 4300 12,000")
    post(dt.date(2024, 6, 1), "Dr 5130 3,000\nCr 1100 3,000")
    post(dt.date(2024, 9, 1), "Dr 5200 500 RES\nCr 1100 500 RES")
    for m in range(3, 13):
        services.period_close(actor=treasurer, organisation=group, year=2024, month=m)
    closing = JournalEntry.objects.get(organisation=group, doc_type="closing")
    assert closing.date == dt.date(2024, 12, 31) and closing.document_number == "CL2567/00001"
    assert sorted((ln.account.code, ln.fund.code, ln.debit, ln.credit) for ln in closing.lines.all()) == [
        ("3300", "RES", 50000, 0),        # the reserve fund ran a 500 deficit
        ("3300", "WEL", 0, 900000),       # the welfare fund a 9,000 surplus
        ("4300", "WEL", 1200000, 0),
        ("5130", "WEL", 0, 300000),
        ("5200", "RES", 0, 50000),
    ]
    position = selectors.financial_position(group, dt.date(2024, 12, 31))
    assert [(r.account.code, r.amount) for r in position.equity] == [("3300", 850000)]
    assert position.total_assets == position.total_liabilities_and_equity == 850000
    # the statement of the year still shows the year's figures (the closing entry is left out)
    ie = selectors.income_expenditure(group, dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert ie.surplus("period") == 850000
    # the closing entry is undone by reopening December, never by a reversal: the service (and
    # so the page and the API) refuse it
    with pytest.raises(RuleViolation) as caught:
        services.entry_reverse(actor=treasurer, entry=closing, date=dt.date(2025, 1, 5), reason="ผิด")
    assert [p.code for p in caught.value.problems] == ["closing"]


def test_year_end_follows_the_groups_fiscal_year(tree, treasurer):
    from omboon.ledger.services import Line
    from omboon.testing.factories import make_group
    g = make_group("OCT", "กลุ่มปีงบตุลาคม", fiscal_year_start_month=10, founded_on=dt.date(2024, 9, 1))
    services.entry_post(actor=None, organisation=g, date=dt.date(2024, 9, 5), doc_type="receipt",
                        lines=[Line("1100", debit=10000), Line("4600", credit=10000)])
    services.period_close(actor=None, organisation=g, year=2024, month=9)
    closing = JournalEntry.objects.get(organisation=g, doc_type="closing")
    assert closing.date == dt.date(2024, 9, 30) and closing.fiscal_year == 2024
    services.period_close(actor=None, organisation=g, year=2024, month=10)
    assert JournalEntry.objects.filter(organisation=g, doc_type="closing").count() == 1


def test_a_group_with_no_entries_starts_at_its_founding_month(group, treasurer):
    assert services.next_period(group) == (2010, 1)
    services.period_close(actor=treasurer, organisation=group, year=2010, month=1)
    assert services.next_period(group) == (2010, 2)
