"""Worked examples of the members API: search, one member (ID masked), create, beneficiaries."""

import pytest

from omboon.core.models import AuditEvent
from omboon.members import services
from omboon.members.models import Beneficiary, Member
from omboon.members.tests.helpers import pid, row
from omboon.orgs.models import Role
from omboon.testing.factories import make_user

NEW = {"first_name": "บัวผัน", "last_name": "ใจงาม", "sex": "หญิง", "national_id": pid(7),
       "birth_date": "17/5/2513", "join_date": "2015-03-01", "moo": "3", "low_income": True}


@pytest.fixture
def members(tree):
    return [services.member_create(actor=None, organisation=tree.group_a, **row(n)) for n in (1, 2)] + [
        services.member_create(actor=None, organisation=tree.group_b, **row(3))]


def _json(c, method, path, body):
    return getattr(c, method)(f"/api/v1/members/{path}", body, content_type="application/json")


def test_list_and_search_a_group(client, tree, treasurer, members):
    client.force_login(treasurer)
    listed = client.get("/api/v1/members/BDC").json()
    assert listed["count"] == 2 and [m["number"] for m in listed["items"]] == ["0001", "0002"]
    found = client.get("/api/v1/members/BDC", {"q": "สมชาย"}).json()
    assert [m["first_name"] for m in found["items"]] == ["สมชาย"]


def test_a_coordinator_lists_every_group_below_the_network(client, tree, members):
    client.force_login(make_user(tree.zone, Role.COORDINATOR))
    groups = [m["group"] for m in client.get("/api/v1/members/LP-S").json()["items"]]
    assert sorted(groups) == ["BDC", "BDC", "MPA"]


def test_one_member_has_the_id_masked(client, tree, treasurer, members):
    client.force_login(treasurer)
    body = client.get(f"/api/v1/members/BDC/{members[0].pk}").json()
    assert body["national_id_masked"].startswith("x-xxxx-xxxxx-")
    assert "national_id" not in body and pid(1) not in str(body)


def test_another_groups_member_is_404(client, tree, treasurer, members):
    client.force_login(treasurer)
    assert client.get(f"/api/v1/members/BDC/{members[2].pk}").status_code == 404
    assert client.get(f"/api/v1/members/MPA/{members[2].pk}").status_code == 404


def test_create_with_thai_dates_and_422_with_problems(client, tree, treasurer):
    client.force_login(treasurer)
    made = _json(client, "post", "BDC", NEW)
    assert made.status_code == 201, made.content
    assert (made.json()["number"], made.json()["birth_date"], made.json()["low_income"]) == (
        "0001", "1970-05-17", True)
    again = _json(client, "post", "BDC", NEW)
    assert again.status_code == 422
    [problem] = again.json()["errors"]
    assert problem["field"] == "national_id" and problem["code"] == "duplicate"
    assert Member.objects.count() == 1


def test_read_only_roles_may_not_create(client, tree):
    client.force_login(make_user(tree.group_a, Role.AUDITOR))
    assert _json(client, "post", "BDC", NEW).status_code == 403
    assert not Member.objects.exists()


def test_beneficiaries_get_and_replace(client, tree, treasurer, members):
    client.force_login(treasurer)
    path = f"BDC/{members[0].pk}/beneficiaries"
    rows = [{"name": "สมชาย ใจดี", "relation": "บุตร", "share_percent": 70},
            {"name": "สมหญิง ใจดี", "relation": "บุตร", "share_percent": 30}]
    assert _json(client, "put", path, rows).json() == [{**r, "phone": ""} for r in rows]
    assert [b["name"] for b in client.get(f"/api/v1/members/{path}").json()] == ["สมชาย ใจดี", "สมหญิง ใจดี"]
    refused = _json(client, "put", path, [{"name": "", "share_percent": 100}])
    assert refused.status_code == 422 and refused.json()["errors"][0]["row"] == 1
    assert Beneficiary.objects.count() == 2
    assert AuditEvent.objects.filter(action="members.beneficiaries_set").count() == 1
    client.force_login(make_user(tree.group_a, Role.AUDITOR))
    assert _json(client, "put", path, rows).status_code == 403
