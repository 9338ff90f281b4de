"""The error pages are the app's own, in the user's language: 400, 403, 404, 500 and a form
refused for its CSRF token each answer with the shell's page in Thai, or in English for a
user who chose English — never Django's bare English "Bad Request (400)"."""

from __future__ import annotations

import re

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path

from omboon import urls as project
from omboon.orgs.models import Role
from omboon.testing.factories import make_user
from omboon.testing.i18n import THAI, thai_in_chrome

pytestmark = pytest.mark.django_db


def _crash(request):
    raise RuntimeError("a bug")


def _urlconf_with_a_crash():
    """The project's URLs and error handlers, plus one page whose view raises."""
    return type("urlconf", (), {
        "urlpatterns": [path("crash/", _crash), path("", include(project.urlpatterns))],
        "handler400": project.handler400,
        "handler500": project.handler500,
    })


def _heading(html: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", html, re.S).group(1).strip()


def _answer(kind: str, client: Client, tree, settings_fixture) -> HttpResponse:
    """The request that makes each kind of error, as a person would meet it."""
    if kind == "400":  # a request for a host the server does not serve
        return client.get("/", HTTP_HOST="not-ours.example")
    if kind == "403":  # a member opening the ledger
        client.force_login(make_user(tree.group_a, Role.MEMBER))
        return client.get("/o/BDC/ledger/")
    if kind == "404":  # a treasurer following a link to a group that is not there
        client.force_login(make_user(tree.group_a, Role.TREASURER))
        return client.get("/o/NO-SUCH-GROUP/")
    if kind == "500":
        settings_fixture.ROOT_URLCONF = _urlconf_with_a_crash()
        client.raise_request_exception = False
        return client.get("/crash/")
    if kind == "csrf":  # the login form sent without its token
        return client.post("/login/", {"username": "x", "password": "y"})
    raise AssertionError(kind)


HEADINGS = {
    "400": ("คำขอไม่ถูกต้อง", "Bad request"),
    "403": ("ไม่มีสิทธิ์ทำรายการนี้", "You may not do this"),
    "404": ("ไม่พบหน้านี้", "Page not found"),
    "500": ("ระบบขัดข้อง", "Something went wrong"),
    "csrf": ("แบบฟอร์มหมดอายุ", "This form has expired"),
}
STATUS = {"400": 400, "403": 403, "404": 404, "500": 500, "csrf": 403}


@pytest.mark.parametrize("kind", list(HEADINGS))
def test_error_page_in_thai(kind, tree, settings):
    client = Client(enforce_csrf_checks=True)
    response = _answer(kind, client, tree, settings)
    html = response.content.decode()
    assert response.status_code == STATUS[kind]
    assert '<html lang="th">' in html
    assert _heading(html) == HEADINGS[kind][0]
    assert 'href="/static/omboon/omboon.css"' in html  # the shell's page, not Django's bare text


@pytest.mark.parametrize("kind", list(HEADINGS))
def test_error_page_in_english_for_who_chose_english(kind, tree, settings):
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = _answer(kind, client, tree, settings)
    html = response.content.decode()
    assert response.status_code == STATUS[kind]
    assert '<html lang="en">' in html
    assert _heading(html) == HEADINGS[kind][1]
    assert thai_in_chrome(html) == []
    body = re.search(r'<div class="card error-page">(.*?)</div>', html, re.S).group(1)
    assert not THAI.search(body), body


def test_a_form_refused_for_cookies_says_to_allow_them(tree):
    client = Client(enforce_csrf_checks=True)
    html = client.post("/login/", {"username": "x", "password": "y"}).content.decode()
    assert "คุกกี้" in html  # no CSRF cookie at all: the browser refused it
    client.get("/login/")  # now the cookie is set, but this form carries no token
    html = client.post("/login/", {"username": "x", "password": "y"}).content.decode()
    assert "เปิดค้างไว้นานเกินไป" in html and "คุกกี้" not in html

