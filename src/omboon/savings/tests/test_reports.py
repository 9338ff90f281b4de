"""Savings reports as worked examples: a savings group's accounts after a year of deposits, a
withdrawal, interest and a reversed deposit; the balances at a date add up to the books'
2100/2110/3400 (and stay so whether read from the month-end snapshots or the lines), the
movements come out by month and kind, and the accounts that stopped moving are listed."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from omboon.core import reporting
from omboon.ledger import selectors as ledger_selectors
from omboon.ledger import services as ledger
from omboon.reports import render
from omboon.savings import selectors, services
from omboon.savings.models import MonthEndBalance

from .conftest import START

D = dt.date


def opened(sg, code, member, on=START):
    return services.account_open(actor=sg.treasurer, organisation=sg.group, member=sg.members[member],
                                 product=sg.products[code], opened_on=on)


def withdraw(sg, account, amount, on):
    w = services.withdrawal_request(actor=sg.treasurer, account=account, amount=amount, date=on)
    return services.withdrawal_approve(actor=sg.chair, withdrawal=w)


@pytest.fixture
def year(sg):
    """Member 0: สัจจะ 100 baht a month and 5,000 baht voluntary; member 1: 20 shares and a
    voluntary account last touched in January; a deposit reversed in March; interest for the
    first half-year; a 1,000-baht withdrawal in May."""
    saj, vol0 = opened(sg, "SAJ", 0), opened(sg, "VOL", 0)
    sh, vol1 = opened(sg, "SH", 1), opened(sg, "VOL", 1)
    for month in range(1, 7):
        services.deposit(actor=sg.treasurer, account=saj, amount=100_00, date=D(2024, month, 5))
    services.deposit(actor=sg.treasurer, account=vol0, amount=5_000_00, date=D(2024, 1, 5))
    services.deposit(actor=sg.treasurer, account=sh, amount=200_00, date=D(2024, 1, 5))
    services.deposit(actor=sg.treasurer, account=vol1, amount=300_00, date=D(2024, 1, 6))
    wrong = services.deposit(actor=sg.treasurer, account=vol0, amount=700_00, date=D(2024, 3, 1))
    ledger.entry_reverse(actor=sg.chair, entry=wrong, date=D(2024, 3, 2), reason="ฝากซ้ำ")
    withdraw(sg, vol0, 1_000_00, D(2024, 5, 10))
    services.interest_post(actor=sg.chair, organisation=sg.group, through=D(2024, 6, 30))
    return {"saj": saj, "vol0": vol0, "sh": sh, "vol1": vol1}


def build(sg, code, **kw):
    return reporting.get(code).build(organisation=sg.group, lang="en", **{"start": None, "end": None, **kw})


def test_balances_at_a_date_add_up_to_the_books(sg, year):
    result = build(sg, "savings-balances", end=D(2024, 6, 30))
    accounts, books = result.tables
    by_number = {r["number"]: r["balance"] for r in accounts.rows}
    interest = selectors.balance(year["vol0"]) - (5_000_00 - 1_000_00 - 10_00)
    assert interest > 0
    assert by_number == {year["saj"].number: 600_00, year["vol0"].number: 3_990_00 + interest,
                         year["sh"].number: 200_00, year["vol1"].number: selectors.balance(year["vol1"])}
    assert {r["code"]: (r["members"], r["ledger"], r["difference"]) for r in books.rows} == {
        "2100": (600_00, 600_00, 0), "2110": (by_number[year["vol0"].number] + by_number[year["vol1"].number],) * 2
        + (0,), "3400": (200_00, 200_00, 0)}
    # earlier dates read the lines up to them
    march = {r["number"]: r["balance"] for r in build(sg, "savings-balances", end=D(2024, 3, 31)).tables[0].rows}
    assert march[year["saj"].number] == 300_00 and march[year["vol0"].number] == 5_000_00


def test_the_month_end_snapshot_and_the_lines_since_equal_the_lines(sg, year):
    def direct(day):
        return {k: v for k, v in ledger_selectors.sub_account_balances(sg.group, as_of=day).items() if v}

    def read(day):
        return {k: v for k, v in selectors.sub_balances(sg.group, as_of=day).items() if v}

    for month in range(1, 5):
        ledger.period_close(actor=sg.chair, organisation=sg.group, year=2024, month=month, today=D(2025, 1, 1))
    assert list(MonthEndBalance.objects.filter(organisation=sg.group).dates("month_end", "month")) == [
        D(2024, m, 1) for m in range(1, 5)]
    assert selectors.snapshot_end(sg.group, D(2024, 6, 30)) == D(2024, 4, 30)
    snap = dict(MonthEndBalance.objects.filter(organisation=sg.group, month_end=D(2024, 4, 30))
                .values_list("sub_account_id", "balance"))
    assert snap == direct(D(2024, 4, 30))
    for day in (D(2024, 1, 31), D(2024, 3, 15), D(2024, 4, 30), D(2024, 5, 10), D(2024, 6, 30), None):
        assert read(day) == direct(day), day
    ledger.period_reopen(actor=sg.chair, organisation=sg.group, year=2024, month=3, reason="แก้ไข")
    assert selectors.snapshot_end(sg.group) == D(2024, 2, 29)
    assert read(D(2024, 6, 30)) == direct(D(2024, 6, 30))


def test_movements_by_month_and_kind(sg, year):
    result = build(sg, "savings-movements", start=D(2024, 1, 1), end=D(2024, 6, 30))
    months, kinds = result.tables
    assert [(r["month"], r["deposit"], r["withdrawal"]) for r in months.rows][:3] == [
        ("January 2024", 100_00 + 5_000_00 + 200_00 + 300_00, 0), ("February 2024", 100_00, 0),
        ("March 2024", 100_00, 0)]  # the reversed deposit of 700 baht nets out in March
    may = months.rows[4]
    assert (may["deposit"], may["withdrawal"]) == (100_00, 1_000_00 + 10_00)  # the fee comes off the account
    june = months.rows[5]
    assert june["interest"] > 0 and june["net"] == 100_00 + june["interest"]
    totals = months.totals()
    assert totals["net"] == sum(selectors.balances(sg.group).values())
    assert {r["code"] for r in kinds.rows} == {"2100", "2110", "3400"}


def test_dormant_lists_marked_accounts_and_those_idle_for_the_bylaws_months(sg, year):
    rows = build(sg, "savings-dormant", end=D(2025, 1, 31)).tables[0].rows
    # vol1's last line is June's interest: a movement too
    assert {r["number"]: r["idle"] for r in rows} == {year["sh"].number: 12}
    services.accounts_mark_dormant(actor=sg.chair, organisation=sg.group, as_of=D(2025, 1, 31))
    rows = build(sg, "savings-dormant", end=D(2025, 1, 31)).tables[0].rows
    assert {r["status"] for r in rows} == {"dormant"}
    sg.group.bylaws = {**(sg.group.bylaws or {}), "savings_dormant_months": 6}
    sg.group.save(update_fields=["bylaws"])
    rows = build(sg, "savings-dormant", end=D(2025, 1, 31)).tables[0].rows
    assert {r["number"]: r["idle"] for r in rows} == {a.number: 12 if a == year["sh"] else 7 for a in year.values()}


@pytest.mark.parametrize("fmt", render.FORMATS)
def test_every_savings_report_renders_in_every_format(sg, year, fmt):
    for code in ("savings-balances", "savings-movements", "savings-dormant"):
        result = reporting.get(code).build(organisation=sg.group, start=None, end=D(2024, 12, 31), lang="th")
        data = render.render(result, fmt, lang="th")
        assert data
        if fmt == "json":
            assert json.loads(data)


@pytest.mark.parametrize(("code", "start", "end"), [("group-status", None, D(2024, 6, 30)),
                                                     ("monthly", None, D(2024, 5, 31)),
                                                     ("annual", D(2024, 1, 1), D(2024, 6, 30))])
def test_the_meeting_reports_carry_the_savings_part(sg, year, code, start, end):
    result = reporting.get(code).build(organisation=sg.group, start=start, end=end, lang="en")
    table = next(t for t in result.tables if t.title_en == "Members' savings and shares")
    held = {r["code"]: r for r in table.rows}
    assert held["2100"]["closing"] == (600_00 if code != "monthly" else 500_00)
    for r in table.rows:  # brought forward and the movements make the carried forward
        assert r["opening"] + r["deposit"] - r["withdrawal"] + r["interest"] + r["other"] == r["closing"]
    assert held["3400"]["members"] == 1 and table.totals()["closing"] == sum(
        selectors.balances(sg.group, as_of=end).values())
    if code == "monthly":
        assert (held["2110"]["opening"], held["2110"]["withdrawal"]) == (5_300_00, 1_010_00)


def test_a_group_without_savings_has_no_savings_part(db):
    from omboon.testing.factories import make_group

    group = make_group("NOSAV", "กลุ่มสวัสดิการ")
    result = reporting.get("group-status").build(organisation=group, start=None, end=D(2024, 6, 30), lang="en")
    assert all(t.title_en != "Members' savings and shares" for t in result.tables)
