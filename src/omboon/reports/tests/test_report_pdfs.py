"""Each group report as a PDF: Thai title, group name, period in พ.ศ., exact figures, printed-on
date, page numbers, signature lines and the dashboard's charts; page one drawn to PNG."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from omboon.core import reporting
from omboon.core.money import format_baht
from omboon.reports import render
from omboon.reports.tests import scenario

pytestmark = pytest.mark.django_db

PRINTED = dt.date(2024, 7, 3)
CASES = [
    # code, start, end, period as printed, chart titles the PDF must carry
    ("group-status", None, scenario.END, "ตั้งแต่ก่อตั้ง ถึง 30 มิถุนายน 2567",
     ["จำนวนสมาชิก", "สวัสดิการที่จ่ายตามประเภท (บาท)", "เงินกองทุนคงเหลือ (บาท)"]),
    ("monthly", None, dt.date(2024, 5, 31), "ประจำเดือน พฤษภาคม 2567",
     ["รายรับและรายจ่ายรายเดือน (บาท)", "เงินกองทุนคงเหลือ (บาท)", "จำนวนสมาชิก"]),
    ("annual", None, dt.date(2023, 12, 31), "ตั้งแต่ 1 มกราคม 2566 ถึง 31 ธันวาคม 2566",
     ["รายรับและรายจ่ายรายเดือน (บาท)", "สวัสดิการที่จ่ายตามประเภท (บาท)"]),
    ("fund-status", None, scenario.END, "ตั้งแต่ก่อตั้ง ถึง 30 มิถุนายน 2567", []),
]


def pdftotext(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def figures(result) -> list[str]:
    """Every money total of the result's tables, as the PDF prints it."""
    out = []
    for t in result.tables:
        totals = t.totals() or {}
        for c in t.columns:
            if c.key in totals and c.kind == "money":
                out.append(format_baht(totals[c.key]))
    return out


def test_every_group_report_prints_to_pdf(tree, tmp_path):
    scenario.build(tree, None)
    for code, start, end, period, chart_titles in CASES:
        report = reporting.get(code)
        result = report.build(organisation=tree.group_a, start=start, end=end)
        path = tmp_path / f"{code}.pdf"
        path.write_bytes(render.to_pdf(result, printed_on=PRINTED))
        text = pdftotext(path)
        assert report.title_th in text, code
        assert "กองทุนสวัสดิการบ้านดอนไชย" in text
        assert period in text, code
        assert "พิมพ์เมื่อ 3 กรกฎาคม 2567" in text
        assert "หน้า 1/" in text
        assert "เหรัญญิก" in text and "ประธานกรรมการ" in text and "ผู้ตรวจสอบ" in text
        numbers = figures(result)
        assert numbers, code
        for figure in numbers:
            assert figure in text, (code, figure)
        for title in chart_titles:
            assert title in text, (code, title)
        assert len(result.charts) >= len(chart_titles)

        subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / code)],
                       check=True)
        pngs = list(tmp_path.glob(f"{code}*.png"))
        assert len(pngs) == 1, code
        assert pngs[0].read_bytes().startswith(b"\x89PNG") and pngs[0].stat().st_size > 5000


def test_group_status_figures_print_exactly(tree, tmp_path):
    scenario.build(tree, None)
    result = reporting.get("group-status").build(organisation=tree.zone, start=None, end=scenario.END)
    path = tmp_path / "zone.pdf"
    path.write_bytes(render.to_pdf(result, printed_on=PRINTED))
    text = pdftotext(path)
    assert "เครือข่ายลำปางใต้" in text
    for t in result.tables:
        for row in t.rows:
            for c in t.columns:
                value = row.get(c.key)
                if c.kind == "money" and value is not None:
                    assert format_baht(value) in text, (row["item"], value)
                if c.kind == "int" and value is not None:
                    assert f"{value:,}" in text
    assert "ค่าธรรมเนียมแรกเข้า" in text and "ค่าจัดการศพ" in text  # SARA AM copies exactly


def test_english_pdf(tree, tmp_path):
    scenario.build(tree, None)
    result = reporting.get("fund-status").build(organisation=tree.group_a, start=None, end=scenario.END, lang="en")
    path = tmp_path / "en.pdf"
    path.write_bytes(render.to_pdf(result, lang="en", printed_on=PRINTED))
    text = pdftotext(path)
    assert "Community welfare fund status (CODI form)" in text
    assert "Fund capital by source" in text and "Page 1/" in text and "Treasurer" in text
