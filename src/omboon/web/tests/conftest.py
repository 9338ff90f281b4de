"""Fixtures of the web tests: members to look at, a compiled English catalogue, and a headless
Chromium (Debian's, driven by Playwright) for the browser tests."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from omboon.core import national_id
from omboon.members.models import Member

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

_seq = itertools.count(1)


def make_member(organisation, **kw) -> Member:
    """A member row for page tests (the members app's services own real registrations)."""
    n = next(_seq)
    first12 = f"3{organisation.pk % 1000:03d}{n:08d}"
    values = dict(
        organisation=organisation,
        number=f"{n:05d}",
        title="นาง",
        first_name=f"สมศรี{n}",
        last_name="ใจดี",
        sex=Member.Sex.FEMALE,
        national_id=national_id.with_check_digit(first12),
        birth_date=dt.date(1970, 5, 17),
        join_date=dt.date(2015, 3, 1),
        moo=3,
        status=Member.Status.ACTIVE,
    )
    values.update(kw)
    return Member.objects.create(**values)


@pytest.fixture
def member_factory(db):
    return make_member


@pytest.fixture(scope="session", autouse=True)
def english_catalogue():
    """Builds the English .mo from its .po when it is missing or older (``make install`` does
    the same with ``omboon compilemessages``)."""
    po = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    if po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
        subprocess.run([shutil.which("msgfmt") or "msgfmt", "--check-format", "-o", str(mo), str(po)],
                       check=True)
        from django.utils.translation import trans_real

        trans_real._translations = {}
        trans_real._default = None


# --- browser --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert os.path.exists(CHROMIUM), f"{CHROMIUM} is missing: apt-get install -y chromium"
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies) with a phone-sized window. The browser asks for
    English (Accept-Language: en-US): the shell must still open in Thai."""
    context = browser.new_context(viewport={"width": 360, "height": 760}, locale="en-US")
    context.set_default_timeout(15_000)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def login(live_server):
    """``login(page, username)`` signs in through the login form and returns the page."""

    def do(pg, username: str, password: str = "pass-1234"):
        pg.goto(f"{live_server.url}/login/")
        pg.fill("#id_username", username)
        pg.fill("#id_password", password)
        pg.click("form[action='/login/'] button[type=submit]")
        pg.wait_for_load_state("domcontentloaded")
        return pg

    return do
