"""The shell's middleware and the headers every response carries: no caching of private
pages, a request-size limit answered 413, and a Content-Security-Policy of the app's own
assets only."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from omboon.web.middleware import NoStoreMiddleware, RequestSizeLimitMiddleware

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def test_a_signed_in_page_is_never_stored(client, treasurer):
    client.force_login(treasurer)
    response = client.get("/o/BDC/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_login_page_and_api_answers_are_not_stored_either(client, treasurer):
    assert "no-store" in client.get("/login/")["Cache-Control"]
    client.force_login(treasurer)
    assert "no-store" in client.get("/api/v1/orgs/")["Cache-Control"]


def test_public_pages_for_anonymous_visitors_stay_cacheable():
    middleware = NoStoreMiddleware(lambda request: HttpResponse("figures"))
    request = RequestFactory().get("/public/LP/")
    request.user = AnonymousUser()
    assert "Cache-Control" not in middleware(request)
    request = RequestFactory().get("/o/BDC/")
    request.user = AnonymousUser()
    assert "no-store" in middleware(request)["Cache-Control"]


def test_an_oversized_form_is_answered_413_with_a_thai_page(client):
    body = urlencode({"username": "x" * (3 * MB), "password": "p"})
    response = client.post("/login/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    page = response.content.decode()
    assert "ไฟล์หรือข้อมูลใหญ่เกินไป" in page and "2.5 MB" in page


def test_an_oversized_upload_is_answered_413_before_it_is_read(client):
    response = client.post("/login/", {"f": "small"}, CONTENT_LENGTH=str(60 * MB),
                           content_type="multipart/form-data; boundary=BoUnDaRy")
    assert response.status_code == 413 and "26 MB" in response.content.decode()


def test_an_import_sized_upload_goes_through():
    seen = []
    middleware = RequestSizeLimitMiddleware(lambda request: seen.append(request) or HttpResponse("ok"))
    request = RequestFactory().post("/o/BDC/imports/", {"file": "x"})
    request.META["CONTENT_LENGTH"] = str(24 * MB)  # a 24 MB spreadsheet: the imports' limit
    assert middleware(request).status_code == 200 and seen


def test_the_content_security_policy_allows_the_apps_own_assets_only(client):
    policy = client.get("/login/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"].startswith("'self'") and "unsafe-inline" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "http" not in policy  # no other host


def test_the_api_docs_need_a_sign_in_and_use_local_files(client, treasurer):
    assert client.get("/api/v1/docs").status_code == 302
    client.force_login(treasurer)
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page and "cdn" not in page
    assert re.findall(r"(?:src|href)=[\"']?(?:https?:)?//", page) == []  # no script, style or icon from another host
