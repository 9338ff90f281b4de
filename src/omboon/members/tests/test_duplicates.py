"""Worked examples: one person in two groups of a network, found by the keyed hash of the ID."""

import pytest

from omboon.members import selectors, services
from omboon.members.tests.helpers import pid, row
from omboon.orgs.models import Role
from omboon.testing.factories import make_user


@pytest.fixture
def registrations(tree):
    """Person 1 is in groups A and B (both under the southern zone) and in C (northern zone);
    person 2 only in A; person 3 in B and C (different zones)."""
    a1 = services.member_create(actor=None, organisation=tree.group_a, **row(1, number="0007"))
    services.member_create(actor=None, organisation=tree.group_a, **row(2))
    b1 = services.member_create(actor=None, organisation=tree.group_b, **row(1, first_name="ศรี"))
    services.member_create(actor=None, organisation=tree.group_b, **row(3))
    services.member_create(actor=None, organisation=tree.group_c, **row(1))
    services.member_create(actor=None, organisation=tree.group_c, **row(3))
    return a1, b1


def test_the_zone_sees_the_person_in_its_two_groups(tree, registrations, django_assert_num_queries):
    a1, b1 = registrations
    with django_assert_num_queries(1):
        found = selectors.duplicates_in_network(tree.zone)
    assert [[(m.group_code, m.number, m.member_id) for m in person] for person in found] == [
        [("BDC", "0007", a1.pk), ("MPA", b1.number, b1.pk)]]
    assert found[0][1].full_name == "นางศรี ใจดีก" and found[0][0].status_label == "ปกติ"


def test_the_province_sees_every_group_below_it(tree, registrations):
    found = selectors.duplicates_in_network(tree.province)
    assert sorted([m.group_code for m in person] for person in found) == [
        ["BDC", "MPA", "NGA"], ["MPA", "NGA"]]


def test_the_page_shows_groups_numbers_and_names_never_the_id(client, tree, registrations):
    client.force_login(make_user(tree.zone, Role.COORDINATOR))
    response = client.get("/o/LP-S/members/duplicates/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "BDC" in page and "0007" in page and "นางศรี ใจดีก" in page
    digits = page.replace("-", "")
    assert pid(1) not in digits and registrations[0].id_hash not in page


def test_a_group_has_no_duplicates_page(client, tree, treasurer):
    client.force_login(treasurer)
    assert client.get("/o/BDC/members/duplicates/").status_code == 404
