"""Consolidated views: added up from monthly facts at every level and by geography."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from omboon.network import selectors, services
from omboon.network.models import FactMonth, ym_of
from omboon.network.tests.conftest import make_member
from omboon.orgs.models import Role
from omboon.testing.factories import make_user

JAN, FEB = ym_of(2025, 1), ym_of(2025, 2)


@pytest.fixture
def books(tree, post):
    for org, n in ((tree.group_a, 3), (tree.group_b, 2), (tree.group_c, 1)):
        for _ in range(n):
            make_member(org, join_date=dt.date(2024, 5, 1))
        post(org, dt.date(2025, 1, 5), f"Dr 1100 {100 * n}\nCr 4300 {100 * n}")
        post(org, dt.date(2025, 2, 5), f"Dr 5130 {10 * n}\nCr 1100 {10 * n}", doc_type="payment")
        services.facts_recompute(actor=None, organisation=org, through=FEB)
    return tree


def test_the_province_adds_up_its_zones_and_each_zone_its_groups(books):
    tree = books
    province = selectors.consolidated(tree.province, first=JAN, last=FEB)
    assert {r.code: r.figures.members_active for r in province.rows} == {"LP-S": 5, "LP-N": 1}
    assert province.total.members_active == 6 and province.total.groups == 3
    assert province.total.receipts["daily_saving"] == 60_000
    assert province.total.benefits["death"] == 6_000 and province.total.benefit_cases["death"] == 3
    assert province.total.fund_size == 60_000 - 6_000
    zone = selectors.consolidated(tree.zone, first=JAN, last=FEB)
    assert {r.code: r.figures.fund_size for r in zone.rows} == {"BDC": 27_000, "MPA": 18_000}
    assert sum(r.figures.fund_size for r in zone.rows) == zone.total.fund_size


def test_stock_figures_come_from_each_groups_latest_month(books):
    tree = books
    FactMonth.objects.filter(organisation=tree.group_b, ym=FEB).delete()
    from omboon.network.models import MonthlyFact

    MonthlyFact.objects.filter(organisation=tree.group_b, ym=FEB).delete()
    zone = selectors.consolidated(tree.zone, first=JAN, last=FEB)
    mpa = next(r for r in zone.rows if r.code == "MPA")
    assert mpa.figures.as_of == JAN and mpa.figures.fund_size == 20_000


def test_by_area_goes_province_district_subdistrict_group(tree, post):
    from omboon.testing.factories import make_group

    g1 = make_group("TH1", "กลุ่มหนึ่ง", parent=tree.zone, province_code="52", district_code="5208",
                    subdistrict_code="520801")
    g2 = make_group("TH2", "กลุ่มสอง", parent=tree.zone, province_code="52", district_code="5208",
                    subdistrict_code="520802")
    for g in (g1, g2):
        make_member(g)
        services.facts_recompute(actor=None, organisation=g, through=JAN)
    province = selectors.by_area(tree.province, first=JAN, last=JAN)
    assert [r.code for r in province.rows] == ["52"] and province.rows[0].name_th == "ลำปาง"
    district = selectors.by_area(tree.province, first=JAN, last=JAN, area_code="5208")
    assert [r.code for r in district.rows] == ["520801", "520802"]
    assert district.total.members_active == 2
    sub = selectors.by_area(tree.province, first=JAN, last=JAN, area_code="520801")
    assert [r.code for r in sub.rows] == ["TH1"] and sub.level == "group"


def test_reporting_rate_on_time_late_missing(tree):
    tz = timezone.get_current_timezone()
    now = timezone.now()
    FactMonth.objects.create(organisation=tree.group_a, ym=JAN, computed_at=now, source="close",
                             closed_at=dt.datetime(2025, 2, 15, 20, 0, tzinfo=tz))
    FactMonth.objects.create(organisation=tree.group_b, ym=JAN, computed_at=now, source="close",
                             closed_at=dt.datetime(2025, 2, 18, 9, 0, tzinfo=tz))
    rate = selectors.reporting_rate(tree.province, ym=JAN)
    states = {r.organisation.code: (r.state, r.days_late) for r in rate.rows}
    assert states == {"BDC": ("on_time", 0), "MPA": ("late", 3), "NGA": ("missing", 0)}
    assert round(rate.rate, 1) == 66.7
    assert [r.organisation.code for r in selectors.reporting_rate(tree.zone, ym=JAN).rows] == ["BDC", "MPA"]


def test_data_quality_scores_completeness(tree):
    make_member(tree.group_a, phone="0812345678", subdistrict_code="520801", district_code="5208",
                province_code="52")
    make_member(tree.group_a, birth_date=dt.date(1800, 1, 1))
    rows = {q.organisation.code: q for q in selectors.data_quality(tree.zone)}
    a = rows["BDC"]
    assert (a.members, a.pct_phone, a.pct_address, a.pct_birth) == (2, 50.0, 50.0, 50.0)
    assert a.score == 50.0 and rows["MPA"].score is None


def test_pages_render_drill_down_and_stay_in_the_subtree(client, books):
    tree = books
    client.force_login(make_user(tree.zone, Role.COORDINATOR))
    page = client.get("/o/LP-S/network/?from=2025-01&to=2025-02")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-code="BDC"' in text and "/o/BDC/network/?from=2025-01" in text and "NGA" not in text
    for url in ("fund-status/", "statements/", "statements/?code=1100", "reporting-rate/?month=2025-01",
                "quality/", "area/", "area/?code=52"):
        assert client.get(f"/o/LP-S/network/{url}").status_code == 200, url
    assert client.get("/o/BDC/network/fund-status/").status_code == 200
    assert client.get("/o/LP-N/network/").status_code == 404
    assert client.get("/o/NGA/network/").status_code == 404
    fund = client.get("/o/LP-S/network/fund-status/?from=2025-01&to=2025-02&lang=en").content.decode()
    assert "Death" in fund and "50.00" in fund and "450.00" in fund  # death 30 + 20; fund 270 + 180
