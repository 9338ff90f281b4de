"""The users pages on a 360 px phone: the chair adds a treasurer from the menu, the one-time
password is shown once inside the screen, the list, a user's page and a confirmation fit."""

from __future__ import annotations

import pytest

from omboon.orgs.models import Role
from omboon.testing.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_chair_adds_a_treasurer_on_a_360px_phone(tree, page, login, live_server):
    make_user(tree.group_a, Role.CHAIR, username="chair-a")
    login(page, "chair-a")
    page.goto(f"{live_server.url}/o/BDC/users/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.fill("#id_username", "kanya-treasurer-of-ban-don-chai")
    page.fill("#id_first_name", "กัญญารัตน์")
    page.fill("#id_last_name", "ศรีสุวรรณวงศ์ไพบูลย์")
    page.select_option("#id_role", "treasurer")
    page.click("text=เพิ่มผู้ใช้ >> nth=-1")
    assert len(page.locator(".one-time-password").inner_text()) >= 8
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("text=ปิดการใช้งาน")
    assert page.locator("text=ยืนยันปิดการใช้งาน").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.goto(f"{live_server.url}/o/BDC/users/")
    assert page.locator("table.people tbody tr").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
