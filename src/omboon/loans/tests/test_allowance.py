"""The allowance for doubtful loans at month-end (issue 17 item 5), as a worked example.

A village fund lends two loans on 15 January 2026 at no interest, 1,000 baht of principal due on
the 15th of each month from February: A (12,000 baht) pays nothing until April, B (6,000 baht)
pays every instalment on its day. Its bylaws from 1 January 2026 set the allowance at 1% of
loans 1–30 days overdue, 5% at 31–60, 20% at 61–90, 50% at 91–180 and 100% beyond.

- 31 January: nothing has fallen due: no allowance, nothing posted.
- 28 February: A is 13 days overdue (15 Feb): 12,000 × 1% = 120.00 — Dr 5510, Cr 1320 120.00.
- 31 March: A is 44 days overdue: 12,000 × 5% = 600.00 — the rise, 480.00, posted.
- 10 April A pays 2,000 (February and March); on 30 April its April instalment is 15 days
  overdue: 10,000 × 1% = 100.00 — the fall, 500.00: Dr 1320, Cr 5510.
"""

from __future__ import annotations

import datetime as dt

import pytest

from omboon.core.errors import RuleViolation
from omboon.ledger import chart
from omboon.ledger import selectors as ledger_selectors
from omboon.ledger import services as ledger
from omboon.ledger.models import JournalLine
from omboon.loans import allowance, services
from omboon.loans.tests.conftest import Fund
from omboon.orgs import rules as org_rules
from omboon.orgs import services as org_services

D = dt.date
PERCENTS = [1, 5, 20, 50, 100, 100]


def lend(fund: Fund, member, principal: int):
    loan = services.loan_apply(actor=fund.treasurer, organisation=fund.group, member=member, product=fund.product,
                               principal=principal, purpose="ซื้อพันธุ์ข้าว", applied_on=D(2026, 1, 10))
    services.loan_approve(actor=fund.chair, loan=loan)
    return services.loan_disburse(actor=fund.treasurer, loan=loan, date=D(2026, 1, 15))


def close(fund: Fund, year: int, month: int):
    ledger.period_close(actor=fund.chair, organisation=fund.group, year=year, month=month)


def allowance_lines(fund: Fund, on: dt.date | None = None) -> list[tuple[dt.date, str, int, int]]:
    qs = JournalLine.objects.filter(organisation=fund.group, account__code__in=(chart.LOAN_ALLOWANCE,
                                                                                 chart.DOUBTFUL_LOANS))
    if on is not None:
        qs = qs.filter(date=on)
    return sorted(qs.values_list("date", "account__code", "debit", "credit"))


JANUARY = D(2026, 1, 1)


def set_allowance(fund: Fund, percents, on=JANUARY):
    org_services.bylaws_set(actor=None, organisation=fund.group, effective_from=on,
                            settings={"loan_allowance": percents})


def two_loans(fund: Fund):
    a, b = lend(fund, fund.members[0], 12_000_00), lend(fund, fund.members[1], 6_000_00)
    return a, b


def test_the_allowance_rises_then_falls_over_the_month_ends(young):
    set_allowance(young, PERCENTS)
    a, b = two_loans(young)
    for month in (2, 3, 4):
        services.loan_repay(actor=young.treasurer, loan=b, amount=1_000_00, date=D(2026, month, 15))
    close(young, 2026, 1)
    assert allowance_lines(young) == []  # nothing fell due by 31 January
    close(young, 2026, 2)
    assert allowance_lines(young, D(2026, 2, 28)) == [(D(2026, 2, 28), "1320", 0, 120_00),
                                                      (D(2026, 2, 28), "5510", 120_00, 0)]
    close(young, 2026, 3)
    assert allowance_lines(young, D(2026, 3, 31)) == [(D(2026, 3, 31), "1320", 0, 480_00),
                                                      (D(2026, 3, 31), "5510", 480_00, 0)]
    services.loan_repay(actor=young.treasurer, loan=a, amount=2_000_00, date=D(2026, 4, 10))
    close(young, 2026, 4)
    assert allowance_lines(young, D(2026, 4, 30)) == [(D(2026, 4, 30), "1320", 500_00, 0),
                                                      (D(2026, 4, 30), "5510", 0, 500_00)]
    assert allowance.balance_in_books(young.group, D(2026, 4, 30)) == 100_00
    a_april = allowance.allowance_on(young.group, D(2026, 4, 30))
    assert [b.required for b in a_april.buckets] == [100_00, 0, 0, 0, 0, 0] and a_april.change == 0
    tb = ledger_selectors.trial_balance(young.group, D(2026, 4, 30))
    assert tb.total_debit == tb.total_credit


def test_off_by_default_nothing_is_posted(young):
    two_loans(young)
    for month in (1, 2, 3, 4):
        close(young, 2026, month)
    assert allowance_lines(young) == []
    assert allowance.allowance_on(young.group, D(2026, 4, 30)) is None


def test_a_closed_month_is_left_as_it_was_and_a_second_close_posts_only_the_difference(young):
    set_allowance(young, PERCENTS)
    two_loans(young)
    for month in (1, 2, 3):
        close(young, 2026, month)
    march = allowance_lines(young, D(2026, 3, 31))
    set_allowance(young, [10, 10, 20, 50, 100, 100], on=D(2026, 3, 1))  # a later decision, back to March
    assert allowance_lines(young, D(2026, 3, 31)) == march  # a closed month does not move
    with pytest.raises(RuleViolation):  # nor can anything be posted into it
        allowance.month_end_adjust(actor=young.chair, organisation=young.group, year=2026, month=3)
    ledger.period_reopen(actor=young.chair, organisation=young.group, year=2026, month=3, reason="มติใหม่")
    close(young, 2026, 3)  # neither paid: 18,000 × 10% = 1,800 required, 18,000 × 5% = 900 held: 900 more
    assert allowance_lines(young, D(2026, 3, 31)) == sorted([*march, (D(2026, 3, 31), "1320", 0, 900_00),
                                                             (D(2026, 3, 31), "5510", 900_00, 0)])
    assert allowance.balance_in_books(young.group, D(2026, 3, 31)) == 1_800_00


def test_a_write_off_against_the_allowance_leaves_it_set_right_at_the_next_month_end(young):
    set_allowance(young, PERCENTS)
    a, _b = two_loans(young)
    for month in (1, 2, 3):
        close(young, 2026, month)  # 18,000 × 5% = 900 held at 31 March (neither has paid)
    request = services.write_off_request(actor=young.treasurer, loan=a, reason="ย้ายถิ่น", against="allowance",
                                         date=D(2026, 4, 20))
    services.adjustment_approve(actor=young.chair, adjustment=request)  # Dr 1320 12,000
    assert allowance.balance_in_books(young.group, D(2026, 4, 20)) == 900_00 - 12_000_00
    close(young, 2026, 4)  # B alone, 74 days overdue on 30 April: 6,000 × 20% = 1,200
    assert allowance.balance_in_books(young.group, D(2026, 4, 30)) == 1_200_00
    assert allowance_lines(young, D(2026, 4, 30)) == [(D(2026, 4, 30), "1320", 0, 12_300_00),
                                                      (D(2026, 4, 30), "5510", 12_300_00, 0)]


def test_the_aging_report_shows_each_buckets_allowance_and_1320(young):
    from omboon.core import reporting

    set_allowance(young, PERCENTS)
    two_loans(young)
    for month in (1, 2, 3):
        close(young, 2026, month)
    buckets, quality = reporting.get("loan-aging").build(organisation=young.group, start=None,
                                                          end=D(2026, 3, 31), lang="en").tables
    by_label = {r["bucket"]: r for r in buckets.rows}
    assert by_label["31–60 days overdue"]["outstanding"] == 18_000_00  # A since 15 Feb, B never paid either
    assert by_label["31–60 days overdue"]["percent"] == 5 and by_label["31–60 days overdue"]["required"] == 900_00
    items = {r["item"]: r["amount"] for r in quality.rows}
    assert items["Allowance for doubtful loans required"] == 900_00
    assert items["Allowance for doubtful loans, 1320, in the books"] == 900_00
    assert quality.rows[-1] == {"item": "Difference", "amount": 0, "share": None}


def test_the_bylaws_refuse_a_percentage_outside_0_to_100_naming_the_bucket(young):
    with pytest.raises(RuleViolation) as caught:
        set_allowance(young, [1, 5, 120, 50, -1, "x"])
    fields = {p.field: p for p in caught.value.problems}
    assert set(fields) == {"loan_allowance_3", "loan_allowance_5", "loan_allowance_6"}
    assert "61–90" in fields["loan_allowance_3"].message("th") and "0–100" in fields["loan_allowance_3"].message("en")
    with pytest.raises(RuleViolation) as caught:
        set_allowance(young, [1, 5])
    assert caught.value.problems[0].field == "loan_allowance"


def test_the_bylaws_buckets_are_the_aging_buckets():
    from omboon.loans import arrears

    assert tuple(arrears.bucket_label(b) for b in arrears.BUCKETS) == org_rules.ALLOWANCE_BUCKETS
