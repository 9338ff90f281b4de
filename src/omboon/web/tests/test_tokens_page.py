"""/o/<org>/tokens/ in worked examples: the chair adds a service user, makes a read-only token
for it (shown once, never again), sees it used, and revokes it after a confirmation; the menu
offers the page only to those with manage."""

import datetime as dt

import pytest
from django.test import Client

from omboon.core.models import AuditEvent
from omboon.orgs.models import ApiToken, ServiceUser

pytestmark = pytest.mark.django_db

NEXT_MONTH = (dt.date.today() + dt.timedelta(days=30)).isoformat()


@pytest.fixture
def browser(chair):
    c = Client()
    c.force_login(chair)
    return c


def test_the_chair_makes_a_token_for_a_service_user_sees_it_once_and_revokes_it(browser, tree):
    page = browser.post("/o/BDC/tokens/service-users/", {"name": "nightly", "role": "auditor"}, follow=True)
    assert "svc.nightly@bdc" in page.content.decode()
    service = ServiceUser.objects.get(name="nightly")

    made = browser.post("/o/BDC/tokens/", {"name": "nightly sheet", "holder": str(service.pk),
                                           "capabilities": ["view", "records"], "expires_on": NEXT_MONTH})
    assert made.status_code == 200
    token = ApiToken.objects.get()
    html = made.content.decode()
    raw = html.split('class="token-raw"')[1].split(">", 1)[1].split("<", 1)[0]
    assert raw.startswith(token.prefix) and len(raw) > 40 and token.user == service.user
    assert raw not in browser.get("/o/BDC/tokens/").content.decode()  # shown once

    assert Client().get("/api/v1/members/BDC", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    listed = browser.get("/o/BDC/tokens/").content.decode()
    assert token.prefix in listed and "nightly sheet" in listed

    confirm = browser.get(f"/o/BDC/tokens/{token.pk}/revoke/")
    assert confirm.status_code == 200 and token.prefix in confirm.content.decode()
    assert ApiToken.objects.get().revoked_at is None  # a GET only asks
    browser.post(f"/o/BDC/tokens/{token.pk}/revoke/")
    assert ApiToken.objects.get().revoked_at is not None
    assert Client().get("/api/v1/members/BDC", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert AuditEvent.objects.filter(action="orgs.token_revoke", actor__username="chair-a").exists()


def test_a_refused_token_says_why_and_keeps_what_was_typed(browser, tree):
    answer = browser.post("/o/BDC/tokens/", {"name": "too long", "holder": "me", "capabilities": ["view"],
                                             "expires_on": (dt.date.today() + dt.timedelta(days=400)).isoformat()})
    assert answer.status_code == 422
    html = answer.content.decode()
    assert "366" in html and 'value="too long"' in html and not ApiToken.objects.exists()


def test_the_page_and_its_menu_entry_are_for_manage_only(browser, treasurer, tree):
    assert '/o/BDC/tokens/' in browser.get("/o/BDC/").content.decode()
    other = Client()
    other.force_login(treasurer)
    assert '/o/BDC/tokens/' not in other.get("/o/BDC/").content.decode()
    assert other.get("/o/BDC/tokens/").status_code == 403
    assert browser.get("/o/MPA/tokens/").status_code == 404


def test_the_page_reads_in_english_too(browser, tree):
    browser.cookies["django_language"] = "en"
    html = browser.get("/o/BDC/tokens/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "API tokens" in html and "Create a token" in html
