"""Readers and cell parsers on good files and on a corpus of bad ones (no database needed)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from omboon.imports import cells
from omboon.imports.readers import ReadError, read_table
from omboon.imports.tests.helpers import MEMBER_HEADERS, csv_bytes, xlsx_bytes

THAI_HEADERS = ["ชื่อ", "นามสกุล", "วันเกิด"]
THAI_ROW = ["สมศรี", "ใจดี", "15 มี.ค. 2515"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp874", "tis-620", "utf-16"])
def test_csv_encodings_are_detected(encoding):
    sheet = read_table(csv_bytes(THAI_HEADERS, [THAI_ROW], encoding=encoding), "m.csv")
    assert sheet.headers == THAI_HEADERS
    assert sheet.rows == [(2, THAI_ROW)]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiters_are_sniffed(delimiter):
    sheet = read_table(csv_bytes(THAI_HEADERS, [THAI_ROW], delimiter=delimiter))
    assert sheet.rows[0][1] == THAI_ROW


def test_blank_rows_are_skipped_and_row_numbers_are_the_files():
    data = csv_bytes(THAI_HEADERS, [THAI_ROW, ["", "", ""], THAI_ROW])
    assert [n for n, _ in read_table(data).rows] == [2, 4]


def test_xlsx_reads_cached_values_and_never_evaluates_formulas():
    data = xlsx_bytes(["a", "b"], [["x", 1]], formulas={(1, 1): ('=WEBSERVICE("http://evil")', 7)})
    sheet = read_table(data, "f.xlsx")
    assert sheet.format == "xlsx"
    assert sheet.rows == [(2, ["x", 7.0])]


def test_xlsx_dates_and_numbers_come_typed():
    data = xlsx_bytes(["d", "n"], [[dt.date(2020, 2, 29), 1103700123451]])
    cells_ = read_table(data, "x.xlsx").rows[0][1]
    assert cells.parse_date(cells_[0]) == dt.date(2020, 2, 29)
    assert cells.parse_id(cells_[1]) == "1103700123451"


# --- the bad-file corpus -------------------------------------------------------------------------

def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in parts.items():
            z.writestr(name, content)
    return out.getvalue()


def _xlsx_with(sheet_xml: bytes) -> bytes:
    good = zipfile.ZipFile(io.BytesIO(xlsx_bytes(["a"], [["b"]])))
    parts = {n: good.read(n) for n in good.namelist()}
    parts["xl/worksheets/sheet1.xml"] = sheet_xml
    return _zip(parts)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>"""


def _zip_bomb() -> bytes:
    huge = b"<x>" + b" " * (60 * 1024 * 1024) + b"</x>"
    return _xlsx_with(huge)


BAD_FILES = {
    "empty": (b"", "ว่างเปล่า"),
    "whitespace only": (b"  \r\n\r\n", "ว่างเปล่า"),
    "bom only": (b"\xef\xbb\xbf", "ว่างเปล่า"),
    "header only": (csv_bytes(MEMBER_HEADERS, []), "ไม่มีข้อมูล"),
    "not utf-8 nor thai": (b"name,x\n\x81\x8d\x8f\x90,1\n", "CSV UTF-8"),
    "broken utf-16": (b"\xff\xfe" + "ชื่อ".encode("utf-16-le") + b"\x00\xd8", "อ่านไม่ได้"),
    "binary": (b"\x00\x01\x02\x03" * 100, "ไม่ใช่ไฟล์ข้อความ"),
    "old xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, ".xls"),
    "truncated xlsx": (xlsx_bytes(["a"], [["b"]])[:300], "เสีย"),
    "zip that is not xlsx": (_zip({"hello.txt": b"hi"}), "ไม่ใช่ไฟล์ Excel"),
    "broken sheet xml": (_xlsx_with(b"<worksheet><sheetData><row>"), "เสีย"),
    "xml entity bomb": (_xlsx_with(BILLION_LAUGHS), "XML bomb"),
    "external entity": (_xlsx_with(EXTERNAL_ENTITY), "DTD"),
    "unclosed quote with a huge field": (b'a,b\n"' + b"x" * 200_000 + b"\n", "CSV"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_gives_a_clear_message(name):
    data, words = BAD_FILES[name]
    with pytest.raises(ReadError) as caught:
        read_table(data, f"{name}.bin")
    problem = caught.value.problem
    assert words in problem.message_th + problem.message_en
    assert problem.message_th and problem.message_en


def test_zip_bomb_is_refused_before_parsing():
    with pytest.raises(ReadError) as caught:
        read_table(_zip_bomb(), "bomb.xlsx")
    assert "zip bomb" in caught.value.problem.message_en


def test_a_huge_cell_rejects_its_row_not_the_file():
    sheet = read_table(csv_bytes(["ชื่อ", "นามสกุล"], [["ก" * 5000, "ข"], ["ค", "ง"]]))
    assert [p.row for p in sheet.problems] == [2]
    assert "1,000" in sheet.problems[0].message_th
    assert len(sheet.rows) == 2


# --- cells -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("value,expected", [
    ("15/03/2515", dt.date(1972, 3, 15)),
    ("15/03/1972", dt.date(1972, 3, 15)),
    ("๑๕/๐๓/๒๕๑๕", dt.date(1972, 3, 15)),
    ("15 มีนาคม 2515", dt.date(1972, 3, 15)),
    ("15 มี.ค. 15", dt.date(1972, 3, 15)),
    ("1972-03-15", dt.date(1972, 3, 15)),
    (26373, dt.date(1972, 3, 15)),
    (26373.0, dt.date(1972, 3, 15)),
    ("26373", dt.date(1972, 3, 15)),
    (dt.datetime(1972, 3, 15, 0, 0), dt.date(1972, 3, 15)),
])
def test_dates(value, expected):
    assert cells.parse_date(value) == expected


@pytest.mark.parametrize("value", ["31/02/2560", "hello", "13/13/2560", "", True, -5])
def test_bad_dates(value):
    with pytest.raises(cells.CellError) as caught:
        cells.parse_date(value)
    assert caught.value.message_th and caught.value.message_en


@pytest.mark.parametrize("value,satang", [
    ("1,234.50", 123450), ("฿1,234.5", 123450), ("๑,๒๓๔.๕๐", 123450), ("30", 3000), (30, 3000),
    (30.5, 3050), (0.1, 10), ("1234 บาท", 123400),
])
def test_amounts(value, satang):
    assert cells.parse_amount(value) == satang


@pytest.mark.parametrize("value", ["1.234,50", "12.345", 1.005, "abc", ""])
def test_bad_amounts(value):
    with pytest.raises(cells.CellError):
        cells.parse_amount(value)


def test_phone_gets_its_leading_zero_back():
    assert cells.parse_phone(812345678.0) == "0812345678"
    assert cells.parse_phone("๐๘๑๒๓๔๕๖๗๘") == "0812345678"


def test_formula_like_text():
    assert cells.looks_like_formula("=HYPERLINK(1)")
    assert cells.looks_like_formula("@SUM(A1)")
    assert not cells.looks_like_formula("-50")
    assert not cells.looks_like_formula("สมศรี")
