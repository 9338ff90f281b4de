"""Savings over /api/v1/savings/{org}/…: the chair sets up a product, the treasurer opens an
account, takes a deposit and asks for a withdrawal, the chair approves it; refusals are 422
with every problem in Thai and English, and write nothing."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from omboon.savings.models import Account, Withdrawal

from .conftest import make_member

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_products_accounts_deposits_withdrawals_and_statements(sg):
    treasurer, chair = _client(sg.treasurer), _client(sg.chair)
    base = f"/api/v1/savings/{sg.group.code}"
    r = post(chair, f"{base}/products", {"code": "KID", "kind": "voluntary", "name_th": "ออมทรัพย์เด็ก",
                                         "effective_from": "2024-01-01",
                                         "terms": {"min_balance": 5000, "withdrawal_fee": 0}})
    assert r.status_code == 201, r.content
    assert r.json()["terms"]["min_balance"] == 5000
    assert "KID" in [p["code"] for p in treasurer.get(f"{base}/products").json()]
    member = sg.members[0]
    r = post(treasurer, f"{base}/accounts", {"member": member.number, "product": "KID", "opened_on": "2024-01-02"})
    assert r.status_code == 201, r.content
    number = r.json()["number"]
    r = post(treasurer, f"{base}/accounts/{number}/deposits", {"amount": 100_000, "date": "2024-01-05",
                                                               "idempotency_key": "cd-2024-01-05-1"})
    assert r.status_code == 201 and r.json()["balance"] == 100_000
    r = post(treasurer, f"{base}/accounts/{number}/withdrawals", {"amount": 40_000, "date": "2024-01-06"})
    assert r.status_code == 201 and r.json()["status"] == "requested"
    wid = r.json()["id"]
    r = post(chair, f"{base}/withdrawals/{wid}/approve", {})
    assert r.status_code == 200 and r.json()["status"] == "paid" and r.json()["document_number"].startswith("PV")
    assert treasurer.get(f"{base}/accounts/{number}").json()["balance"] == 60_000
    st = treasurer.get(f"{base}/accounts/{number}/statement?start=2024-01-06").json()
    assert st["brought_forward"] == 100_000 and st["balance"] == 60_000
    assert [(ln["deposit"], ln["withdrawal"]) for ln in st["lines"]] == [(0, 40_000)]
    listed = treasurer.get(f"{base}/accounts?member={member.number}").json()
    assert [(a["number"], a["balance"]) for a in listed] == [(number, 60_000)]


def test_refusals_are_problems_and_write_nothing(sg):
    treasurer = _client(sg.treasurer)
    base = f"/api/v1/savings/{sg.group.code}"
    member = make_member(sg.group)
    number = post(treasurer, f"{base}/accounts", {"member": member.number, "product": "VOL",
                                                  "opened_on": "2024-01-02"}).json()["number"]
    r = post(treasurer, f"{base}/accounts/{number}/withdrawals", {"amount": 1_000, "date": "2024-01-06"})
    assert r.status_code == 422
    (p,) = r.json()["errors"]
    assert p["field"] == "amount" and "ยอดเงินไม่พอ" in p["message_th"] and "not enough money" in p["message_en"]
    r = post(treasurer, f"{base}/accounts/{number}/deposits", {"amount": 0})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "amount"
    assert not Withdrawal.objects.exists()
    r = post(treasurer, f"{base}/products", {"code": "X", "kind": "voluntary", "name_th": "x",
                                             "effective_from": "2024-01-01"})
    assert r.status_code == 403  # products are the chair's (manage)
    assert Account.objects.filter(member=member).count() == 1


def test_the_passbook_a_reversal_and_a_payout_over_the_api(sg):
    import datetime as dt

    from omboon.members import services as members
    from omboon.savings import services

    account = services.account_open(actor=sg.treasurer, organisation=sg.group, member=sg.members[0],
                                    product=sg.products["SAJ"], opened_on=dt.date(2024, 1, 1))
    first = services.deposit(actor=sg.treasurer, account=account, amount=300_00, date=dt.date(2024, 1, 5))
    services.deposit(actor=sg.treasurer, account=account, amount=200_00, date=dt.date(2024, 1, 6))
    treasurer, chair = _client(sg.treasurer), _client(sg.chair)
    base = f"/api/v1/savings/{sg.group.code}"
    book = treasurer.get(f"{base}/accounts/{account.number}/passbook").json()
    assert [(r["position"], r["item"], r["balance"], r["printed"]) for r in book["rows"]] == [
        (1, "deposit", 300_00, False), (2, "deposit", 500_00, False)]

    r = post(chair, f"{base}/accounts/{account.number}/reversals", {"document": "RV2567/99999", "reason": "ผิด"})
    assert r.status_code == 422  # not one of the account's movements
    r = post(chair, f"{base}/accounts/{account.number}/reversals", {"document": first.document_number,
                                                                    "reason": "ผิดบัญชี"})
    assert r.status_code == 201, r.content
    assert r.json()["balance"] == 200_00

    member = sg.members[0]
    r = post(treasurer, f"{base}/members/{member.number}/payout", {"date": "2024-02-01"})
    assert r.status_code == 422 and "has not left" in r.content.decode()
    members.member_status_change(actor=None, member=member, status="resigned", on="2024-02-01", reason="ลาออก")
    r = post(treasurer, f"{base}/members/{member.number}/payout", {"date": "2024-02-01"})
    assert r.status_code == 201, r.content
    assert [w["amount"] for w in r.json()] == [200_00]
