"""The dashboard at /o/<org>/dashboard/: figures from the same selectors as the reports, SVG
charts with no script, scoping, and a real browser at 360 px."""

from __future__ import annotations

import pytest

from omboon.core import reporting
from omboon.core.money import format_baht
from omboon.orgs.models import Role
from omboon.reports import overview as ov
from omboon.reports import selectors as sel
from omboon.reports.tests import scenario
from omboon.testing.factories import make_user

END = "30/06/2567"


@pytest.mark.django_db
def test_dashboard_shows_the_reports_figures_and_charts(tree, client):
    scenario.build(tree, None)
    make_user(tree.group_a, Role.TREASURER, username="t-a")
    client.login(username="t-a", password="pass-1234")
    response = client.get(f"/o/BDC/dashboard/?to={END}")
    assert response.status_code == 200
    html = response.content.decode()
    status = reporting.get("group-status").build(organisation=tree.group_a, start=None, end=scenario.END)
    members_now = status.tables[0].rows[-1]["n"]
    fund_now = status.tables[3].rows[-1]["amount"]
    assert f'data-figure="members"><span class="label">สมาชิก</span><span class="value">{members_now}<' in html
    assert format_baht(fund_now) in html
    assert format_baht(status.tables[2].totals()["amount"]) in html
    for key in ("members", "balance", "flows", "benefits"):
        assert f'data-chart="{key}"' in html
    assert html.count("<svg") >= 4
    assert "<script" not in html.split('id="dash-charts"')[1]
    assert 'href="/o/BDC/reports/group-status/pdf/"' in html
    assert 'data-link="dashboard" href="/o/BDC/dashboard/"' in client.get("/o/BDC/reports/").content.decode()
    if sel.arrears_available():  # its own small page, pulled in by htmx once the page shows
        assert 'hx-get="/o/BDC/dashboard/arrears/?to=2024-06-30"' in html
        summary = sel.arrears_summary(tree.group_a, scenario.END)
        fragment = client.get("/o/BDC/dashboard/arrears/?to=2024-06-30", HTTP_HX_REQUEST="true").content.decode()
        assert fragment.count("<svg") == 1 and "<html" not in fragment
        assert f'<td class="num">{summary.members}</td><td class="num">{format_baht(summary.amount)}</td>' in fragment
        page = client.get("/o/BDC/dashboard/arrears/?to=2024-06-30").content.decode()
        assert "<html" in page and "สมาชิกค้างชำระเงินสมทบ" in page
    else:
        assert client.get("/o/BDC/dashboard/arrears/").status_code == 404


@pytest.mark.django_db
def test_dashboard_scoping_and_networks(tree, client):
    scenario.build(tree, None)
    make_user(tree.group_b, Role.TREASURER, username="t-b")
    client.login(username="t-b", password="pass-1234")
    assert client.get("/o/BDC/dashboard/").status_code == 404
    assert client.get("/o/MPA/dashboard/").status_code == 200
    client.logout()
    make_user(tree.zone, Role.COORDINATOR, username="coord")
    client.login(username="coord", password="pass-1234")
    response = client.get(f"/o/LP-S/dashboard/?to={END}")
    assert response.status_code == 200
    zone = ov.overview(tree.zone, end=scenario.END, with_arrears=False)
    assert format_baht(zone.fund_now) in response.content.decode()
    assert client.get("/o/LP-N/dashboard/").status_code == 404
    assert client.get("/o/LP-S/dashboard/?to=31/02/2567").status_code == 400


@pytest.mark.django_db
def test_overview_matches_the_reports(tree):
    scenario.build(tree, None)
    data = ov.overview(tree.group_a, end=scenario.END)
    status = reporting.get("group-status").build(organisation=tree.group_a, start=None, end=scenario.END)
    assert data.members_now == status.tables[0].rows[-1]["n"]
    assert data.fund_now == status.tables[3].rows[-1]["amount"]
    assert [(b.cases, b.amount) for b in data.benefits] == [(r["cases"], r["amount"]) for r in status.tables[2].rows]
    monthly = reporting.get("monthly").build(organisation=tree.group_a, start=None, end=scenario.END)
    assert data.inflow_this_month == monthly.tables[0].totals()["now"]
    assert data.payouts_this_month == monthly.tables[1].totals()["now"]
    assert data.flow_months[-1] == (2024, 6) and len(data.flow_months) == 12
    assert data.months[0] == (2019, 7) and len(data.months) == 60  # five years back
    assert len(data.charts()) == 5 if data.arrears is not None else 4


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dashboard_draws_its_charts_on_a_phone(tree, page, login, live_server):
    scenario.build(tree, None)
    make_user(tree.group_a, Role.TREASURER, username="t-a")
    login(page, "t-a")
    page.goto(f"{live_server.url}/o/BDC/dashboard/?to={END}")
    assert page.locator("h1").inner_text() == "แดชบอร์ด"
    if sel.arrears_available():
        page.wait_for_selector('#dash-arrears [data-chart="arrears"] svg')
    figures = page.locator("#dash-charts [data-chart]")
    assert figures.count() == (5 if sel.arrears_available() else 4)
    for i in range(figures.count()):
        svg = figures.nth(i).locator("svg")
        box = svg.bounding_box()
        assert box is not None and 200 < box["width"] <= 360 and box["height"] > 50
        assert svg.locator("polyline, rect, circle").count() > 1
    line = page.locator('[data-chart="balance"] svg polyline')
    assert line.count() == 1 and len(line.get_attribute("points").split()) == 60
    bars = page.locator('[data-chart="flows"] svg rect[fill="#1f6f8b"]')
    assert bars.count() == 12 + 1  # a bar a month, and the legend's key
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.evaluate("document.fonts.check('12px Sarabun')")
    assert page.locator("[data-figure=members] .value").inner_text() != ""
