"""The shell in a real browser: Debian's Chromium, headless, through Playwright's sync API."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from omboon.members.models import Member
from omboon.orgs.models import Role
from omboon.testing.factories import make_user
from omboon.web.tests.conftest import make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where screenshots go: $OMBOON_SCREENSHOT_DIR to keep them, else a temporary folder."""
    folder = Path(os.environ.get("OMBOON_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_treasurer_sees_the_group_home_in_thai(tree, page, login, live_server, shots):
    from omboon.ledger.services import Line, entry_post

    treasurer = make_user(tree.group_a, Role.TREASURER, username="treasurer-a")
    for _ in range(4):
        make_member(tree.group_a)
    make_member(tree.group_a, status=Member.Status.DECEASED, sex=Member.Sex.MALE)
    make_member(tree.group_b)
    entry_post(actor=treasurer, organisation=tree.group_a, date=dt.date.today(), doc_type="receipt",
               lines=[Line(account="1100", debit=272_036_400), Line(account="4300", credit=272_036_400)])

    login(page, "treasurer-a")
    assert page.url == f"{live_server.url}/o/BDC/"
    assert page.locator("html").get_attribute("lang") == "th"
    assert page.locator(".org-name").inner_text() == "กองทุนสวัสดิการบ้านดอนไชย"
    total = page.locator("[data-figure=total] .value")
    assert total.inner_text() == "5"
    assert page.locator("[data-figure=active] .value").inner_text() == "4"
    assert "สมาชิกทั้งหมด" in page.locator("main").inner_text()
    assert page.locator("[data-figure=cash] .value").inner_text().startswith("2,720,364.00")
    # The Sarabun face and our stylesheet came from this server, not a CDN.
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert font.startswith("Sarabun")
    assert page.evaluate("typeof htmx") == "object"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(shots / "home-group-360.png"), full_page=True)


def test_coordinator_sees_exactly_the_groups_below(tree, page, login, live_server, shots):
    make_user(tree.zone, Role.COORDINATOR, username="coord-s")
    make_member(tree.group_a)
    make_member(tree.group_a)
    make_member(tree.group_b)
    make_member(tree.group_c)

    login(page, "coord-s")
    assert page.url == f"{live_server.url}/o/LP-S/"
    codes = page.locator("table.groups tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.code)"
    )
    assert codes == ["BDC", "MPA"]
    assert "NGA" not in page.locator("main").inner_text()
    assert page.locator("table.groups tfoot").inner_text().split()[-2:] == ["3", "3"]
    page.screenshot(path=str(shots / "home-network-360.png"), full_page=True)

    # The switcher offers the same organisations and opens one of them.
    page.click(".menu-button")
    page.select_option("#org-switch-select", "MPA")
    page.click(".org-switch button")
    page.wait_for_url(f"{live_server.url}/o/MPA/")
    assert page.locator(".org-name").inner_text() == "กองทุนสวัสดิการแม่ปะ"


def test_member_list_on_a_360px_phone(tree, page, login, live_server, shots):
    make_user(tree.group_a, Role.TREASURER, username="treasurer-a")
    for i in range(12):
        make_member(tree.group_a, first_name=f"บุญมี{i}")

    login(page, "treasurer-a")
    # The menu is folded away on a phone and opens from its button.
    assert not page.locator("#menu").is_visible()
    page.click(".menu-button")
    assert page.locator("#menu").is_visible()
    page.screenshot(path=str(shots / "menu-open-360.png"), full_page=True)
    page.click("#menu >> text=สมาชิก")
    page.wait_for_url(f"{live_server.url}/o/BDC/members/")

    rows = page.locator("table.members tbody tr")
    assert rows.count() == 12
    assert "x-xxxx-xxxxx-" in rows.first.inner_text()
    # Nothing but the table (which scrolls inside its own box) is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # Typing searches as you go (htmx swaps the results in and keeps the address shareable).
    page.fill("input[name=q]", "บุญมี11")
    expect(rows).to_have_count(1)
    expect(page.locator("#member-count")).to_have_text("1 คน")
    page.wait_for_url("**/members/?q=*")
    page.screenshot(path=str(shots / "members-360.png"), full_page=True)
