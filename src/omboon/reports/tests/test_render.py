"""Every renderer on the sample report: text, figures, numbers as numbers, safe cells."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
from decimal import Decimal

import openpyxl
import pytest

from omboon.core.money import format_baht
from omboon.reports import render
from omboon.reports.tests.conftest import BENEFITS, INCOME, TITLE_EN, TITLE_TH

INCOME_TOTAL = sum(a for _, _, a in INCOME)
BENEFIT_TOTAL = sum(a for _, _, a in BENEFITS)
CASES_TOTAL = sum(n for _, n, _ in BENEFITS)


def test_plain_baht_and_formula_safety():
    assert render.plain_baht(123450) == "1234.50"
    assert render.plain_baht(-5) == "-0.05"
    assert render.plain_baht(0) == "0.00"
    assert render.baht_decimal(123450) == Decimal("1234.50")
    assert render.formula_safe("=1+1") == "'=1+1"
    for bad in ("+1", "-1", "@SUM(A1)", "\tx"):
        assert render.formula_safe(bad).startswith("'")
    assert render.formula_safe("ค่าจัดการศพ") == "ค่าจัดการศพ"


def test_period_label_in_buddhist_era():
    assert render.period_label(dt.date(2025, 1, 1), dt.date(2025, 1, 31)) == "ประจำเดือน มกราคม 2568"
    assert render.period_label(dt.date(2025, 1, 1), dt.date(2025, 3, 31)) == (
        "ตั้งแต่ 1 มกราคม 2568 ถึง 31 มีนาคม 2568")
    assert render.period_label(None, None) == "ตั้งแต่ก่อตั้ง ถึงปัจจุบัน"
    assert render.period_label(None, dt.date(2025, 3, 31), "en") == "Since founding to 31 March 2025"


def test_html_fragment_has_figures_totals_and_charts(sample_result):
    html = render.to_html_fragment(sample_result)
    assert "รายรับ" in html and "สวัสดิการที่จ่าย" in html
    for _, _, amount in INCOME:
        assert format_baht(amount) in html
    assert format_baht(INCOME_TOTAL) in html
    assert f"{CASES_TOTAL:,}" in html
    assert html.count("<svg") == 2
    assert "=HYPERLINK(&quot;http://evil&quot;)" in html  # escaped text, not markup
    assert "15 มี.ค. 2568" in html  # dates in พ.ศ.


def test_english_fragment(sample_result):
    html = render.to_html_fragment(sample_result, lang="en")
    assert "Benefits paid" in html and "Total" in html and "15 Mar 2025" in html


def test_print_html_is_standalone_with_local_fonts(sample_result):
    html = render.to_print_html(sample_result)
    assert html.startswith("<!DOCTYPE html>")
    assert "file://" in html and "Sarabun-Regular.ttf" in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "").replace("http://evil", "")
    assert TITLE_TH in html and "กองทุนสวัสดิการบ้านดอนไชย" in html
    assert "counter(pages)" in html and "เหรัญญิก" in html and "ผู้ตรวจสอบ" in html


def test_print_html_without_signatures(sample_result):
    sample_result.signatures = False
    assert "เหรัญญิก" not in render.to_print_html(sample_result)


@pytest.fixture
def pdf_file(sample_result, tmp_path):
    path = tmp_path / "sample.pdf"
    path.write_bytes(render.to_pdf(sample_result, printed_on=dt.date(2025, 4, 2)))
    return path


def _pdftotext(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_pdf_text_has_thai_title_and_exact_figures(pdf_file):
    assert pdf_file.read_bytes().startswith(b"%PDF")
    text = _pdftotext(pdf_file)
    assert TITLE_TH in text
    assert "กองทุนสวัสดิการบ้านดอนไชย" in text
    assert "ตั้งแต่ 1 มกราคม 2568 ถึง 31 มีนาคม 2568" in text
    for item, _, amount in INCOME:
        assert item in text
        assert format_baht(amount) in text
    for category, _, amount in BENEFITS[:3]:
        assert category in text  # ค่าทำขวัญบุตร: SARA AM extracts exactly
        assert format_baht(amount) in text
    assert format_baht(INCOME_TOTAL) in text
    assert format_baht(BENEFIT_TOTAL) in text
    assert "พิมพ์เมื่อ 2 เมษายน 2568" in text
    assert "หน้า 1/" in text
    assert "ลงชื่อ" in text and "ประธานกรรมการ" in text and "ผู้ตรวจสอบ" in text
    assert "สวัสดิการตามประเภท" in text  # the chart's Thai title is real text


def test_pdf_page_draws(pdf_file, tmp_path):
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf_file),
                    str(tmp_path / "page")], check=True)
    pngs = list(tmp_path.glob("page*.png"))
    assert len(pngs) == 1
    data = pngs[0].read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 5000


def test_pdf_in_english(sample_result, tmp_path):
    path = tmp_path / "en.pdf"
    path.write_bytes(render.to_pdf(sample_result, lang="en"))
    text = _pdftotext(path)
    assert TITLE_EN in text and "Page 1/" in text and "Treasurer" in text


def test_xlsx_numbers_as_numbers_and_sum_formulas(sample_result):
    data = render.to_xlsx(sample_result)
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    cells = {(c.row, c.column): c for row in ws.iter_rows() for c in row}
    texts = [c.value for c in cells.values() if isinstance(c.value, str)]
    assert TITLE_TH in texts and "กองทุนสวัสดิการบ้านดอนไชย" in texts
    assert "ตั้งแต่ 1 มกราคม 2568 ถึง 31 มีนาคม 2568" in texts

    def row_of(label):
        return next(c.row for c in cells.values() if c.value == label)

    r = row_of("ค่าธรรมเนียมแรกเข้า")
    amount = ws.cell(r, 3)
    assert isinstance(amount.value, (int, float)) and Decimal(str(amount.value)) == Decimal("133782")
    assert amount.number_format == "#,##0.00"
    assert ws.cell(r, 2).value == 2681 and isinstance(ws.cell(r, 2).value, int)

    # Totals are formulas over the rows above them, for the user to check.
    total_rows = [c.row for c in cells.values() if c.value == "รวม"]
    assert len(total_rows) == 2
    first_total = ws.cell(total_rows[0], 3).value
    assert first_total == f"=SUM(C{r}:C{r + len(INCOME) - 1})"
    second = total_rows[1]
    assert ws.cell(second, 2).value.startswith("=SUM(B")
    assert ws.cell(second, 3).value.startswith("=SUM(C")
    # Summing the cells as written gives the exact total (in baht, to the satang).
    start = second - len(BENEFITS)
    written = sum(Decimal(str(ws.cell(i, 3).value)) for i in range(start, second))
    assert written == Decimal(BENEFIT_TOTAL) / 100

    # A hostile name stays a string cell, never a formula.
    hostile = next(c for c in cells.values() if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert hostile.data_type == "s"
    assert hostile.value == "=HYPERLINK(\"http://evil\")"
    date_cell = ws.cell(start, 5)
    assert isinstance(date_cell.value, dt.datetime) and date_cell.value.date() == dt.date(2025, 3, 15)
    pct = ws.cell(start, 4)
    assert pct.value == pytest.approx(0.125) and pct.number_format == "0.00%"


def test_xlsx_formula_cells_carry_cached_totals(sample_result):
    data = render.to_xlsx(sample_result)
    ws = openpyxl.load_workbook(io.BytesIO(data), data_only=True).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert float(Decimal(INCOME_TOTAL) / 100) in values


def test_csv_has_bom_plain_baht_and_safe_cells(sample_result):
    text = render.to_csv(sample_result)
    assert text.startswith("\ufeff")
    assert render.render(sample_result, "csv").startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == ["กองทุนสวัสดิการบ้านดอนไชย"] and rows[1] == [TITLE_TH]
    assert ["ค่าธรรมเนียมแรกเข้า", "2681", "133782.00"] in rows
    assert ["รวม", "", render.plain_baht(INCOME_TOTAL)] in rows
    hostile = next(r for r in rows if r and "HYPERLINK" in r[0])
    assert hostile[0] == "'=HYPERLINK(\"http://evil\")"
    refund = next(r for r in rows if r and "คืนเงิน" in r[0])
    assert refund[0] == "'-คืนเงิน" and refund[2] == "-0.50"  # numbers keep their sign
    assert "2025-03-15" in refund


def test_json_money_is_integer_satang_and_dates_iso(sample_result):
    data = json.loads(render.to_json(sample_result))
    assert data["code"] == sample_result.code and data["title"] == TITLE_TH
    assert data["organisation"] == {"code": "BDC", "name": "กองทุนสวัสดิการบ้านดอนไชย"}
    assert data["start"] == "2025-01-01" and data["end"] == "2025-03-31"
    income, benefits = data["tables"]
    assert [r["amount"] for r in income["rows"]] == [a for _, _, a in INCOME]
    assert all(type(r["amount"]) is int for r in income["rows"] + benefits["rows"])
    assert income["totals"] == {"amount": INCOME_TOTAL}
    assert benefits["totals"] == {"cases": CASES_TOTAL, "amount": BENEFIT_TOTAL}
    assert benefits["rows"][0]["last"] == "2025-03-15"
    assert data["money_unit"] == "satang"


def test_render_dispatch_and_filenames(sample_result):
    for fmt in render.FORMATS:
        body = render.render(sample_result, fmt)
        assert isinstance(body, bytes) and body
        assert render.CONTENT_TYPES[fmt]
    assert render.filename(sample_result, "pdf") == "zz-test-sample_BDC_2025-01-01_2025-03-31.pdf"
    with pytest.raises(ValueError):
        render.render(sample_result, "doc")


def test_empty_table_renders_everywhere(sample_result):
    for table in sample_result.tables:
        table.rows = []
    assert "ไม่มีรายการ" in render.to_html_fragment(sample_result)
    data = render.to_xlsx(sample_result)
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    formulas = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert formulas and all(f == "=0" for f in formulas)
    assert json.loads(render.to_json(sample_result))["tables"][0]["rows"] == []
    assert render.to_pdf(sample_result).startswith(b"%PDF")
