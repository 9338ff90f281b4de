"""Loans over HTTP: the lifecycle through /api/v1/loans/, refusals as the Problem list."""

from __future__ import annotations

import pytest
from django.test import Client

from omboon.loans.models import Loan, Repayment
from omboon.loans.tests.conftest import apply, disbursed

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def api(org, tail=""):
    return f"/api/v1/loans/{org.code}{tail}"


def test_apply_approve_disburse_repay_over_the_api(fund):
    treasurer, chair = client_for(fund.treasurer), client_for(fund.chair)
    borrower, g1, g2 = fund.members[:3]
    r = treasurer.post(api(fund.group), {"product": "GEN", "member": borrower.number, "principal": 30_000_00,
                                         "purpose": "ซื้อปุ๋ย", "guarantors": [g1.number, g2.number],
                                         "guarantors_consented": [g1.number],
                                         "applied_on": "2026-01-05"}, content_type="application/json")
    assert r.status_code == 201, r.content
    loan = r.json()
    assert loan["status"] == "applied" and sorted(loan["guarantors"]) == sorted([g1.number, g2.number])
    assert [(c["member"], c["consent"], c["consent_on"], c["recorded_by"]) for c in loan["guarantor_consents"]] == [
        (g1.number, "given", "2026-01-05", fund.treasurer.username), (g2.number, "pending", None, None)]
    own = treasurer.post(api(fund.group, f"/{loan['id']}/approve"))
    assert own.status_code == 422 and own.json()["errors"][0]["field"] == "approved_by"
    waiting = chair.post(api(fund.group, f"/{loan['id']}/approve"))  # g2 has not signed yet
    assert waiting.status_code == 422
    assert [e["message_th"] for e in waiting.json()["errors"]] == [
        f"ผู้ค้ำ {g2.number} {g2.full_name} ยังไม่ยินยอมค้ำประกัน"]
    signed = treasurer.post(api(fund.group, f"/{loan['id']}/guarantors/{g2.number}/consent"), {"date": "2026-01-06"},
                            content_type="application/json")
    assert signed.status_code == 200, signed.content
    assert [c["consent"] for c in signed.json()["guarantor_consents"]] == ["given", "given"]
    assert chair.post(api(fund.group, f"/{loan['id']}/approve")).json()["status"] == "approved"
    out = treasurer.post(api(fund.group, f"/{loan['id']}/disburse"), {"date": "2026-01-15"},
                         content_type="application/json").json()
    assert out["status"] == "disbursed" and out["first_due"] == "2026-02-15" and out["disbursement"]
    paid = treasurer.post(api(fund.group, f"/{loan['id']}/repay"), {"amount": 1_000_00, "date": "2026-02-15"},
                          content_type="application/json")
    assert paid.status_code == 201 and paid.json()["interest"] == 300_00 and paid.json()["principal"] == 700_00
    detail = treasurer.get(api(fund.group, f"/{loan['id']}")).json()
    assert detail["outstanding_principal"] == 29_300_00 and len(detail["schedule"]) == 12
    assert sum(i["principal"] for i in detail["schedule"]) == 30_000_00
    assert [x["amount"] for x in detail["repayments"]] == [1_000_00]


def test_refusals_write_nothing(fund):
    treasurer = client_for(fund.treasurer)
    r = treasurer.post(api(fund.group), {"product": "GEN", "member": fund.members[0].number,
                                         "principal": 60_000_00, "purpose": "x"}, content_type="application/json")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "principal"
    r = treasurer.post(api(fund.group), {"product": "GEN", "member": "X", "principal": -1, "purpose": "",
                                         "colour": "red"}, content_type="application/json")
    assert r.status_code == 422 and {e["field"] for e in r.json()["errors"]} >= {"principal", "purpose", "colour"}
    loan = disbursed(fund)
    r = treasurer.post(api(fund.group, f"/{loan.pk}/repay"), {"amount": 999_999_00}, content_type="application/json")
    assert r.status_code == 422 and "overpayment" in r.json()["errors"][0]["message_en"]
    assert Loan.objects.count() == 1 and not Repayment.objects.exists()


def test_list_portfolio_and_products(fund):
    disbursed(fund, member=fund.members[1])
    apply(fund, member=fund.members[2])
    treasurer = client_for(fund.treasurer)
    assert treasurer.get(api(fund.group)).json()["count"] == 2
    assert treasurer.get(api(fund.group, "?status=applied")).json()["count"] == 1
    assert treasurer.get(api(fund.group, f"?status=all&q={fund.members[1].number}")).json()["count"] == 1
    p = treasurer.get(api(fund.group, "/portfolio?on=2026-05-01")).json()
    assert p["gross_outstanding"] == 20_000_00 and p["at_risk"]["PAR30"] == 20_000_00 and p["par"]["PAR30"] == 1.0
    (product,) = treasurer.get(api(fund.group, "/products")).json()
    assert product["code"] == "GEN" and product["max_amount"] == 50_000_00


def test_another_group_sees_nothing(fund, tree):
    from omboon.orgs.models import Role
    from omboon.testing.factories import make_user
    loan = disbursed(fund)
    other = client_for(make_user(tree.group_a, Role.CHAIR))
    assert other.get(api(fund.group)).status_code == 404
    assert other.get(f"/api/v1/loans/{tree.group_a.code}/{loan.pk}").status_code == 404


def test_write_off_and_recovery_over_the_api_each_approved_by_a_second_person(fund):
    treasurer, chair = client_for(fund.treasurer), client_for(fund.chair)
    loan = disbursed(fund)
    asked = treasurer.post(api(fund.group, f"/{loan.pk}/write-off"),
                           {"reason": "ย้ายออก", "against": "allowance", "date": "2026-09-30"},
                           content_type="application/json")
    assert asked.status_code == 201 and asked.json()["amount"] == 20_000_00 and asked.json()["status"] == "pending"
    tail = f"/{loan.pk}/adjustments/{asked.json()['id']}"
    own = treasurer.post(api(fund.group, tail + "/approve"))
    assert own.status_code == 422 and own.json()["errors"][0]["field"] == "approved_by"
    done = chair.post(api(fund.group, tail + "/approve")).json()
    assert done["status"] == "approved" and done["document_number"]
    repay = treasurer.post(api(fund.group, f"/{loan.pk}/repay"), {"amount": 100_00, "date": "2026-10-01"},
                           content_type="application/json")
    assert repay.status_code == 422 and "recovery instead" in repay.content.decode()
    rec = treasurer.post(api(fund.group, f"/{loan.pk}/recover"), {"amount": 500_00, "reason": "คืน",
                                                                  "date": "2026-10-02"},
                         content_type="application/json")
    assert rec.status_code == 201 and rec.json()["kind"] == "recover"
    bad = treasurer.post(api(fund.group, f"/{loan.pk}/write-off"), {"reason": "x", "against": "elsewhere"},
                         content_type="application/json")
    assert bad.status_code == 422
    detail = treasurer.get(api(fund.group, f"/{loan.pk}")).json()
    assert detail["loan"]["status"] == "written_off" and len(detail["adjustments"]) == 2
