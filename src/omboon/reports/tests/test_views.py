"""/o/<org>/reports/: the list, one report with its period form, downloads; who may see what."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.urls import reverse

from omboon.orgs.models import Role
from omboon.reports import render
from omboon.reports.tests.conftest import SAMPLE_CODE, TITLE_TH
from omboon.testing.factories import make_user

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def _detail(org="BDC", **query):
    url = reverse("reports:detail", kwargs={"org": org, "code": SAMPLE_CODE})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_index_lists_reports_the_user_may_see(client, treasurer, sample_report):
    response = _login(client, treasurer).get(reverse("reports:index", kwargs={"org": "BDC"}))
    assert response.status_code == 200
    html = response.content.decode()
    assert TITLE_TH in html and _detail() in html


def test_index_hides_reports_a_member_may_not_see(client, tree, sample_report):
    member = make_user(tree.group_a, Role.MEMBER, username="member-a")
    response = _login(client, member).get(reverse("reports:index", kwargs={"org": "BDC"}))
    assert response.status_code == 200
    assert TITLE_TH not in response.content.decode()


def test_report_page_with_period_in_buddhist_era(client, treasurer, sample_report):
    response = _login(client, treasurer).get(_detail(**{"from": "01/01/2568", "to": "31/03/2568"}))
    assert response.status_code == 200
    html = response.content.decode()
    assert TITLE_TH in html
    assert "ตั้งแต่ 1 มกราคม 2568 ถึง 31 มีนาคม 2568" in html
    assert 'value="01/01/2568"' in html  # the form shows the period back in พ.ศ.
    assert "133,782.00" in html and "<svg" in html
    for fmt in render.FORMATS:
        assert f'data-format="{fmt}"' in html
    assert "web/base" not in html and "Omboon" in html  # rendered inside the shell


def test_iso_dates_and_htmx_fragment(client, treasurer, sample_report):
    response = _login(client, treasurer).get(
        _detail(**{"from": "2025-01-01", "to": "2025-01-31"}),
        HTTP_HX_REQUEST="true", HTTP_HX_TARGET="omb-report-result")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div class="omb-report"') and "<html" not in html


def test_bad_date_is_explained(client, treasurer, sample_report):
    response = _login(client, treasurer).get(_detail(**{"from": "32/13/2568"}))
    assert response.status_code == 400
    assert "อ่านวันที่ไม่ได้" in response.content.decode() or "ไม่มีวันที่นี้" in response.content.decode()


def test_member_without_records_gets_403(client, tree, sample_report):
    member = make_user(tree.group_a, Role.MEMBER, username="member-a")
    c = _login(client, member)
    assert c.get(_detail()).status_code == 403
    assert c.get(reverse("reports:download",
                         kwargs={"org": "BDC", "code": SAMPLE_CODE, "fmt": "csv"})).status_code == 403


def test_user_of_another_group_gets_404(client, tree, sample_report):
    other = make_user(tree.group_c, Role.TREASURER, username="treasurer-c")
    c = _login(client, other)
    assert c.get(_detail()).status_code == 404
    assert c.get(reverse("reports:index", kwargs={"org": "BDC"})).status_code == 404
    assert c.get(reverse("reports:download",
                         kwargs={"org": "BDC", "code": SAMPLE_CODE, "fmt": "pdf"})).status_code == 404


def test_unknown_report_and_format_are_404(client, treasurer, sample_report):
    c = _login(client, treasurer)
    assert c.get(reverse("reports:detail", kwargs={"org": "BDC", "code": "no-such"})).status_code == 404
    assert c.get(reverse("reports:download",
                         kwargs={"org": "BDC", "code": SAMPLE_CODE, "fmt": "doc"})).status_code == 404


def test_anonymous_is_sent_to_login(client, tree, sample_report):
    response = client.get(_detail())
    assert response.status_code == 302 and "login" in response["Location"]


def test_coordinator_downloads_every_format(client, coordinator, sample_report):
    c = _login(client, coordinator)
    query = "?from=01/01/2568&to=31/03/2568"
    for fmt in render.FORMATS:
        url = reverse("reports:download", kwargs={"org": "BDC", "code": SAMPLE_CODE, "fmt": fmt}) + query
        response = c.get(url)
        assert response.status_code == 200, fmt
        assert response["Content-Type"] == render.CONTENT_TYPES[fmt]
        assert f"{SAMPLE_CODE}_BDC_2025-01-01_2025-03-31.{fmt}" in response["Content-Disposition"]
        body = response.content
        if fmt == "pdf":
            assert body.startswith(b"%PDF")
        elif fmt == "xlsx":
            assert openpyxl.load_workbook(io.BytesIO(body)).active["A2"].value == TITLE_TH
        elif fmt == "json":
            assert json.loads(body)["start"] == "2025-01-01"
        elif fmt == "csv":
            assert body.startswith(b"\xef\xbb\xbf")
        else:
            html = body.decode()
            assert "/static/omboon/fonts.css" in html and "file://" not in html
