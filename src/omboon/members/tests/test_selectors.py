"""Finding members: search by name, number, ID or village, scoped to a group or a network."""

import datetime as dt

import pytest

from omboon.members import selectors, services
from omboon.members.models import Member
from omboon.members.tests.helpers import pid, row


@pytest.fixture
def registry(tree):
    """Group A: four members in two villages; group B: two; group C (another zone): one."""
    a = services.members_bulk_create(actor=None, organisation=tree.group_a, rows=[
        row(1, first_name="คำปัน", last_name="ศรีวงศ์", moo=5),
        row(2, first_name="บุญมี", last_name="ใจดี", moo=5, sex="M"),
        row(3, first_name="ศรีนวล", last_name="คำมา", moo=7, status="resigned",
            status_date=dt.date(2023, 3, 1)),
        row(12, first_name="สมศักดิ์", last_name="ใจดี", moo=7, sex="M"),
    ])
    b = services.members_bulk_create(actor=None, organisation=tree.group_b, rows=[
        row(21, first_name="คำปัน", last_name="แก้วมา", moo=2),
        row(22, first_name="ทองดี", last_name="มีสุข", moo=2, sex="M",
            join_date=dt.date.today().replace(month=1, day=1)),
    ])
    c = services.members_bulk_create(actor=None, organisation=tree.group_c, rows=[
        row(31, first_name="คำปัน", last_name="ดอยงาว", moo=1),
    ])
    return a, b, c


def names(qs):
    return sorted(f"{m.first_name} {m.last_name}" for m in qs)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["คำปัน ศรีวงศ์", "บุญมี ใจดี", "ศรีนวล คำมา", "สมศักดิ์ ใจดี"]),
        ("ใจดี", ["บุญมี ใจดี", "สมศักดิ์ ใจดี"]),            # last name
        ("ศรี", ["คำปัน ศรีวงศ์", "ศรีนวล คำมา"]),           # part of first or last name
        ("คำ ศรี", ["คำปัน ศรีวงศ์", "ศรีนวล คำมา"]),         # every term must match
        ("บุญมี ใจดี", ["บุญมี ใจดี"]),
        ("0002", ["บุญมี ใจดี"]),                           # member number
        ("2", ["บุญมี ใจดี"]),                              # without the leading zeros
        ("๔", ["สมศักดิ์ ใจดี"]),                            # Thai digits
        (pid(3), ["ศรีนวล คำมา"]),                          # the whole national ID
        ("1-0000-00000-01-" + pid(1)[-1], ["คำปัน ศรีวงศ์"]),  # as printed on the card
        ("หมู่ 7", ["ศรีนวล คำมา", "สมศักดิ์ ใจดี"]),         # a village
        ("ม.5", ["คำปัน ศรีวงศ์", "บุญมี ใจดี"]),
        ("หมู่ที่ ๗ ใจดี", ["สมศักดิ์ ใจดี"]),                  # a village and a name
        ("ไม่มีใคร", []),
    ],
)
def test_search_in_a_group(tree, registry, query, expected):
    assert names(selectors.member_list(organisation=tree.group_a, query=query)) == expected


def test_status_filter(tree, registry):
    qs = selectors.member_list(organisation=tree.group_a, status=Member.Status.RESIGNED)
    assert names(qs) == ["ศรีนวล คำมา"]
    assert selectors.member_list(organisation=tree.group_a, status=None).count() == 4


def test_a_network_searches_every_group_below_it_and_no_other(tree, registry):
    assert names(selectors.member_list(organisation=tree.zone, query="คำปัน")) == [
        "คำปัน ศรีวงศ์", "คำปัน แก้วมา"]
    assert names(selectors.member_list(organisation=tree.province, query="คำปัน")) == [
        "คำปัน ดอยงาว", "คำปัน ศรีวงศ์", "คำปัน แก้วมา"]
    # A group never sees another group's members, even one with the same name.
    assert names(selectors.member_list(organisation=tree.group_b, query="คำปัน")) == ["คำปัน แก้วมา"]
    assert selectors.member_list(organisation=tree.zone).count() == 6


def test_member_counts_in_one_query(tree, registry, django_assert_num_queries):
    with django_assert_num_queries(1):
        counts = selectors.member_counts(tree.group_a)
    assert (counts.total, counts.active, counts.resigned, counts.deceased) == (4, 3, 1, 0)
    assert (counts.male, counts.female) == (2, 2)
    assert (counts.active_male, counts.active_female) == (2, 1)
    assert counts.by_status == {"applied": 0, "active": 3, "resigned": 1, "deceased": 0,
                                "expelled": 0}
    assert counts.by_sex == {"M": 2, "F": 2}


def test_member_counts_of_a_network_in_one_query(tree, registry, django_assert_num_queries):
    with django_assert_num_queries(1):
        counts = selectors.member_counts(tree.zone)
    assert (counts.total, counts.active, counts.joined_this_year) == (6, 5, 1)
    assert selectors.member_counts(tree.province).total == 7
    assert selectors.member_counts(tree.other_zone).total == 1


def test_member_counts_of_an_empty_group(tree):
    counts = selectors.member_counts(tree.group_a)
    assert counts.total == 0 and counts.by_status["active"] == 0
