"""One headless Chromium (Debian's, driven by Playwright) for every browser test of a run.

Playwright's sync API allows one running instance per thread, so the browser is a single
session fixture here, loaded for all apps from the root conftest; tests take ``page`` and
``login``.
"""

from __future__ import annotations

import os

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 — only a session with browser tests

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
