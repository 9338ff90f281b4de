"""Sarabun served locally (static finder, PDF faces) and the SVG chart helpers."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from fontTools.ttLib import TTFont

from omboon.core import charts, fonts

SVG = "{http://www.w3.org/2000/svg}"


def test_finder_exposes_sarabun_under_omboon_fonts():
    found = finders.find("omboon/fonts/Sarabun-Regular.ttf")
    assert found and found.endswith("Sarabun-Regular.ttf")
    assert not finders.find("omboon/fonts/../__init__.py")
    assert not finders.find("omboon/fonts/nope.ttf")
    assert fonts.SarabunFinder().find("omboon/fonts/nope.ttf") == []
    finder = fonts.SarabunFinder()
    assert finder.check() == []
    listed = dict(finder.list(None))
    assert "Sarabun-Bold.ttf" in listed and listed["Sarabun-Bold.ttf"].prefix == "omboon/fonts"
    assert finder.find("omboon/fonts/Sarabun-Bold.ttf", find_all=True)[0].endswith("Sarabun-Bold.ttf")


def test_fonts_css_is_a_static_file_pointing_at_local_fonts():
    css_path = finders.find("omboon/fonts.css")
    css = Path(css_path).read_text(encoding="utf-8")
    for stem, _, _ in fonts.FACES:
        assert f'url("fonts/{stem}.ttf")' in css
        assert finders.find(f"omboon/fonts/{stem}.ttf")
    assert "http" not in css


@pytest.mark.django_db
def test_static_font_is_served(client):
    response = client.get("/static/omboon/fonts/Sarabun-Regular.ttf")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body[:4] in (b"\x00\x01\x00\x00", b"true")


def test_pdf_faces_separate_sara_am_from_sara_aa():
    folder = fonts.pdf_font_dir()
    font = TTFont(str(folder / "Sarabun-Regular.ttf"))
    assert fonts.AM_GLYPH in font.getGlyphOrder()
    mapping = fonts.thai_text_map((folder / "Sarabun-Regular.ttf").read_bytes())
    gid = font.getGlyphID
    assert mapping[gid(fonts.AM_GLYPH)] == "ำ"
    assert mapping[gid("uni0E32")] == "า"
    assert mapping[gid("uni0E4D")] == ""
    assert mapping[gid("uni0E4D0E48")] == "่"
    assert "file://" in fonts.pdf_font_css() and str(folder) in fonts.pdf_font_css()


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("viewBox")
    return root


def _texts(root) -> list[str]:
    return [t.text for t in root.iter(f"{SVG}text")]


def test_line_chart_over_months():
    labels = charts.month_labels([(2024, 12), (2025, 1), (2025, 2)])
    assert labels == ["ธ.ค. 67", "ม.ค. 68", "ก.พ. 68"]
    assert charts.month_labels([(2025, 1)], lang="en") == ["Jan 25"]
    svg = charts.line_chart(labels, {"สมาชิก": [262, 300, 2681], "ใหม่": [None, 38, 10]},
                            title="สมาชิก")
    root = _parse(svg)
    assert len(root.findall(f"{SVG}polyline")) == 2
    texts = _texts(root)
    assert "สมาชิก" in texts and "ม.ค. 68" in texts and "2,681" in texts and "ใหม่" in texts


def test_bar_chart_groups_and_money_labels():
    svg = charts.bar_chart(["ม.ค.", "ก.พ."], {"รับ": [100_000_00, 120_000_00], "จ่าย": [50_000_00, -1_000_00]},
                           title="รับ-จ่าย", money=True)
    root = _parse(svg)
    bars = root.findall(f"{SVG}rect")[1:]  # the first rect is the background
    bars = [b for b in bars if b.find(f"{SVG}title") is not None]
    assert len(bars) == 4
    assert all(float(b.get("height")) >= 0 for b in bars)
    assert "รับ: 120,000.00" in " ".join(b.find(f"{SVG}title").text for b in bars).replace("รับ ก.พ.: ", "รับ: ")


def test_hbar_chart_escapes_and_labels():
    svg = charts.hbar_chart([("ค่าจัดการศพ", 1_064_778_00), ("<script>&", 0)], money=True,
                            title="สวัสดิการ")
    assert "<script>" not in svg and "&lt;script&gt;&amp;" in svg
    texts = _texts(_parse(svg))
    assert "ค่าจัดการศพ" in texts and "1,064,778.00" in texts and "0.00" in texts


def test_charts_are_safe_strings_for_templates():
    from django.utils.safestring import SafeString

    assert isinstance(charts.hbar_chart([("ก", 1)]), SafeString)
    assert isinstance(charts.line_chart([], {}), SafeString)
    _parse(charts.bar_chart([], {}))
