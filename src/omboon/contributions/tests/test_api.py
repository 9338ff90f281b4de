"""The contributions API: issue, idempotent double submit, void, collection day with every bad
row, grants, coverage and passbooks (a member reads only their own), groups kept apart."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from omboon.contributions.models import Kind, Receipt
from omboon.contributions.tests.conftest import make_member
from omboon.orgs.models import Role
from omboon.testing.factories import make_user


@pytest.fixture
def api(treasurer):
    c = Client()
    c.force_login(treasurer)
    return c


def post(c, path, data):
    return c.post(f"/api/v1/contributions/{path}", data, content_type="application/json")


def test_issue_void_and_read_receipts(api, group):
    m = make_member(group, join_date=dt.date(2024, 1, 1))
    today = timezone.localdate().isoformat()
    body = {"member_id": m.pk, "date": today, "items": [{"kind": Kind.DAILY_SAVING, "amount": 3100}],
            "idempotency_key": "api-1"}
    r1 = post(api, f"{group.code}/receipts", body)
    assert r1.status_code == 201, r1.content
    r2 = post(api, f"{group.code}/receipts", body)
    assert r2.json()["id"] == r1.json()["id"] and Receipt.objects.count() == 1
    rid = r1.json()["id"]
    assert r1.json()["items"][0]["period_from"] == "2024-01-01"
    bad = post(api, f"{group.code}/receipts", {**body, "idempotency_key": None,
                                               "items": [{"kind": Kind.DAILY_SAVING, "amount": 0}]})
    assert bad.status_code == 422 and bad.json()["errors"][0]["message_en"]
    voided = post(api, f"{group.code}/receipts/{rid}/void", {"reason": "ผิด"})
    assert voided.status_code == 200 and voided.json()["status"] == "void"
    listed = api.get(f"/api/v1/contributions/{group.code}/receipts").json()
    assert listed["count"] == 1
    cov = api.get(f"/api/v1/contributions/{group.code}/members/{m.pk}/coverage").json()
    assert cov["kinds"][0]["paid"] == 0


def test_collection_day_and_grants(api, group):
    members = [make_member(group, join_date=dt.date(2024, 1, 1)) for _ in range(3)]
    today = timezone.localdate().isoformat()
    rows = [{"member_id": m.pk, "amount": 3100} for m in members]
    done = post(api, f"{group.code}/collection-days", {"date": today, "rows": rows})
    assert done.status_code == 201 and done.json()["count"] == 3 and len(done.json()["receipts"]) == 3
    bad = post(api, f"{group.code}/collection-days",
               {"date": today, "rows": [{"member_id": members[0].pk, "amount": -1}, {"number": "nope", "amount": 5}]})
    assert bad.status_code == 422 and sorted({e["row"] for e in bad.json()["errors"]}) == [1, 2]
    grant = post(api, f"{group.code}/grants", {"kind": Kind.STATE_MATCHING, "amount": 500000, "payer_name": "พอช.",
                                              "date": today})
    assert grant.status_code == 201 and grant.json()["member_id"] is None
    assert api.get(f"/api/v1/contributions/{group.code}/arrears").status_code == 200


def test_scoping_and_the_members_own_passbook(group, tree, treasurer):
    me = make_member(group, join_date=dt.date(2024, 1, 1))
    other = make_member(group, join_date=dt.date(2024, 1, 1))
    user = make_user(group, Role.MEMBER, username="api-member")
    me.user = user
    me.save()
    c = Client()
    c.force_login(user)
    assert c.get(f"/api/v1/contributions/{group.code}/members/{me.pk}/passbook").status_code == 200
    assert c.get(f"/api/v1/contributions/{group.code}/members/{other.pk}/passbook").status_code == 404
    assert c.get(f"/api/v1/contributions/{group.code}/receipts").status_code == 403
    auditor = make_user(group, Role.AUDITOR, username="api-auditor")
    c.force_login(auditor)
    assert post(c, f"{group.code}/receipts", {"member_id": me.pk, "date": "2025-01-01",
                "items": [{"kind": "annual_fee", "amount": 100}]}
                ).status_code == 403
    b_member = make_member(tree.group_b)
    c.force_login(treasurer)
    assert c.get(f"/api/v1/contributions/{group.code}/members/{b_member.pk}/coverage").status_code == 404
    assert c.get(f"/api/v1/contributions/{tree.group_b.code}/receipts").status_code == 404


def test_a_collection_day_in_pieces(api, group):
    a, b = (make_member(group, join_date=dt.date(2024, 1, 1)) for _ in range(2))
    today = timezone.localdate().isoformat()
    piece = {"key": "api-1", "rows": [{"member_id": a.pk, "amount": "๓๑"}, {"member_id": b.pk, "amount": 4000}]}
    first = post(api, f"{group.code}/collection-drafts/{today}/pieces", piece)
    assert first.status_code == 200 and (first.json()["count"], first.json()["total"]) == (2, 7100)
    again = post(api, f"{group.code}/collection-drafts/{today}/pieces", piece)
    assert again.json()["repeated"] is True and again.json()["count"] == 2
    draft = api.get(f"/api/v1/contributions/{group.code}/collection-drafts/{today}").json()
    assert draft["count"] == 2 and sorted(ln["member_id"] for ln in draft["lines"]) == sorted([a.pk, b.pk])
    stale = post(api, f"{group.code}/collection-drafts/{today}/post", {"count": 1, "total": 3100})
    assert stale.status_code == 422
    done = post(api, f"{group.code}/collection-drafts/{today}/post", {"count": 2, "total": 7100})
    assert done.status_code == 201 and done.json()["count"] == 2 and len(done.json()["receipts"]) == 2
