"""The report ``year-end-allocation``: the parts and every member's line for the general
meeting, in every format; the members' dividends and refunds add up to the parts."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal as D

import pytest

from omboon.core import reporting
from omboon.loans.tests.year_end_books import year_2025
from omboon.loans.year_end import compute, services
from omboon.reports import render

pytestmark = pytest.mark.django_db


def build(books, **params):
    return reporting.get("year-end-allocation").build(organisation=books.group, start=None, end=None,
                                                  lang="th", params=params)


def test_the_meetings_list_in_every_format():
    books = year_2025()
    assert build(books).tables == []  # nothing drafted yet: a note says so
    allocation = services.allocation_draft(
        actor=books.treasurer, organisation=books.group, fiscal_year=2025,
        model=compute.Model(compute.RATE, reserve=D(10), dividend=D(6), refund=D(10), welfare=D(10)))
    services.allocation_approve(actor=books.chair, allocation=allocation, meeting_on=dt.date(2026, 2, 15),
                                resolution="อนุมัติตามร่าง", today=dt.date(2026, 2, 15))
    result = build(books, year="2568")
    parts, members = result.tables
    assert parts.totals()["amount"] == books.net_income
    assert [r["member"] for r in members.rows] == sorted([books.a.number, books.b.number, books.c.number])
    assert members.totals()["dividend"] == allocation.dividend and members.totals()["refund"] == allocation.refund
    assert any("อนุมัติตามร่าง" in n for n in result.notes)
    for fmt in ("html", "xlsx", "pdf", "csv"):
        assert render.render(result, fmt, lang="th")
    assert json.loads(render.render(result, "json", lang="th"))
