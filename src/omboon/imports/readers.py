"""Reading a spreadsheet someone kept by hand, safely.

``read_table(data, filename)`` returns a ``Sheet``: the header row and every non-blank data row
with its row number as the treasurer sees it in Excel (the header is row 1). The format is
found from the bytes, never from the name alone:

- xlsx (a zip): read with python-calamine, which reads cached values — formulas are never
  evaluated. Before calamine sees the file: the zip's entries, total uncompressed size and
  compression ratio are checked (zip bombs), and every XML part is opened with defusedxml up to
  its root element, where a DTD would have to be (XML entity bombs, external entities).
- csv: UTF-8, UTF-8 with a BOM, UTF-16 with a BOM, or TIS-620/Windows-874 — detected, never
  asked; the delimiter (comma, semicolon, tab) is sniffed.
- an old .xls or anything else is refused with a message saying what to do.

Limits: file size, rows, columns, the length of one cell. Every refusal is a ``ReadError``
holding Problems in Thai and English; nothing is ever written by a reader.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedET

from omboon.core.errors import Problem
from omboon.imports.cells import MAX_CELL_CHARS, is_blank

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED = 300 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, over the whole zip (spreadsheets compress ~10×)
RATIO_FLOOR = 5 * 1024 * 1024  # small files may compress as they like
MAX_ZIP_ENTRIES = 2000
MAX_ROWS = 500_000
MAX_COLUMNS = 200
CSV_FIELD_LIMIT = 100_000  # a longer CSV field is a broken file, not a cell

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ReadError(Exception):
    def __init__(self, message_th: str, message_en: str, *, value=None):
        self.problem = Problem("file", message_th, message_en, value=value, code="file")
        self.problems = [self.problem]
        super().__init__(f"{message_th} / {message_en}")


@dataclass
class Sheet:
    headers: list[str]
    rows: list[tuple[int, list]]  # (row number in the file, cells)
    format: str = "csv"
    encoding: str = ""
    problems: list[Problem] = field(default_factory=list)  # cells too long, by row

    def __len__(self) -> int:
        return len(self.rows)


def detect_format(data: bytes, filename: str = "") -> str:
    if data[:4] == ZIP_MAGIC:
        return "xlsx"
    if data[:8] == OLE_MAGIC:
        return "xls"
    return "csv"


def read_table(data: bytes, filename: str = "") -> Sheet:
    if not data or not data.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise ReadError("ไฟล์ว่างเปล่า ไม่มีข้อมูล", "the file is empty")
    if len(data) > MAX_FILE_BYTES:
        raise ReadError(f"ไฟล์ใหญ่เกิน {MAX_FILE_BYTES // (1024 * 1024)} MB แบ่งเป็นหลายไฟล์",
                        f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split it",
                        value=len(data))
    kind = detect_format(data, filename)
    if kind == "xls":
        raise ReadError("ไฟล์ Excel แบบเก่า (.xls) ให้บันทึกเป็น .xlsx หรือ .csv แล้วนำเข้าใหม่",
                        "an old Excel file (.xls): save it as .xlsx or .csv and import again")
    if kind == "xlsx":
        raw_rows = _xlsx_rows(data)
        sheet = _sheet(raw_rows, "xlsx")
    else:
        text, encoding = decode_text(data)
        sheet = _sheet(_csv_rows(text), "csv")
        sheet.encoding = encoding
    return sheet


# --- csv -------------------------------------------------------------------------------------

def decode_text(data: bytes) -> tuple[str, str]:
    """The text of a CSV and the encoding it was in: BOMs first, then UTF-8, then Windows-874."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode(data[3:], "utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(data, "utf-16"), "utf-16"
    if b"\x00" in data[:4096]:
        raise ReadError("ไฟล์นี้ไม่ใช่ไฟล์ข้อความ CSV หรือ Excel (.xlsx)",
                        "this is neither a CSV text file nor an Excel (.xlsx) file")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp874")  # Windows-874: TIS-620 plus a few punctuation marks
    except UnicodeDecodeError:
        raise ReadError("อ่านตัวอักษรในไฟล์ไม่ได้ ให้บันทึกเป็น CSV UTF-8",
                        "cannot tell the file's character encoding; save it as CSV UTF-8") from None
    if not any("\u0e01" <= ch <= "\u0e5b" for ch in text[:20000]) and any(ord(ch) > 127 for ch in text[:20000]):
        raise ReadError("อ่านตัวอักษรในไฟล์ไม่ได้ ให้บันทึกเป็น CSV UTF-8",
                        "cannot tell the file's character encoding; save it as CSV UTF-8")
    return text, "cp874"


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise ReadError("ไฟล์มีตัวอักษรที่อ่านไม่ได้ ให้บันทึกเป็น CSV UTF-8 ใหม่",
                        "the file has characters that cannot be read; save it again as CSV UTF-8") from None


def _csv_rows(text: str):
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    old = csv.field_size_limit()
    csv.field_size_limit(CSV_FIELD_LIMIT)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            for row in reader:
                yield row
        except csv.Error as exc:
            raise ReadError(
                f"ไฟล์ CSV เสีย อ่านได้ถึงแถว {reader.line_num} (ช่องยาวเกินหรือเครื่องหมายคำพูดไม่ปิด)",
                f"the CSV file is broken at line {reader.line_num} (a field too long or an unclosed quote)",
                value=str(exc)[:200]) from None
    finally:
        csv.field_size_limit(old)


# --- xlsx ------------------------------------------------------------------------------------

def check_zip(data: bytes) -> None:
    """Refuse a zip bomb or an XML bomb before any spreadsheet parser sees the bytes."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise ReadError("ไฟล์ Excel เสียหรือไม่ครบ เปิดใน Excel แล้วบันทึกใหม่",
                        "the Excel file is broken or incomplete; open it in Excel and save it again") from None
    if len(infos) > MAX_ZIP_ENTRIES:
        raise ReadError("ไฟล์ Excel มีส่วนประกอบมากผิดปกติ", "the Excel file has too many parts",
                        value=len(infos))
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNCOMPRESSED or (total > RATIO_FLOOR and total / packed > MAX_RATIO):
        raise ReadError("ไฟล์ Excel ขยายตัวผิดปกติเมื่อแตกไฟล์ (zip bomb) ไม่นำเข้า",
                        "the Excel file expands abnormally when unpacked (a zip bomb); refused",
                        value=f"{total:,} bytes from {packed:,}")
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/worksheets/") for n in names):
        raise ReadError("ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx)", "this zip file is not an Excel (.xlsx) file")
    for info in infos:
        if info.filename.endswith((".xml", ".rels", ".vml")):
            _check_xml(archive, info)


def _check_xml(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """defusedxml reads the part up to its root element: a DTD (and so any entity) would have
    to come before it, so the rest of a large sheet need not be parsed twice."""
    try:
        with archive.open(info) as stream:
            for _event, _elem in DefusedET.iterparse(stream, events=("start",), forbid_dtd=True,
                                                      forbid_entities=True, forbid_external=True):
                break
    except DefusedXmlException:
        raise ReadError("ไฟล์ Excel มีการประกาศ DTD/entity ซึ่งอาจเป็นอันตราย (XML bomb) ไม่นำเข้า",
                        "the Excel file declares a DTD or entities, which can be an XML bomb; refused",
                        value=info.filename) from None
    except (DefusedET.ParseError, zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise ReadError("ไฟล์ Excel เสีย (ข้อมูล XML ข้างในอ่านไม่ได้) เปิดใน Excel แล้วบันทึกใหม่",
                        "the Excel file is broken (an XML part cannot be read); open it in Excel and save it again",
                        value=info.filename) from None


def _xlsx_rows(data: bytes) -> list[list]:
    check_zip(data)
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not book.sheet_names:
            raise ReadError("ไฟล์ Excel ไม่มีแผ่นงาน", "the Excel file has no sheet")
        # the first visible worksheet is the data (a template's instructions come after it)
        return book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except ReadError:
        raise
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise ReadError("ไฟล์ Excel เสีย อ่านไม่ได้ เปิดใน Excel แล้วบันทึกใหม่",
                        "the Excel file is broken and cannot be read; open it in Excel and save it again",
                        value=type(exc).__name__) from None


# --- both -------------------------------------------------------------------------------------

def _joined(cells) -> str | None:
    """The cells run together when every one is text (a CSV row), else None."""
    try:
        return "".join(cells)
    except TypeError:
        return None


def _sheet(raw_rows, fmt: str) -> Sheet:
    headers: list[str] | None = None
    rows: list[tuple[int, list]] = []
    problems: list[Problem] = []
    for number, cells in enumerate(raw_rows, start=1):
        joined = _joined(cells)  # a CSV row's cells, run together: one test for blank and for huge
        if (not joined.strip()) if joined is not None else all(is_blank(c) for c in cells):
            continue
        if headers is None:
            if len(cells) > MAX_COLUMNS:
                raise ReadError(f"มีคอลัมน์เกิน {MAX_COLUMNS} คอลัมน์", f"more than {MAX_COLUMNS} columns",
                                value=len(cells))
            headers = [str(c).strip() if c is not None else "" for c in cells]
            header_row = number
            continue
        if len(rows) >= MAX_ROWS:
            raise ReadError(f"มีข้อมูลเกิน {MAX_ROWS:,} แถว แบ่งเป็นหลายไฟล์",
                            f"more than {MAX_ROWS:,} rows; split the file", value=MAX_ROWS)
        if joined is not None and len(joined) <= MAX_CELL_CHARS:
            rows.append((number, cells if isinstance(cells, list) else list(cells)))
            continue
        for index, cell in enumerate(cells):
            if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
                column = headers[index] if index < len(headers) else f"#{index + 1}"
                problems.append(Problem(column, f"ข้อความในช่องยาวเกิน {MAX_CELL_CHARS:,} ตัวอักษร",
                                        f"the cell is longer than {MAX_CELL_CHARS:,} characters",
                                        row=number, value=cell[:40] + "…", code="huge_cell"))
                cells = list(cells)
                cells[index] = ""
        rows.append((number, list(cells)))
    if headers is None:
        raise ReadError("ไฟล์ว่างเปล่า ไม่มีข้อมูล", "the file is empty")
    if not any(headers):
        raise ReadError("ไม่พบหัวคอลัมน์ในแถวแรก", "no column headers in the first row")
    if not rows:
        raise ReadError(f"มีแต่หัวคอลัมน์ (แถว {header_row}) ไม่มีข้อมูล",
                        f"only the header row (row {header_row}), no data")
    return Sheet(headers=headers, rows=rows, format=fmt, problems=problems)
