"""Nobody is shown a door their role cannot open.

Each demo login walks the pages from where it lands (``crawl.walk``: every link followed, one
page of a kind twice at most) and tries every door it saw: a link is opened, a form is sent as
it stands (inside a rolled-back savepoint, so nothing is written), an htmx call is made. None
may answer 403 (a menu item, form or button the role cannot use) or 404 (a dead link). The
templates ask one helper for this, ``may`` (``orgs.scoping.Access.may``), the same decision
``org_view`` takes at the door.

Size: the demo's two groups of about 20 members over a year, with its nine logins, built once
for the module's tests (each runs in a savepoint inside the module's transaction, rolled back
after it: what one test writes the next never sees; the demo is rolled back after the last).
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from omboon.demo import generator
from omboon.members.models import Member
from omboon.orgs import scoping
from omboon.web.tests.crawl import _route, walk

pytestmark = pytest.mark.django_db

LOGINS = ["treasurer", "chair", "secretary", "committee", "auditor", "member", "coord-zone",
          "coord-province", "admin"]
REFUSED = {403, 404}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        generator.build(seed=1, groups=2, members=12, years=1, end=timezone.localdate())
        yield
        transaction.set_rollback(True)


def _login(client, username: str):
    client.force_login(get_user_model().objects.get(username=username))
    client.cookies["django_language"] = "th"


def _answer(client, door) -> int:
    if door.method == "get":
        return client.get(door.url).status_code
    with transaction.atomic():
        status = client.post(door.url, door.data).status_code
        transaction.set_rollback(True)
    return status


def _landing(client) -> str:
    return client.get("/").url


def closed_doors(client, start: str) -> tuple[dict, list[str]]:
    pages, doors = walk(client, [start], limit=300)
    tried, refused, per_route = set(), [], Counter()
    for door in doors:
        key = (door.method, door.url)
        if key in tried or door.url.startswith(("/i18n/", "/logout/", "/static/")):
            continue
        tried.add(key)
        route = (door.method, _route(urlsplit(door.url).path))
        per_route[route] += 1
        if per_route[route] > 3:  # the fourth member's link answers as the first three did
            continue
        page = pages.get(door.url) if door.method == "get" else None
        status = page.status if page is not None else _answer(client, door)
        if status in REFUSED:
            refused.append(f"{status} {door}")
    return pages, refused


def test_no_role_is_shown_a_door_it_cannot_open(demo, client):
    problems = []
    for username in LOGINS:
        _login(client, username)
        pages, refused = closed_doors(client, _landing(client))
        assert len(pages) >= (4 if username == "member" else 30), (username, sorted(pages))  # it went somewhere
        problems += [f"{username}: {door}" for door in refused]
    assert not problems, "doors shown to a role that refuse it:\n" + "\n".join(problems)
    # The control: the voucher form refuses a committee member, so a link to it on their
    # pages would have been caught above.
    _login(client, "committee")
    assert client.get("/o/BDC/ledger/vouchers/new/?kind=payment").status_code == 403


def test_work_flows_from_where_each_one_stands(demo, client):
    # A member lands on their own passbook and benefits, with a menu of their own.
    _login(client, "member")
    home = client.get(_landing(client))
    text = home.content.decode()
    assert "สมุดบัญชีสมาชิก" in text and "สวัสดิการของฉัน" in text and "/contributions/passbook/" in text
    assert [str(item.label) for item in home.context["shell"].nav] == ["หน้าแรก", "สมุดของฉัน"]

    # A coordinator reads a group's payments but is offered no payment form.
    _login(client, "coord-zone")
    page = client.get("/o/BDC/contributions/").content.decode()
    assert 'contributions/collect/"' not in page and "/contributions/pay/" not in page
    assert "/ledger/vouchers/new/" not in client.get("/o/BDC/ledger/").content.decode()

    # The treasurer goes from a member's page to the payment, the passbook and a new claim,
    # and from the list to a new member.
    _login(client, "treasurer")
    member = (Member.objects.filter(organisation__code="BDC", status=Member.Status.ACTIVE)
              .order_by("number").first())
    page = client.get(f"/o/BDC/members/{member.pk}/").content.decode()
    assert f"/o/BDC/contributions/pay/?member_id={member.pk}" in page
    assert f"/o/BDC/contributions/passbook/{member.pk}/" in page
    assert f"/o/BDC/welfare/claims/new/?member={member.number}" in page
    assert "/o/BDC/members/new/" in client.get("/o/BDC/members/").content.decode()

    # "Close this month" only for a month that has ended; else the rule says why not.
    page = client.get("/o/BDC/ledger/periods/")
    today = timezone.localdate()
    nxt = next(r for r in page.context["page"].object_list if r["is_next"])
    ended = (nxt["year"], nxt["month"]) < (today.year, today.month)
    assert ("ปิดบัญชีเดือนนี้" in page.content.decode()) == ended
    if not ended:
        assert "ปิดบัญชีได้เมื่อสิ้นเดือนแล้วเท่านั้น" in page.content.decode()

    # The auditor reads the same member page without the treasurer's buttons.
    _login(client, "auditor")
    page = client.get(f"/o/BDC/members/{member.pk}/").content.decode()
    assert "/contributions/pay/" not in page and "/welfare/claims/new/" not in page
    assert f"/o/BDC/contributions/passbook/{member.pk}/" in page


def test_may_reads_the_capabilities():
    may = scoping.Capabilities({scoping.VIEW, scoping.RECORDS}, staff=True)
    assert may.records and may["view"] and not may.write and not may.anything_else
    assert may.staff and not scoping.Capabilities({scoping.VIEW}).staff
    assert not scoping.NOTHING

