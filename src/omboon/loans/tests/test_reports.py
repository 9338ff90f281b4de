"""Loan reports as worked examples: a fund with two 12,000-baht loans disbursed on 15 January
2026 (12 monthly instalments); one repays February and stops, the other is paid up to April.
On 20 April the first is 36 days overdue (March's instalment), the second current; the aging's
outstanding adds up to 1300 in the books and the collection-day list asks what the page pre-fills.
A statement shows one loan's schedule and repayments; the guarantors' exposure is what approval checks."""

from __future__ import annotations

import json

import pytest

from omboon.core import reporting
from omboon.loans import reports, selectors, services
from omboon.loans.collection import due_by
from omboon.loans.tests.conftest import D, apply, disbursed
from omboon.reports import render

ON = D(2026, 4, 20)


@pytest.fixture
def two_loans(fund):
    late = disbursed(fund, 12_000_00, member=fund.members[0])
    good = disbursed(fund, 12_000_00, member=fund.members[1])
    first = selectors.schedule_of(late)[0]
    services.loan_repay(actor=fund.treasurer, loan=late, amount=first.total, date=D(2026, 2, 15))
    for i in selectors.schedule_of(good)[:3]:
        services.loan_repay(actor=fund.treasurer, loan=good, amount=i.total, date=i.due)
    return late, good


def build(fund, code, end=ON, lang="en"):
    return reporting.get(code).build(organisation=fund.group, start=None, end=end, lang=lang)


def test_aging_puts_each_loan_in_its_bucket_and_adds_up_to_the_books(fund, two_loans):
    late, good = two_loans
    buckets, quality = build(fund, "loan-aging").tables
    by = {r["bucket"]: r for r in buckets.rows}
    late_out = late.principal - selectors.schedule_of(late)[0].principal
    good_out = good.principal - sum(i.principal for i in selectors.schedule_of(good)[:3])
    assert (by["Not overdue"]["loans"], by["Not overdue"]["outstanding"]) == (1, good_out)
    assert (by["31–60 days overdue"]["loans"], by["31–60 days overdue"]["outstanding"]) == (1, late_out)
    assert buckets.totals()["outstanding"] == late_out + good_out == reports.loans_in_books(fund.group, ON)
    q = {r["item"]: r for r in quality.rows}
    assert q["PAR30"]["amount"] == late_out and q["PAR60"]["amount"] == 0
    assert q["PAR30"]["share"] == round(late_out * 100 / (late_out + good_out), 2)
    overdue = sum(i.principal for i in selectors.schedule_of(late)[1:3])  # March and April
    assert q["Arrears rate (not PAR)"]["amount"] == overdue
    assert q["Difference"]["amount"] == 0


def test_the_portfolio_lists_each_loan_outstanding_and_adds_up_by_product_as_the_aging_does(fund, two_loans):
    late, good = two_loans
    by_product, loans = build(fund, "loan-portfolio").tables
    late_out = late.principal - selectors.schedule_of(late)[0].principal
    good_out = good.principal - sum(i.principal for i in selectors.schedule_of(good)[:3])
    assert [(r["loan"], r["member"], r["outstanding"], r["days"], r["bucket"]) for r in loans.rows] == [
        (str(late.number), late.member.number, late_out, 36, "31–60 days"),
        (str(good.number), good.member.number, good_out, 0, "")]
    assert loans.rows[0]["overdue"] == sum(i.principal for i in selectors.schedule_of(late)[1:3])
    [product] = by_product.rows
    assert (product["loans"], product["outstanding"], product["par30"]) == (2, late_out + good_out, late_out)
    assert product["share"] == round(late_out * 100 / (late_out + good_out), 2)
    aging = build(fund, "loan-aging").tables[0]
    assert loans.totals()["outstanding"] == aging.totals()["outstanding"] == reports.loans_in_books(fund.group, ON)
    th = build(fund, "loan-portfolio", lang="th").tables[1]
    assert th.rows[0]["bucket"] == "31–60 วัน"


def test_loans_due_lists_what_the_collection_day_prefills_by_part(fund, two_loans):
    late, good = two_loans
    [row] = build(fund, "loans-due").tables[0].rows
    march, april = selectors.schedule_of(late)[1:3]
    assert row["loan"] == str(late.number) and row["since"] == march.due and row["instalments"] == 2
    assert (row["principal"], row["interest"]) == (march.principal + april.principal, march.interest + april.interest)
    assert row["total"] == due_by(selectors.schedule_of(late), selectors.paid(late), ON)
    # on 15 May the good loan's May instalment falls due too
    may = build(fund, "loans-due", end=D(2026, 5, 15)).tables[0]
    assert [r["loan"] for r in may.rows] == [str(late.number), str(good.number)]
    assert may.rows[1]["total"] == selectors.schedule_of(good)[3].total


def test_the_loan_reports_render_in_every_format(fund, two_loans):
    for code in ("loan-aging", "loan-portfolio", "loans-due"):
        result = build(fund, code, lang="th")
        for fmt in ("html", "xlsx", "pdf", "csv"):
            assert render.render(result, fmt, lang="th")
        assert json.loads(render.render(result, "json", lang="th"))


def test_a_loan_statement_shows_the_schedule_the_repayments_and_the_balance(fund, two_loans):
    late, _good = two_loans
    result = reporting.get("loan-statement").build(organisation=fund.group, start=None, end=ON, lang="en",
                                                   params={"loan": str(late.number)})
    plan, paid = result.tables
    first = selectors.schedule_of(late)[0]
    assert len(plan.rows) == 12 and plan.totals()["principal"] == late.principal
    assert plan.rows[0]["left"] == 0 and plan.rows[1]["left"] == plan.rows[1]["total"]
    [rep] = paid.rows
    assert (rep["principal"], rep["balance"]) == (first.principal, late.principal - first.principal)
    assert plan.totals()["left"] == selectors.still_owed(late)
    by_member = reporting.get("loan-statement").build(organisation=fund.group, start=None, end=ON,
                                                      params={"member": fund.members[0].number})
    assert len(by_member.tables) == 2


def test_guarantors_and_the_exposure_checked_at_approval(fund):
    g1, g2 = fund.members[3], fund.members[4]
    big = disbursed(fund, 30_000_00, member=fund.members[0], guarantors=[g1, g2])
    services.loan_repay(actor=fund.treasurer, loan=big, amount=selectors.schedule_of(big)[0].total,
                        date=D(2026, 2, 15))
    apply(fund, 25_000_00, member=fund.members[1], guarantors=[g1, fund.members[2]])  # applied, not approved
    summary, detail = build(fund, "guarantors", end=D(2026, 3, 1)).tables
    by = {r["member"]: r for r in summary.rows}
    assert by[g1.number]["loans"] == 2 and len(detail.rows) == 4
    assert {m.pk: by[m.number]["exposure"] for m in (g1, g2)} == selectors.guarantor_exposure([g1.pk, g2.pk])
