"""Loans on the public page, worked examples: the province network LP has groups A and B (zone
LP-S) and C (zone LP-N), each lending 10,000-baht loans from January 2026; a fourth group has not
reported. The page shows the groups' portfolio quality together — loans outstanding, PAR30 and
write-offs — never a borrower, says how many groups have not reported, and shows no money of
fewer than 5 loans."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache

from omboon.ledger.services import Line, entry_post
from omboon.loans import selectors as loans
from omboon.loans import services as loan_services
from omboon.loans.tests.conftest import TERMS, Fund, disbursed, make_member
from omboon.network import services
from omboon.network.models import ym_of
from omboon.orgs.models import Role
from omboon.testing.factories import make_group, make_user

JUN = ym_of(2026, 6)


def lending(group, n: int) -> tuple[Fund, list]:
    chair = make_user(group, Role.CHAIR)
    entry_post(actor=None, organisation=group, date=dt.date(2025, 12, 2), doc_type="receipt",
               lines=[Line(account="1100", debit=100_000_00), Line(account="4400", credit=100_000_00)])
    product = loan_services.product_create(actor=chair, organisation=group, code="GEN", name_th="เงินกู้สามัญ",
                                           terms=TERMS, max_amount=50_000_00, effective_from=dt.date(2024, 1, 1))
    fund = Fund(group, make_user(group, Role.TREASURER), chair, [make_member(group) for _ in range(n)], product)
    return fund, [disbursed(fund, 10_000_00, member=m)
                  for m in fund.members]


def pay_on_time(fund, loan, through=dt.date(2026, 6, 30)):
    for i in loans.schedule_of(loan):
        if i.due <= through:
            loan_services.loan_repay(actor=fund.treasurer, loan=loan, amount=i.total, date=i.due)


def figure(text: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}">([^<]*)<', text)
    assert match, f"no {name} figure"
    return match.group(1).strip()


@pytest.fixture
def reported(tree):
    def _report(*groups):
        for g in groups:
            services.facts_recompute(actor=None, organisation=g, through=JUN)
        cache.clear()
    return _report


def test_six_loans_of_three_groups_as_aggregates_with_par30(client, tree, reported):
    a_fund, a_loans = lending(tree.group_a, 3)
    b_fund, b_loans = lending(tree.group_b, 2)
    c_fund, [c_loan] = lending(tree.group_c, 1)
    for fund, loan in [*((a_fund, x) for x in a_loans), *((b_fund, x) for x in b_loans)]:
        pay_on_time(fund, loan)
    # C's borrower pays nothing: more than 30 days late by June
    make_group("LPX", "กลุ่มที่ยังไม่ส่งข้อมูล", parent=tree.province)
    reported(tree.group_a, tree.group_b, tree.group_c)
    june = dt.date(2026, 6, 30)
    groups = (tree.group_a, tree.group_b, tree.group_c)
    total = sum(s.outstanding for g in groups for _loan, s in loans.standings(g, june))
    text = client.get("/public/LP/").content.decode()
    assert figure(text, "loans") == f"{total / 100:,.2f}"
    assert figure(text, "par30") == f"{round(c_loan.principal * 100 / total, 2):.2f}%"
    assert figure(text, "write-offs") == "0.00"
    assert figure(text, "not-reported") == "1 กลุ่ม"
    assert "PAR30" in text and "ไม่มีข้อมูลรายบุคคล" in text
    for m in (*a_fund.members, *b_fund.members, *c_fund.members):
        assert m.first_name not in text and m.number not in text
    english = client.get("/public/LP/?lang=en").content.decode()
    assert "Loan portfolio quality of the groups together" in english
    assert figure(english, "not-reported") == "1 group"
    assert "คุณภาพสินเชื่อ" not in english


def test_the_money_of_fewer_than_5_loans_is_not_shown(client, tree, reported):
    lending(tree.group_a, 2)
    lending(tree.group_b, 1)
    lending(tree.group_c, 1)
    reported(tree.group_a, tree.group_b, tree.group_c)
    text = client.get("/public/LP/").content.decode()
    assert figure(text, "loans") == "–" and figure(text, "par30") == "–"
    assert "&lt; 5 สัญญา" in text and "40,000.00" not in text


def test_no_loans_part_where_no_group_lends(client, tree, reported, post):
    for g in (tree.group_a, tree.group_b, tree.group_c):
        post(g, dt.date(2026, 1, 5), "Dr 1100 100\nCr 4300 100")
    reported(tree.group_a, tree.group_b, tree.group_c)
    text = client.get("/public/LP/").content.decode()
    assert 'data-figure="loans"' not in text and "คุณภาพสินเชื่อ" not in text
    assert 'data-figure="not-reported"' not in text


def test_the_figures_api_carries_each_groups_loans(client, tree, reported):
    """The consolidated figures of the API carry what the pages show of loans, per group and
    summed: outstanding, PAR30, write-offs, borrowers (issue 17: "network facts gain loans
    outstanding, PAR30 and write-offs per group")."""
    a_fund, a_loans = lending(tree.group_a, 3)
    lending(tree.group_b, 2)
    for loan in a_loans:
        pay_on_time(a_fund, loan)  # B's borrowers pay nothing: more than 30 days late by June
    reported(tree.group_a, tree.group_b)
    june = dt.date(2026, 6, 30)
    client.force_login(make_user(tree.zone, Role.COORDINATOR))
    response = client.get(f"/api/v1/network/{tree.zone.code}/figures", {"to_month": "2026-06"})
    assert response.status_code == 200
    body = response.json()
    rows = {r["code"]: r for r in body["rows"]}
    a, b = rows[tree.group_a.code], rows[tree.group_b.code]
    a_out = sum(s.outstanding for _loan, s in loans.standings(tree.group_a, june))
    assert (a["loans_count"], a["loans_outstanding"], a["par30"], a["borrowers"]) == (3, a_out, 0, 3)
    assert (b["loans_count"], b["loans_outstanding"], b["par30"], b["borrowers"]) == (2, 20_000_00, 20_000_00, 2)
    assert a["write_offs"] == b["write_offs"] == a["write_off_count"] == 0
    total = body["total"]
    assert (total["loans_outstanding"], total["par30"], total["loans_count"]) == (a_out + 20_000_00, 20_000_00, 5)
