"""The member rules on their own: pure functions returning Problems, never raising."""

import datetime as dt

from omboon.members import rules
from omboon.members.tests.helpers import pid, row

TODAY = dt.date(2026, 11, 22)


def test_a_good_row_has_no_problems():
    assert rules.check_member(row(1), today=TODAY) == []


def test_problems_carry_the_row_number():
    problems = rules.check_member(row(1, sex="", first_name=""), today=TODAY, row=12)
    assert {(p.row, p.field) for p in problems} == {(12, "sex"), (12, "first_name")}


def test_dates():
    assert rules.check_dates(dt.date(1960, 1, 1), dt.date(2020, 1, 1), today=TODAY) == []
    [p] = rules.check_dates(dt.date(2021, 1, 1), dt.date(2020, 1, 1), today=TODAY)
    assert p.field == "birth_date" and "born after joining" in p.message_en
    [p] = rules.check_dates(dt.date(1960, 1, 1), dt.date(2026, 11, 23), today=TODAY)
    assert p.field == "join_date" and "ในอนาคต" in p.message_th
    [p] = rules.check_dates(dt.date(1899, 12, 31), dt.date(2020, 1, 1), today=TODAY)
    assert p.field == "birth_date" and "1900" in p.message_en
    fields = [p.field for p in rules.check_dates(None, None, today=TODAY)]
    assert fields == ["birth_date", "join_date"]


def test_national_id_fast_path_agrees_with_the_core_check():
    for n in range(1, 300):
        good = pid(n)
        bad = good[:12] + str((int(good[12]) + 3) % 10)
        assert rules.id_is_valid(good) and rules.check_national_id(good) == []
        assert not rules.id_is_valid(bad)
        assert rules.check_national_id(bad)[0].field == "national_id"


def test_geography_reuses_the_organisations_rule_with_a_row():
    assert rules.check_geography("52", "5201", "520101") == []
    [p] = rules.check_geography("52", "5201", "100101", row=4)
    assert (p.field, p.row) == ("subdistrict_code", 4)
    # Cached results are shared but the row is each caller's own.
    [q] = rules.check_geography("52", "5201", "100101", row=9)
    assert q.row == 9 and p.row == 4


def test_status():
    assert rules.check_status("active", None, dt.date(2020, 1, 1), today=TODAY) == []
    assert rules.check_status("deceased", dt.date(2024, 1, 1), dt.date(2020, 1, 1), today=TODAY) == []
    [p] = rules.check_status("expelled", None, dt.date(2020, 1, 1), today=TODAY)
    assert p.field == "status_date"
    [p] = rules.check_status("gone", None, None, today=TODAY)
    assert p.field == "status"


def test_network_is_not_a_members_organisation(tree):
    assert rules.check_organisation(tree.group_a) == []
    [p] = rules.check_organisation(tree.zone)
    assert p.field == "organisation" and p.value == "LP-S"


def test_unique_within_the_group(tree):
    from omboon.members import services

    services.member_create(actor=None, organisation=tree.group_a, **row(1))
    assert rules.check_unique(tree.group_a, number="0002", national_id_value=pid(2)) == []
    fields = {p.field for p in rules.check_unique(tree.group_a, number="0001", national_id_value=pid(1))}
    assert fields == {"number", "national_id"}
    # Another group may use the same number and hold the same person.
    assert rules.check_unique(tree.group_b, number="0001", national_id_value=pid(1)) == []
