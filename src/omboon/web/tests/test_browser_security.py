"""The Content-Security-Policy in a real browser: pages work and the browser reports no
violation; a print button (its one allowed inline handler) still prints; a locked sign-in
shows the login page with when to try again."""

from __future__ import annotations

import pytest

from omboon.orgs.models import Role
from omboon.testing.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch(page) -> list[str]:
    """Console messages about the policy (Chromium reports each refused script or style)."""
    seen: list[str] = []
    page.on("console", lambda msg: seen.append(msg.text) if "Content Security Policy" in msg.text else None)
    return seen


def test_the_shell_and_the_api_docs_run_under_the_policy(tree, page, login, live_server):
    make_user(tree.group_a, Role.CHAIR, username="chair-a")
    violations = _watch(page)
    login(page, "chair-a")
    assert page.url == f"{live_server.url}/o/BDC/"
    for path in ("/o/BDC/audit/", "/o/BDC/sign-ins/", "/o/BDC/members/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info")  # Swagger UI ran from the app's own files
    assert "Omboon API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector(".opblock-tag")  # and drew the operations from /api/v1/openapi.json
    assert page.locator(".opblock-tag").count() > 3
    assert [url for url in asked if not url.startswith((live_server.url, "data:"))] == []
    assert violations == []


def test_a_print_button_still_prints(tree, page, login, live_server):
    make_user(tree.zone, Role.COORDINATOR, username="coord-s")
    page.add_init_script("window.print = () => { window.__printed = true; };")
    violations = _watch(page)
    login(page, "coord-s")
    page.goto(f"{live_server.url}/o/LP-S/network/statements/")
    page.click("button:has-text('พิมพ์')")
    assert page.evaluate("window.__printed === true")
    assert violations == []


def test_the_public_pages_print_link_still_prints(tree, page, live_server):
    page.add_init_script("window.print = () => { window.__printed = true; };")
    violations = _watch(page)
    page.goto(f"{live_server.url}/public/LP/")
    page.click("a[href='javascript:window.print()']")
    page.wait_for_function("window.__printed === true")
    assert violations == []


def test_a_locked_account_sees_when_to_try_again(tree, page, login, live_server):
    make_user(tree.group_a, Role.TREASURER, username="treasurer-a")
    for n in range(5):
        login(page, "treasurer-a", f"wrong-{n}")
    text = page.inner_text("main")
    assert "ลองใหม่ได้เวลา" in text and "Try again at" in text
    login(page, "treasurer-a")  # the right password, still locked
    assert page.url.endswith("/login/") and "ลองใหม่ได้เวลา" in page.inner_text("main")
