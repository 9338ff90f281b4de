"""/o/<network>/groups/new/ in worked examples: a network's admin sets up a group under it from
the web — it sits in the network's tree with its chart and its chair — and a taken code or two
passwords that differ are refused in the page's language with nothing written."""

import pytest
from django.test import Client

from omboon.ledger.models import Account
from omboon.orgs import selectors
from omboon.orgs.models import Organisation, Role, RoleAssignment
from omboon.testing.factories import make_user

pytestmark = pytest.mark.django_db

FORM = {"code": "DKM", "name_th": "กองทุนสวัสดิการดอกไม้", "group_type": "welfare_fund",
        "province_code": "52", "district_code": "5204", "subdistrict_code": "520401",
        "founded": "15/08/2545", "fiscal_year_start_month": "4", "first_name": "สมศรี",
        "username": "somsri-dkm", "password": "long-enough-1", "password2": "long-enough-1"}


@pytest.fixture
def zone_admin(tree, client):
    admin = make_user(tree.zone, Role.ADMIN, "zone-admin")
    client.force_login(admin)
    return admin


def test_a_network_admin_sets_up_a_group_under_the_network(tree, zone_admin, client):
    assert "/o/LP-S/groups/new/" in client.get("/o/LP-S/").content.decode()  # in the menu
    answer = client.post("/o/LP-S/groups/new/", FORM)
    assert answer.status_code == 302 and answer["Location"] == "/o/DKM/"
    dkm = Organisation.objects.get(code="DKM")
    assert dkm.parent == tree.zone and dkm.fiscal_year_start_month == 4
    assert dkm in selectors.subtree(tree.province)  # the province's tree sees it
    assert Account.objects.filter(organisation=dkm, code="1100").exists()  # its chart
    assert RoleAssignment.objects.filter(user__username="somsri-dkm", organisation=dkm, role=Role.CHAIR).exists()
    assert Client().login(username="somsri-dkm", password="long-enough-1")
    assert client.get("/o/DKM/users/").status_code == 200  # and manages its people from above


def test_a_taken_code_and_differing_passwords_are_refused_with_nothing_written(tree, zone_admin, client):
    answer = client.post("/o/LP-S/groups/new/", {**FORM, "code": "BDC"})
    assert answer.status_code == 422 and "BDC" in answer.content.decode()
    client.cookies["django_language"] = "en"
    html = client.post("/o/LP-S/groups/new/", {**FORM, "password2": "other-one-2"}).content.decode()
    assert "the two passwords differ" in html
    assert not Organisation.objects.filter(code="DKM").exists()


def test_only_a_network_manager_may_and_only_under_a_network(tree, chair, client):
    client.force_login(chair)
    assert client.get("/o/BDC/groups/new/").status_code == 404  # a group has no groups below
    client.force_login(make_user(tree.zone, Role.COORDINATOR))
    assert "/groups/new/" not in client.get("/o/LP-S/").content.decode()
    assert client.get("/o/LP-S/groups/new/").status_code == 403
    assert client.post("/o/LP-S/groups/new/", FORM).status_code == 403
    assert not Organisation.objects.filter(code="DKM").exists()
