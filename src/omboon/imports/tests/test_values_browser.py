"""The value step on a 360 px phone, in a real browser: the words of a group's own file are
answered from the page and the page never scrolls sideways."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from omboon.imports.tests.helpers import csv_bytes
from omboon.imports.tests.test_values import OWN_HEADERS, own_members
from omboon.members.models import Member
from omboon.orgs.models import Role
from omboon.testing.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_value_step_on_a_phone(tree, page, login, live_server, settings, tmp_path):
    settings.OMBOON_IMPORTS_INLINE = True
    settings.OMBOON_IMPORTS_DIR = str(tmp_path)
    make_user(tree.group_a, Role.TREASURER, username="treasurer-a")
    own = tmp_path / "own.csv"
    own.write_bytes(csv_bytes(OWN_HEADERS, own_members()))
    login(page, "treasurer-a")
    page.goto(f"{live_server.url}/o/{tree.group_a.code}/imports/")
    page.select_option("#kind", "members")
    page.set_input_files("#file", str(own))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_selector("#values")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shots = Path(os.environ.get("OMBOON_SCREENSHOT_DIR") or tmp_path)
    page.screenshot(path=str(shots / "import-values-360.png"), full_page=True)
    page.select_option("select[aria-label='ตายแล้ว']", "deceased")
    page.click("#values button[type=submit]")
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("#values .message.warning").count() == 0
    page.click("button[name=action][value=confirm]")
    page.wait_for_load_state("domcontentloaded")
    assert Member.objects.filter(organisation=tree.group_a, status="deceased").count() == 3
