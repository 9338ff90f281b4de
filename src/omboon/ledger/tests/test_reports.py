"""Every ledger statement builds for a group and renders in every format."""

import datetime as dt
import json

import pytest

from omboon.core import reporting
from omboon.ledger import services
from omboon.ledger.reports import CODES
from omboon.reports import render


@pytest.fixture
def books(post, group, treasurer):
    post(dt.date(2024, 1, 15), "Dr 1100 7,300\nCr 4300 7,300", doc_type="receipt", memo="ออมวันละบาท")
    post(dt.date(2024, 1, 20), "Dr 5130 2,000\nCr 1100 2,000", doc_type="payment", memo="ค่าจัดการศพ")
    services.period_close(actor=treasurer, organisation=group, year=2024, month=1)
    post(dt.date(2024, 2, 10), "Dr 1200 1,000\nCr 1100 1,000", memo="ฝากธนาคาร")
    return group


def test_the_six_codes_are_registered():
    reporting.autodiscover()
    assert set(CODES) <= set(reporting.REGISTRY)


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("fmt", render.FORMATS)
def test_every_statement_renders_in_every_format(books, code, fmt):
    report = reporting.get(code)
    result = report.build(organisation=books, start=dt.date(2024, 1, 1), end=dt.date(2024, 2, 29), lang="th")
    data = render.render(result, fmt, lang="th")
    assert data


def test_trial_balance_json_totals_match(books):
    result = reporting.get("trial-balance").build(organisation=books, start=None, end=dt.date(2024, 2, 29))
    table = result.tables[0]
    assert table.totals() == {"debit": 730000, "credit": 730000}
    payload = json.loads(render.render(result, "json"))
    assert payload


def test_english_titles(books):
    result = reporting.get("income-expenditure").build(organisation=books, start=dt.date(2024, 1, 1),
                                                      end=dt.date(2024, 1, 31), lang="en")
    names = [r["name"] for r in result.tables[0].rows]
    assert "Income" in names and "Surplus (deficit)" in names


def test_general_ledger_of_one_account(books):
    result = reporting.get("general-ledger").build(organisation=books, start=dt.date(2024, 2, 1),
                                                  end=dt.date(2024, 2, 29), params={"account": "1200"})
    assert len(result.tables) == 1
    assert result.tables[0].rows[-1]["balance"] == 100000
