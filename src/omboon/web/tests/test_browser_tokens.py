"""The API tokens page on a 360 px phone: the chair makes a token, the token shown once wraps
inside the screen, the list fits."""

from __future__ import annotations

import pytest

from omboon.orgs.models import Role
from omboon.testing.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_chair_makes_a_token_on_a_360px_phone(tree, page, login, live_server):
    make_user(tree.group_a, Role.CHAIR, username="chair-a")
    login(page, "chair-a")
    page.goto(f"{live_server.url}/o/BDC/tokens/")
    page.fill("#id_name", "ดึงตัวเลขรายเดือนทุกคืนเข้าตารางของเครือข่าย")
    page.click("text=สร้างโทเคน >> nth=-1")
    raw = page.locator(".token-raw").inner_text()
    assert raw.startswith("omb_")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.goto(f"{live_server.url}/o/BDC/tokens/")
    assert page.locator("table.api-tokens tbody tr").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
