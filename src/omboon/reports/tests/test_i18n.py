"""Reports in English: the list, a report's page and its downloads follow the language the
user switched to (the cookie), as ``?lang=en`` already did; every registered report has an
English title and English column headings; and the English catalogue is complete (no fuzzy
and no empty translation anywhere)."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse

from omboon.contributions.tests.conftest import make_member
from omboon.core import reporting
from omboon.reports.tests.conftest import SAMPLE_CODE, TITLE_EN, TITLE_TH
from omboon.testing.i18n import THAI, in_english, thai_in_chrome

pytestmark = pytest.mark.django_db
PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


@pytest.fixture
def english(client, treasurer):
    return in_english(client, treasurer)


def _detail(code=SAMPLE_CODE, **query):
    base = reverse("reports:detail", kwargs={"org": "BDC", "code": code})
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_report_list_page_and_period_error_follow_the_switch(english, sample_report):
    index = english.get(reverse("reports:index", kwargs={"org": "BDC"})).content.decode()
    assert "<h1>Reports</h1>" in index and TITLE_EN in index and TITLE_TH not in index
    assert "Trial balance" in index and thai_in_chrome(index) == []
    page = english.get(_detail(**{"from": "01/01/2025", "to": "31/03/2025"})).content.decode()
    assert f"<h1>{TITLE_EN}</h1>" in page and "From (dd/mm/yyyy)" in page and "All reports" in page
    assert "Amount (baht)" in page and "1 January 2025" in page
    assert thai_in_chrome(page) == []
    wrong = english.get(_detail(**{"from": "01/01/2025", "to": "01/01/2024"}))
    assert wrong.status_code == 400
    assert "the end date must not be before the start date" in wrong.content.decode()
    assert "วันที่สิ้นสุดต้องไม่ก่อนวันที่เริ่มต้น" not in wrong.content.decode()


def test_downloads_follow_the_switch(english, sample_report):
    url = reverse("reports:download", kwargs={"org": "BDC", "code": SAMPLE_CODE, "fmt": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(english.get(url).content)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert TITLE_EN in cells and "Amount (baht)" in cells and TITLE_TH not in cells
    csv = english.get(url.replace("/xlsx/", "/csv/")).content.decode("utf-8-sig")
    assert "Amount (baht)" in csv and "จำนวนเงิน (บาท)" not in csv


def test_dashboard_in_english(english):
    page = english.get(reverse("dashboard", kwargs={"org": "BDC"}) + "?to=31/02/2025")
    assert page.status_code == 400
    html = page.content.decode()
    assert "<h1>Dashboard</h1>" in html and "Fund balance" in html
    assert thai_in_chrome(html) == []


def test_thai_stays_the_default(client, treasurer, sample_report):
    client.force_login(treasurer)
    page = client.get(_detail(**{"from": "01/01/2568", "to": "31/03/2568"})).content.decode()
    assert f"<h1>{TITLE_TH}</h1>" in page and "ตั้งแต่วันที่" in page and TITLE_EN not in page


def test_every_report_has_english_titles_and_column_headings(tree):
    member = make_member(tree.group_a, title="Ms", first_name="Somsri", last_name="Jaidee")  # names are data
    reporting.autodiscover()
    assert len(reporting.REGISTRY) >= 10
    for code, report in sorted(reporting.REGISTRY.items()):
        assert report.title_en and not THAI.search(report.title_en), code
        result = report.build(organisation=tree.group_a, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31),
                              lang="en", params={"member": member.number})  # the passbook names its member
        assert [note for note in result.notes if THAI.search(note)] == [], code
        for table in result.tables:
            assert not THAI.search(table.title("en")), (code, table.title_en)
            for column in table.columns:
                # a heading in Thai has one in English (a blank heading stays blank in both)
                assert bool(column.title_en) == bool(column.title_th), (code, column.key, column.title_th)
                assert not THAI.search(column.title_en), (code, column.key, column.title_en)


def _entries() -> list[dict]:
    entries = []
    for block in PO.read_text(encoding="utf-8").strip().split("\n\n")[1:]:
        lines = block.splitlines()
        strings = [re.findall(r'"(.*)"', line) for line in lines]
        msgid, msgstrs, current = "", [], None
        for line, found in zip(lines, strings):
            if line.startswith("msgid "):
                current = "id"
            elif line.startswith("msgstr"):
                current = "str"
                msgstrs.append("")
            elif line.startswith(("msgid_plural", "msgctxt", "#")):
                current = None
            if current == "id" and found:
                msgid += found[0]
            elif current == "str" and found:
                msgstrs[-1] += found[0]
        entries.append({"msgid": msgid, "fuzzy": any(line.startswith("#,") and "fuzzy" in line for line in lines),
                        "msgstrs": msgstrs})
    return entries


def test_the_english_catalogue_has_no_fuzzy_or_empty_translation():
    entries = _entries()
    assert len(entries) > 400
    assert [e["msgid"] for e in entries if e["fuzzy"]] == []
    assert [e["msgid"] for e in entries if not e["msgstrs"] or not all(e["msgstrs"])] == []
    english = [s for e in entries for s in e["msgstrs"]]
    assert [s for s in english if THAI.search(s)] == []  # an English string never keeps Thai
