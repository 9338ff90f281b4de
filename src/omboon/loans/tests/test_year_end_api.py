"""The year-end allocation over HTTP (/api/v1/loans/{org}/year-end/{year}): draft, members,
what-if, the two approvals, post and pay; refusals as the Problem list, nothing written."""

from __future__ import annotations

import pytest
from django.test import Client

from omboon.loans.models import YearEndAllocation
from omboon.loans.tests.year_end_books import year_2025

pytestmark = pytest.mark.django_db
POOL = {"model": "pool", "reserve": 20, "dividend": 40, "refund": 20, "welfare": 10, "committee": 5, "public": 5}


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def api(org, tail=""):
    return f"/api/v1/loans/{org.code}/year-end/2025{tail}"


def test_the_year_end_over_the_api():
    books = year_2025()
    treasurer, chair, committee = (client_for(u) for u in (books.treasurer, books.chair, books.committee))
    r = treasurer.post(api(books.group), POOL, content_type="application/json")
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["status"] == "draft" and out["net_income"] == books.net_income == sum(out["parts"].values())
    members = treasurer.get(api(books.group, "/members")).json()
    assert members["count"] == 3 and {m["member"] for m in members["items"]} == {books.a.number, books.b.number,
                                                                                  books.c.number}
    what_if = treasurer.get(api(books.group, "/what-if"), {"reserve": 50, "dividend": 50}).json()
    assert what_if["parts"]["refund"] == 0 and what_if["members_paid"] == 2
    own = treasurer.post(api(books.group, "/approve"), {"meeting_on": "2026-02-15", "resolution": "x"},
                         content_type="application/json")
    assert own.status_code == 422 and own.json()["errors"][0]["field"] == "approved_by"
    assert chair.post(api(books.group, "/approve"), {"meeting_on": "2026-02-15", "resolution": "ตามร่าง"},
                      content_type="application/json").json()["status"] == "decided"
    assert committee.post(api(books.group, "/approve"), {}, content_type="application/json").json()["status"] \
        == "approved"
    posted = treasurer.post(api(books.group, "/post"), {"date": "2026-02-20"}, content_type="application/json")
    assert posted.json()["status"] == "posted" and posted.json()["entry"]
    twice = treasurer.post(api(books.group, "/post"), {"date": "2026-02-20"}, content_type="application/json")
    assert twice.status_code == 422 and twice.json()["errors"][0]["code"] == "status"
    paid = treasurer.post(api(books.group, "/pay"), {"how": "cash", "date": "2026-02-25"},
                          content_type="application/json")
    assert paid.json()["status"] == "paid" and paid.json()["paid_how"] == "cash"


def test_refusals_write_nothing():
    books = year_2025()
    treasurer = client_for(books.treasurer)
    r = treasurer.post(api(books.group), {**POOL, "reserve": 5}, content_type="application/json")
    assert r.status_code == 422 and {e["code"] for e in r.json()["errors"]} == {"reserve_low", "total"}
    r = treasurer.post(api(books.group), {**POOL, "reserve": 101, "colour": "red"}, content_type="application/json")
    assert r.status_code == 422 and {e["field"] for e in r.json()["errors"]} >= {"reserve", "colour"}
    assert treasurer.get(api(books.group)).status_code == 404
    assert not YearEndAllocation.objects.exists()
    committee_refused = client_for(books.committee).post(api(books.group), POOL, content_type="application/json")
    assert committee_refused.status_code == 403  # approves, never drafts
