"""Public pages withhold small numbers (issue 12, part 7), worked examples.

The rule (``omboon.network.public``): a count of people or cases of 1–4 shows "< 5", and a total
over such a count shows only the range its shown cells allow; an aggregate of fewer than 3
reporting groups — or one that, subtracted from another public page, would leave 1–2 groups —
shows no figure and names no group; money of a published aggregate is exact.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from django.core.cache import cache

from omboon.network import public, services
from omboon.network.models import ym_of
from omboon.network.tests.conftest import make_member
from omboon.orgs.models import Organisation
from omboon.testing.factories import make_group

FEB = ym_of(2025, 2)
JAN_5, FEB_5 = dt.date(2025, 1, 5), dt.date(2025, 2, 5)


@pytest.fixture
def report(post):
    """``report(group, members=n, fund=baht, cases={account: n})``: members, a receipt into the
    fund, one payment per case, then the month's facts."""

    def _report(group, *, members: int, fund: str = "1000", cases: dict[str, int] | None = None):
        for _ in range(members):
            make_member(group, first_name="ส่วนตัว")
        post(group, JAN_5, f"Dr 1100 {fund}\nCr 4300 {fund}")
        for account, n in (cases or {}).items():
            for _ in range(n):
                post(group, FEB_5, f"Dr {account} 100\nCr 1100 100", doc_type="payment")
        services.facts_recompute(actor=None, organisation=group, through=FEB)

    cache.clear()
    return _report


def figure(text: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}">([^<]*)<', text)
    assert match, f"no {name} figure"
    return match.group(1)


def test_a_network_of_one_group_publishes_none_of_its_counts_or_names(client, tree, report):
    # LP-N holds one group, Ngao: 2 members, 2 disability cases, a fund of 1,234.50 baht
    report(tree.group_c, members=2, fund="1234.50", cases={"5140": 2})
    for lang in ("th", "en"):
        text = client.get(f"/public/LP-N/?lang={lang}").content.decode()
        assert "data-figure" not in text and "<svg" not in text and "<table" not in text
        assert "กองทุนสวัสดิการงาว" not in text and "Ngao" not in text and "NGA" not in text
        assert "1,234.50" not in text and "1,034.50" not in text and "200.00" not in text
        assert "ผู้พิการ" not in text and "Disability" not in text
        # withheld, said in Thai and in English whichever language the page is in
        assert "น้อยกว่า 3 กลุ่ม" in text and "fewer than 3 groups report here" in text
    # so does the province network above it while only that one group reports
    assert "data-figure" not in client.get("/public/LP/").content.decode()
    assert "data-figure" not in client.get("/public/province/52/").content.decode()


def test_three_groups_with_a_category_of_two_cases_show_less_than_5_and_no_total_recovers_it(
        client, tree, report):
    # LP: A and B (zone LP-S) and C (zone LP-N); 7 funeral cases, 2 disability cases (all C's)
    report(tree.group_a, members=10, cases={"5130": 3})
    report(tree.group_b, members=6, cases={"5130": 4})
    report(tree.group_c, members=4, cases={"5140": 2})
    text = client.get("/public/LP/").content.decode()
    rows = dict(re.findall(r"<tr><td>([^<]+)</td><td class=\"num\" data-cases>([^<]*)</td>", text))
    assert rows == {"ค่าจัดการศพ": "7", "ผู้พิการ/ด้อยโอกาส": "&lt; 5"}
    # the total is not 9 but the range the rows allow: minus the 7 shown, "between 1 and 4"
    assert figure(text, "cases") == "8–11"
    assert ">9<" not in text
    assert figure(text, "members") == "20" and figure(text, "groups") == "3"
    # the zones are one group and two: neither publishes, so LP minus a zone gives nothing
    for zone in ("LP-S", "LP-N"):
        assert "data-figure" not in client.get(f"/public/{zone}/").content.decode()


def test_areas_of_fewer_than_3_groups_are_combined_and_never_named(client, tree, report):
    # Mueang Lampang: A, B, D (zone LP-S); Mae Mo: C alone; Ko Kha: E and F (C, E, F: zone LP-N)
    d = make_group("BDD", "กองทุนสวัสดิการดี", parent=tree.zone)
    e = make_group("EEE", "กองทุนสวัสดิการอี", parent=tree.other_zone)
    f = make_group("FFF", "กองทุนสวัสดิการเอฟ", parent=tree.other_zone)
    for groups, district in (([tree.group_a, tree.group_b, d], "5201"), ([tree.group_c], "5202"), ([e, f], "5203")):
        Organisation.objects.filter(pk__in=[g.pk for g in groups]).update(district_code=district)
    for group, n in ((tree.group_a, 10), (tree.group_b, 6), (d, 5), (tree.group_c, 7), (e, 5), (f, 5)):
        report(group, members=n)
    text = client.get("/public/LP/?lang=en").content.decode()
    rows = re.findall(r"<tr><td>([^<]+)</td><td class=\"num\">(\d+)</td><td class=\"num\" data-members>([^<]*)<", text)
    assert rows == [("Mueang Lampang", "3", "21"), ("Other areas combined", "3", "17")]
    assert "Mae Mo" not in text and "Ko Kha" not in text
    # a page whose areas are all too small shows one combined row
    north = client.get("/public/LP-N/?lang=en").content.decode()
    assert re.findall(r"<tr><td>([^<]+)</td><td class=\"num\">(\d+)</td>", north) == [("All areas combined", "3")]


def test_a_zone_of_5_groups_is_withheld_when_the_province_network_minus_it_is_one_group(
        client, tree, report):
    # the demo's shape: LP-S has 5 groups, LP-N one; LP shown, so LP-S may not be (LP − LP-S = Ngao)
    more = [make_group(f"S{i}", f"กองทุนใต้{i}", parent=tree.zone) for i in range(3)]
    for group in (tree.group_a, tree.group_b, *more):
        report(group, members=6)
    report(tree.group_c, members=6, fund="777.77")
    assert figure(client.get("/public/LP/").content.decode(), "members") == "36"
    zone = client.get("/public/LP-S/?lang=en").content.decode()
    assert "data-figure" not in zone and "subtracted from another public page" in zone
    assert "data-figure" not in client.get("/public/LP-N/").content.decode()


def test_province_page_with_3_groups_shows_exact_money(client, tree, report):
    report(tree.group_a, members=2, fund="1000.25", cases={"5130": 1})
    report(tree.group_b, members=1, fund="2000.50")
    report(tree.group_c, members=1, fund="3000.75", cases={"5140": 1})
    text = client.get("/public/province/52/?lang=en").content.decode()
    # 6,001.50 received, 200.00 paid: money exact though every count is small
    assert figure(text, "fund") == "5,801.50" and figure(text, "benefits") == "200.00"
    assert figure(text, "members") == "&lt; 5" and figure(text, "cases") == "2–8"  # 4 members, 1 + 1 cases
    assert "5,801.50" in text.split('data-members>')[1]  # the area row's fund


def test_suppressed_and_count_breakdown_worked_examples():
    assert [public.suppressed(n) for n in (0, 1, 4, 5, 1234)] == ["0", "< 5", "< 5", "5", "1,234"]
    assert public.count_breakdown([7, 2]) == (["7", "< 5"], "8–11")
    assert public.count_breakdown([2]) == (["< 5"], "< 5")
    assert public.count_breakdown([2, 3]) == (["< 5", "< 5"], "2–8")
    assert public.count_breakdown([5, 0, 120]) == (["5", "0", "120"], "125")


def test_changing_a_small_cell_within_1_to_4_never_changes_what_is_shown():
    """Whatever a reader subtracts, a "< 5" cell could be any of 1–4: every table of up to
    three cells (0–11) shows the same with the cell at 1, 2, 3 or 4."""
    for n in (1, 2, 3):
        for cells in itertools.product(range(12), repeat=n):
            shown = public.count_breakdown(list(cells))
            for i, value in enumerate(cells):
                if 0 < value < 5:
                    for other in (1, 2, 3, 4):
                        changed = list(cells)
                        changed[i] = other
                        assert public.count_breakdown(changed) == shown, (cells, i, other)
