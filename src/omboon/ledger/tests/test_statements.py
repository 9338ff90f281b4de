"""Statements of a small fund over two years, checked figure by figure."""

import datetime as dt

import pytest

from omboon.ledger import selectors, services


@pytest.fixture
def books(post, group, treasurer):
    """2023: start-up. 2024: a year of collection days, one death benefit, a CODI grant."""
    post(dt.date(2023, 1, 15), "Dr 1100 5,000\nCr 4100 5,000", doc_type="receipt", memo="ค่าสมัคร 100 คน")
    post(dt.date(2023, 6, 15), "Dr 1100 3,650\nCr 4300 3,650", doc_type="receipt", memo="ออมวันละบาท")
    post(dt.date(2023, 7, 1), "Dr 1200 8,000\nCr 1100 8,000", memo="ฝากธนาคาร")
    post(dt.date(2024, 1, 15), "Dr 1100 7,300\nCr 4300 7,300", doc_type="receipt", memo="ออมวันละบาท")
    post(dt.date(2024, 1, 20), "Dr 5130 2,000\nCr 1100 2,000", doc_type="payment", memo="ค่าจัดการศพ")
    post(dt.date(2024, 2, 10), "Dr 1200 7,300\nCr 4400 7,300 WEL", doc_type="receipt", memo="เงินสมทบ พอช.")
    post(dt.date(2024, 2, 11), "Dr 1200 1,000 RES\nCr 1200 1,000 WEL", memo="โอนเข้าทุนสำรอง")
    for m in range(1, 13):
        services.period_close(actor=treasurer, organisation=group, year=2023, month=m)
    services.period_close(actor=treasurer, organisation=group, year=2024, month=1)
    return group


def _tb(group, day):
    return {r.account.code: (r.debit, r.credit) for r in selectors.trial_balance(group, day).rows}


def test_trial_balance_balances_and_reads_snapshots_plus_later_lines(books, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        tb = selectors.trial_balance(books, dt.date(2024, 2, 29))
    assert tb.total_debit == tb.total_credit
    assert _tb(books, dt.date(2024, 2, 29)) == {
        "1100": (595000, 0), "1200": (1530000, 0), "3300": (0, 865000),
        "4300": (0, 730000), "4400": (0, 730000), "5130": (200000, 0),
    }
    # mid-month: December 2023 is the last closed month, January's lines up to the 16th added
    assert _tb(books, dt.date(2024, 1, 16))["1100"] == (795000, 0)


def test_income_and_expenditure_month_year_to_date_and_last_year(books):
    ie = selectors.income_expenditure(books, dt.date(2024, 1, 1), dt.date(2024, 1, 31))
    rows = {r.account.code: (r.period, r.year_to_date, r.last_year) for r in ie.income + ie.expenditure}
    assert rows == {"4100": (0, 0, 500000), "4300": (730000, 730000, 0), "5130": (200000, 200000, 0)}
    assert ie.surplus("period") == 530000
    ie = selectors.income_expenditure(books, dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    rows = {r.account.code: (r.period, r.year_to_date) for r in ie.income + ie.expenditure}
    assert rows["4400"] == (730000, 730000) and rows["4300"] == (0, 730000)


def test_financial_position_balances(books):
    fp = selectors.financial_position(books, dt.date(2024, 2, 29))
    assert fp.total_assets == fp.total_liabilities_and_equity == 2125000
    assert [(r.label_en, r.amount) for r in fp.equity] == [
        ("Accumulated surplus", 865000), ("Surplus (deficit) of the current year", 1260000)]


def test_cash_book_has_a_running_balance(books):
    book = selectors.cash_book(books, dt.date(2024, 1, 1), dt.date(2024, 1, 31))
    assert book.opening == 65000
    assert [(ln.document, ln.debit, ln.credit, ln.balance) for ln in book.lines] == [
        ("RV2567/00001", 730000, 0, 795000), ("PV2567/00001", 0, 200000, 595000)]
    assert book.closing == 595000


def test_fund_movement_per_fund(books):
    rows = {r.fund.code: r for r in selectors.fund_movement(books, dt.date(2024, 2, 1), dt.date(2024, 2, 29))}
    wel, res = rows["WEL"], rows["RES"]
    assert (wel.opening, wel.income, wel.expenditure, wel.transfers, wel.closing) == (
        1395000, 730000, 0, -100000, 2025000)
    assert (res.opening, res.income, res.transfers, res.closing) == (0, 0, 100000, 100000)
