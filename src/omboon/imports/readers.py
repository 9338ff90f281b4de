"""Reading a spreadsheet someone kept by hand, safely.

``read_table(data, filename)`` returns a ``Sheet``: the header row and every non-blank data row
with its row number as the treasurer sees it in Excel (the header is row 1). The format is
found from the bytes, never from the name alone:

- xlsx (a zip): cached values only — formulas are never evaluated. Before any parser sees the
  file: the zip's entries, total uncompressed size and compression ratio are checked (zip
  bombs), and every XML part is opened with defusedxml up to its root element, where a DTD
  would have to be (XML entity bombs, external entities). Then the first sheet's XML is
  scanned as it is unpacked (``scan_sheet``): rows beyond the limit stop the scan and refuse
  the file before anything is parsed. A sheet whose rows × columns fit ``CALAMINE_MAX_CELLS``
  is read by python-calamine (fast; it holds the whole sheet in memory); a larger one is
  streamed row by row through expat (``_stream_rows``), so memory stays bounded by the rows
  kept, whatever the file.
- csv: UTF-8, UTF-8 with a BOM, UTF-16 with a BOM, or TIS-620/Windows-874 — detected, never
  asked; the delimiter (comma, semicolon, tab) is sniffed.
- an old .xls or anything else is refused with a message saying what to do.

Limits: file size, rows, columns, the length of one cell, the size of an xlsx's shared-strings
part. Every refusal is a ``ReadError`` holding Problems in Thai and English that name the limit;
nothing is ever written by a reader. CSV is decoded as it is read (the text of the whole file is
never held), reading stops at the row limit, and equal cell texts share one string object, so a
file at the limits — 24 MB, 500,000 rows — reads in well under 200 MB
(``tests/test_reader_memory.py`` measures it).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import gc
import io
import pickle
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import repeat
from xml.parsers import expat

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedET
from python_calamine import CalamineWorkbook

from omboon.core.errors import Problem
from omboon.imports.cells import EXCEL_EPOCH, MAX_CELL_CHARS, is_blank

MB = 1024 * 1024
MAX_FILE_BYTES = 24 * MB  # a 3,000-member group's 10 years of monthly payments is ~20 MB as CSV, ~5 MB as xlsx
MAX_UNCOMPRESSED = 300 * MB
MAX_SHARED_STRINGS = 32 * MB  # an xlsx's table of texts is held in memory: ~800,000 distinct short texts
MAX_RATIO = 100  # uncompressed / compressed, over the whole zip (spreadsheets compress ~10×)
RATIO_FLOOR = 5 * MB  # small files may compress as they like
MAX_ZIP_ENTRIES = 2000
MAX_ROWS = 500_000
MAX_COLUMNS = 200
CSV_FIELD_LIMIT = 100_000  # a longer CSV field is a broken file, not a cell
# calamine holds a sheet as a dense grid (~100 bytes a cell at its peak): above this many cells
# (rows × columns) the sheet is streamed instead
CALAMINE_MAX_CELLS = 600_000
INTERN_LIMIT = 100_000  # distinct cell texts shared between rows (a payments file repeats them)

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ReadError(Exception):
    def __init__(self, message_th: str, message_en: str, *, value=None):
        self.problem = Problem("file", message_th, message_en, value=value, code="file")
        self.problems = [self.problem]
        super().__init__(f"{message_th} / {message_en}")


def too_large(size: int) -> ReadError:
    limit = MAX_FILE_BYTES // MB
    return ReadError(f"ไฟล์ใหญ่ {size / MB:,.1f} MB เกินขนาดที่รับได้ {limit} MB แบ่งเป็นหลายไฟล์แล้วนำเข้าทีละไฟล์",
                     f"the file is {size / MB:,.1f} MB, over the limit of {limit} MB; split it into several "
                     "files and import them one by one", value=size)


def too_many_rows() -> ReadError:
    return ReadError(f"มีข้อมูลเกิน {MAX_ROWS:,} แถว ซึ่งเป็นจำนวนแถวสูงสุดที่นำเข้าได้ในไฟล์เดียว แบ่งเป็นหลายไฟล์",
                     f"more than {MAX_ROWS:,} rows, the most one file may hold; split the file", value=MAX_ROWS)


PLAIN_CELLS = 400_000  # cells kept as Python lists; the rows beyond are kept pickled
CHUNK_ROWS = 4096


class Rows(Sequence):
    """A sheet's rows, (row number in the file, cells), as a read-only sequence.

    The first ``PLAIN_CELLS`` cells are kept as lists (a members file, and the first 100,000
    rows of a payments file, at full speed); the rows after them are kept pickled in chunks of
    ``CHUNK_ROWS`` — a few bytes a cell instead of the ~60 of a Python string — and unpickled
    as they are read. That keeps a file at the limits well under 200 MB."""

    def __init__(self, items=()):
        self._plain: list = []
        self._chunks: list[bytes] = []
        self._pending: list = []
        self._count = 0
        self._cells = 0
        for item in items:
            self.append(item)

    def append(self, item) -> None:
        self._count += 1
        if not self._chunks and not self._pending and self._cells < PLAIN_CELLS:
            self._plain.append(item)
            self._cells += len(item[1])
            return
        self._pending.append(item)
        if len(self._pending) >= CHUNK_ROWS:
            self._seal()

    def _seal(self) -> None:
        if self._pending:
            self._chunks.append(pickle.dumps(self._pending, protocol=5))
            self._pending = []

    def __len__(self) -> int:
        return self._count

    def __iter__(self):
        yield from self._plain
        for chunk in self._chunks:
            yield from pickle.loads(chunk)
        yield from self._pending

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(self._count)
            if step != 1:
                return list(self)[index]
            return self._range(start, stop)
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError("row index out of range")
        return self._range(index, index + 1)[0]

    def _range(self, start: int, stop: int) -> list:
        plain = len(self._plain)
        out = self._plain[start:stop] if start < plain else []
        at = plain
        for chunk in self._chunks:
            if at >= stop:
                return out
            if at + CHUNK_ROWS > start:
                rows = pickle.loads(chunk)
                out += rows[max(0, start - at):stop - at]
            at += CHUNK_ROWS
        if at < stop:
            out += self._pending[max(0, start - at):stop - at]
        return out

    def __eq__(self, other) -> bool:
        if isinstance(other, (Rows, list, tuple)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    def __repr__(self) -> str:
        return f"Rows({self._count:,} rows)"

    def __getstate__(self) -> dict:
        """Pickled (the parse cache) in chunks as well: one pickler's memo over every cell of
        500,000 rows would cost more memory than the rows."""
        plain = [pickle.dumps(self._plain[i:i + CHUNK_ROWS], protocol=5)
                 for i in range(0, len(self._plain), CHUNK_ROWS)]
        rest = [*self._chunks, *([pickle.dumps(self._pending, protocol=5)] if self._pending else [])]
        return {"plain": plain, "chunks": rest, "count": self._count, "cells": self._cells}

    def __setstate__(self, state: dict) -> None:
        self._plain = [row for chunk in state["plain"] for row in pickle.loads(chunk)]
        self._chunks = list(state["chunks"])
        self._pending = []
        if self._chunks and len(pickle.loads(self._chunks[-1])) < CHUNK_ROWS:
            self._pending = pickle.loads(self._chunks.pop())
        self._count = state["count"]
        self._cells = state["cells"]


@dataclass
class Sheet:
    headers: list[str]
    rows: Rows  # (row number in the file, cells); a list will do as well
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
    """The sheet of a file (see the module's docstring). The cyclic garbage collector is held
    while the rows are built: they hold no cycles, and its passes over a growing heap of
    500,000 rows cost more than the reading."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _read_table(data, filename)
    finally:
        if enabled:
            gc.enable()


def _read_table(data: bytes, filename: str) -> Sheet:
    if not data or not data.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise ReadError("ไฟล์ว่างเปล่า ไม่มีข้อมูล", "the file is empty")
    if len(data) > MAX_FILE_BYTES:
        raise too_large(len(data))
    kind = detect_format(data, filename)
    if kind == "xls":
        raise ReadError("ไฟล์ Excel แบบเก่า (.xls) ให้บันทึกเป็น .xlsx หรือ .csv แล้วนำเข้าใหม่",
                        "an old Excel file (.xls): save it as .xlsx or .csv and import again")
    if kind == "xlsx":
        return _sheet(_xlsx_rows(data), "xlsx")
    encoding = detect_encoding(data)
    sheet = _sheet(_csv_rows(data, encoding), "csv")
    sheet.encoding = encoding
    return sheet


# --- csv -------------------------------------------------------------------------------------

_ENCODING_ERROR = ("อ่านตัวอักษรในไฟล์ไม่ได้ ให้บันทึกเป็น CSV UTF-8",
                   "cannot tell the file's character encoding; save it as CSV UTF-8")


def _decodes(data: bytes, encoding: str, start: int = 0) -> bool:
    """Whether the bytes decode, checked a megabyte at a time (the text is not kept)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(data)
    try:
        for i in range(start, len(data), MB):
            decoder.decode(view[i:i + MB])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(data: bytes) -> str:
    """The encoding of a CSV: BOMs first, then UTF-8, then Windows-874 (TIS-620 plus a few
    punctuation marks). The text is read later, as the rows are."""
    if data.startswith(b"\xef\xbb\xbf"):
        if not _decodes(data, "utf-8", 3):
            raise ReadError("ไฟล์มีตัวอักษรที่อ่านไม่ได้ ให้บันทึกเป็น CSV UTF-8 ใหม่",
                            "the file has characters that cannot be read; save it again as CSV UTF-8")
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        if not _decodes(data, "utf-16"):
            raise ReadError("ไฟล์มีตัวอักษรที่อ่านไม่ได้ ให้บันทึกเป็น CSV UTF-8 ใหม่",
                            "the file has characters that cannot be read; save it again as CSV UTF-8")
        return "utf-16"
    if b"\x00" in data[:4096]:
        raise ReadError("ไฟล์นี้ไม่ใช่ไฟล์ข้อความ CSV หรือ Excel (.xlsx)",
                        "this is neither a CSV text file nor an Excel (.xlsx) file")
    if _decodes(data, "utf-8"):
        return "utf-8"
    if not _decodes(data, "cp874"):
        raise ReadError(*_ENCODING_ERROR)
    sample = data[:20000].decode("cp874", errors="replace")
    if not any("\u0e01" <= ch <= "\u0e5b" for ch in sample) and any(ord(ch) > 127 for ch in sample):
        raise ReadError(*_ENCODING_ERROR)
    return "cp874"


def decode_text(data: bytes) -> tuple[str, str]:
    """The whole text of a CSV and its encoding (for callers that want the text at once)."""
    encoding = detect_encoding(data)
    return data.decode(encoding), encoding


def _csv_rows(data: bytes, encoding: str):
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    sample = stream.read(8192)
    stream.seek(0)
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    old = csv.field_size_limit()
    csv.field_size_limit(CSV_FIELD_LIMIT)
    try:
        reader = csv.reader(stream, delimiter=delimiter)
        try:
            yield from reader
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


_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _first_sheet(archive: zipfile.ZipFile) -> str:
    """The zip path of the workbook's first sheet (the one calamine reads as index 0)."""
    names = set(archive.namelist())
    try:
        book = DefusedET.fromstring(archive.read("xl/workbook.xml"), forbid_dtd=True)
        first = next(el for el in book.iter() if _local(el.tag) == "sheet")
        rid = first.get(f"{_REL_NS}id") or next(v for k, v in first.attrib.items() if _local(k) == "id")
        rels = DefusedET.fromstring(archive.read("xl/_rels/workbook.xml.rels"), forbid_dtd=True)
        target = next(el.get("Target") for el in rels.iter() if el.get("Id") == rid)
        path = target.lstrip("/") if target.startswith("/") else "xl/" + target
        path = re.sub(r"[^/]+/\.\./", "", path)
        if path in names:
            return path
    except (KeyError, StopIteration, DefusedET.ParseError, DefusedXmlException, AttributeError, TypeError):
        pass
    sheets = sorted((n for n in names if re.fullmatch(r"xl/worksheets/[^/]+\.xml", n)),
                    key=lambda n: (len(n), n))
    if not sheets:
        raise ReadError("ไฟล์ Excel ไม่มีแผ่นงาน", "the Excel file has no sheet")
    return sheets[0]


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]*\d*:?([A-Z]{1,3})\d*\"")


def scan_sheet(archive: zipfile.ZipFile, name: str) -> tuple[int, int]:
    """(rows, columns) of a sheet's XML, read as it is unpacked and never kept. Stops — and
    refuses the file — as soon as it holds more rows than the limit (the header and a few
    blank formatted rows aside), before any parser builds anything."""
    rows = 0
    width = 0
    wide = None  # a cell reference beyond the width the sheet declares
    tail = b""
    row_tags = (b"<row", b":row ", b":row>")
    with archive.open(name) as stream:
        first = True
        while True:
            chunk = stream.read(MB)
            if not chunk:
                break
            if first:
                found = _DIMENSION.search(chunk[:4096])
                width = _column_number(found.group(1)) if found else 0
                wide = _wider_than(width)
                first = False
            buf = tail + chunk
            skip = len(tail)
            rows += sum(buf.count(t, max(0, skip - len(t) + 1)) for t in row_tags)
            if rows > MAX_ROWS + 100:
                raise too_many_rows()
            beyond = wide.findall(buf, max(0, skip - 8))
            if beyond:
                widest = max(map(_column_number, beyond))
                if widest > width:
                    width = widest
                    wide = _wider_than(width)
            tail = buf[-12:]
    return rows, width


def _wider_than(width: int) -> re.Pattern:
    """Cell references (r="AB12") whose column is beyond ``width``."""
    if width >= 16384:
        return re.compile(rb"(?!)")
    if width < 26:
        beyond = rb"[" + bytes([65 + width]) + rb"-Z]|[A-Z]{2,3}" if width < 25 else rb"Z|[A-Z]{2,3}"
    else:
        beyond = rb"[A-Z]{2,3}"  # two letters: checked by number as they come (rare)
    return re.compile(rb"\sr=\"(" + beyond + rb")[0-9]")


def _xlsx_rows(data: bytes):
    check_zip(data)
    archive = zipfile.ZipFile(io.BytesIO(data))
    name = _first_sheet(archive)
    for info in archive.infolist():
        if info.filename.endswith("sharedStrings.xml") and info.file_size > MAX_SHARED_STRINGS:
            raise ReadError(f"ไฟล์ Excel มีข้อความไม่ซ้ำกันมากเกินไป (ตารางข้อความเกิน {MAX_SHARED_STRINGS // MB} MB) "
                            "แบ่งเป็นหลายไฟล์ หรือบันทึกเป็น CSV",
                            f"the Excel file holds too many distinct texts (its text table is over "
                            f"{MAX_SHARED_STRINGS // MB} MB); split it or save it as CSV", value=info.file_size)
    rows, width = scan_sheet(archive, name)
    if rows * max(width, 1) <= CALAMINE_MAX_CELLS:
        return _calamine_rows(data)
    return _stream_rows(archive, name)


def _calamine_rows(data: bytes):
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not book.sheet_names:
            raise ReadError("ไฟล์ Excel ไม่มีแผ่นงาน", "the Excel file has no sheet")
        # the first worksheet is the data (a template's instructions come after it)
        sheet = book.get_sheet_by_index(0)
        # iter_rows gives every row from the first (so row numbers are Excel's) but the columns
        # from the sheet's first used one: put the columns before it back
        left = (sheet.start or (0, 0))[1]
        for row in sheet.iter_rows():
            yield ([""] * left + row) if left else row
    except ReadError:
        raise
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise ReadError("ไฟล์ Excel เสีย อ่านไม่ได้ เปิดใน Excel แล้วบันทึกใหม่",
                        "the Excel file is broken and cannot be read; open it in Excel and save it again",
                        value=type(exc).__name__) from None


# --- xlsx, streamed (a sheet too big for calamine's grid) -------------------------------------

_BUILTIN_DATES = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59), *range(71, 82)}
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def _is_date_format(code: str) -> bool:
    code = _QUOTED.sub("", code)
    return any(ch in "dmyhsbDMYHSB" for ch in code) and code.lower() != "general"


def _styles(archive: zipfile.ZipFile) -> list[bool]:
    """For each cell style (``s="3"``): does it show a date or a time?"""
    try:
        root = DefusedET.fromstring(archive.read("xl/styles.xml"), forbid_dtd=True)
    except (KeyError, DefusedET.ParseError, DefusedXmlException):
        return []
    custom = {}
    for el in root.iter():
        if _local(el.tag) == "numFmt":
            with contextlib.suppress(ValueError):
                custom[int(el.get("numFmtId", "-1"))] = el.get("formatCode", "")
    dates = []
    for el in root.iter():
        if _local(el.tag) == "cellXfs":
            for xf in el:
                try:
                    fmt = int(xf.get("numFmtId", "0"))
                except ValueError:
                    fmt = 0
                dates.append(fmt in _BUILTIN_DATES if fmt not in custom else _is_date_format(custom[fmt]))
            break
    return dates


def _epoch(archive: zipfile.ZipFile) -> dt.date:
    try:
        book = DefusedET.fromstring(archive.read("xl/workbook.xml"), forbid_dtd=True)
    except (KeyError, DefusedET.ParseError, DefusedXmlException):
        return EXCEL_EPOCH
    for el in book.iter():
        if _local(el.tag) == "workbookPr" and el.get("date1904") in ("1", "true"):
            return dt.date(1904, 1, 1)
    return EXCEL_EPOCH


def _as_date(serial: float, epoch: dt.date):
    """A date-formatted number as calamine gives it: a time (< 1 day), a date, or a datetime."""
    if not -1 < serial < 2_958_466:
        return serial
    days = int(serial)
    seconds = round((serial - days) * 86400)
    if days == 0 and epoch == EXCEL_EPOCH:
        return (dt.datetime.min + dt.timedelta(seconds=seconds)).time()
    day = epoch + dt.timedelta(days=days)
    if not seconds:
        return day
    return dt.datetime(day.year, day.month, day.day) + dt.timedelta(seconds=seconds)


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    name = next((n for n in archive.namelist() if n.endswith("sharedStrings.xml")), None)
    if name is None:
        return []
    out: list[str] = []
    parts: list[str] = []
    state = {"text": False, "phonetic": 0}

    def start(tag, attrs):
        tag = tag.rpartition(":")[2]
        if tag == "t" and not state["phonetic"]:
            state["text"] = True
        elif tag == "rPh":
            state["phonetic"] += 1

    def end(tag):
        tag = tag.rpartition(":")[2]
        if tag == "t":
            state["text"] = False
        elif tag == "rPh":
            state["phonetic"] -= 1
        elif tag == "si":
            out.append("".join(parts))
            parts.clear()

    def chars(text):
        if state["text"]:
            parts.append(text)

    _parse(archive, name, start, end, chars)
    return out


def _parser(start, end, chars):
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    return parser


def _feed(archive: zipfile.ZipFile, name: str, parser):
    """Feed one XML part of the file to ``parser`` 256 KB at a time, pausing (a yield) after
    each piece so a caller can take what the handlers collected; broken XML is a ReadError."""
    try:
        with archive.open(name) as stream:
            while True:
                chunk = stream.read(256 * 1024)
                parser.Parse(chunk, not chunk)
                yield
                if not chunk:
                    break
    except expat.ExpatError:
        raise ReadError("ไฟล์ Excel เสีย (ข้อมูล XML ข้างในอ่านไม่ได้) เปิดใน Excel แล้วบันทึกใหม่",
                        "the Excel file is broken (an XML part cannot be read); open it in Excel and save it again",
                        value=name) from None


def _parse(archive: zipfile.ZipFile, name: str, start, end, chars) -> None:
    for _ in _feed(archive, name, _parser(start, end, chars)):
        pass


def _column_index(ref: str) -> int:
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + ord(ch) - 64
        else:
            break
    return n - 1


def _stream_rows(archive: zipfile.ZipFile, name: str):
    """The first sheet's rows through expat, as calamine would give them (numbers as floats,
    dates and times by their cell style, errors as ""), a row at a time: only the rows read so
    far are in memory. The rows the parser's callbacks complete are yielded after each chunk."""
    texts = _shared_strings(archive)
    date_styles = _styles(archive)
    epoch = _epoch(archive)
    ready: list = []
    parts: list[str] = []
    limit = MAX_COLUMNS + 1
    row = None
    number = col = style = phonetic = 0
    kind = None
    collecting = False
    names: dict[str, str] = {}

    def value_of(text: str):
        if kind is None or kind == "n":
            if not text:
                return ""
            try:
                number_ = float(text)
            except ValueError:
                return text
            if style and style < len(date_styles) and date_styles[style]:
                return _as_date(number_, epoch)
            return number_
        if kind == "s":
            try:
                return texts[int(text)]
            except (ValueError, IndexError):
                return ""
        if kind in ("inlineStr", "str"):
            return text
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind == "e":
            return ""
        if kind == "d":
            try:
                moment = dt.datetime.fromisoformat(text.strip())
            except ValueError:
                return text
            return moment.date() if moment.time() == dt.time() else moment
        return text

    columns: dict[str, int] = {}

    def start(tag, attrs):
        nonlocal row, number, col, style, kind, collecting, phonetic
        if prefixed:
            tag = names.get(tag) or names.setdefault(tag, tag.rpartition(":")[2])
        if tag == "c":
            ref = attrs.get("r")
            if ref:
                letters = ref.rstrip("0123456789")
                found = columns.get(letters)
                col = found if found is not None else columns.setdefault(letters, _column_index(letters))
            else:
                col += 1
            kind = attrs.get("t")
            s_ = attrs.get("s")
            style = int(s_) if s_ and s_.isdigit() else 0
            parts.clear()
        elif tag == "v" or tag == "t":
            if not phonetic:
                collecting = True
        elif tag == "row":
            r_ = attrs.get("r")
            at = int(r_) if r_ and r_.isdigit() else number + 1
            if at > number + 1:  # rows missing from the XML are blank rows
                ready.extend(repeat((), at - number - 1))
            number = max(at, number + 1) if at <= number else at
            row = []
            col = -1
        elif tag == "rPh":
            phonetic += 1

    def end(tag):
        nonlocal row, collecting, phonetic
        if prefixed:
            tag = names.get(tag) or names.setdefault(tag, tag.rpartition(":")[2])
        if tag == "c":
            if row is None or col >= limit:
                return
            if len(row) < col:
                row.extend([""] * (col - len(row)))
            row.append(value_of("".join(parts)))
        elif tag == "v" or tag == "t":
            collecting = False
        elif tag == "row":
            ready.append(row or ())
            row = None
        elif tag == "rPh":
            phonetic -= 1

    def chars(text):
        if collecting:
            parts.append(text)

    def first(tag, attrs):  # the root element says whether the names carry a prefix (x:row)
        nonlocal prefixed
        prefixed = ":" in tag
        parser.StartElementHandler = start
        start(tag, attrs)

    prefixed = False
    parser = _parser(first, end, chars)
    for _ in _feed(archive, name, parser):
        if ready:
            yield from ready
            ready.clear()


# --- both -------------------------------------------------------------------------------------

def _joined(cells) -> str | None:
    """The cells run together when every one is text (a CSV row), else None."""
    try:
        return "".join(cells)
    except TypeError:
        return None


def _sheet(raw_rows, fmt: str) -> Sheet:
    headers: list[str] | None = None
    rows = Rows()
    problems: list[Problem] = []
    shared: dict = {}  # equal texts share one object: a payments file repeats members, dates, amounts
    keep = shared.setdefault
    width = MAX_COLUMNS + 1
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
            raise too_many_rows()
        if len(cells) > width:  # no header reaches there: nothing to read in it
            cells = cells[:width]
        if joined is not None and len(joined) <= MAX_CELL_CHARS:
            if len(shared) >= INTERN_LIMIT:
                keep = shared.get
            rows.append((number, list(map(keep, cells, cells))))
            continue
        cells = [keep(c, c) if type(c) is str and len(c) <= 40 else c for c in cells]
        if len(shared) >= INTERN_LIMIT:
            keep = shared.get
        if joined is None and not any(type(c) is str and len(c) > MAX_CELL_CHARS for c in cells):
            rows.append((number, cells))
            continue
        for index, cell in enumerate(cells):
            if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
                column = headers[index] if index < len(headers) else f"#{index + 1}"
                problems.append(Problem(column, f"ข้อความในช่องยาวเกิน {MAX_CELL_CHARS:,} ตัวอักษร",
                                        f"the cell is longer than {MAX_CELL_CHARS:,} characters",
                                        row=number, value=cell[:40] + "…", code="huge_cell"))
                cells[index] = ""
        rows.append((number, cells))
    if headers is None:
        raise ReadError("ไฟล์ว่างเปล่า ไม่มีข้อมูล", "the file is empty")
    if not any(headers):
        raise ReadError("ไม่พบหัวคอลัมน์ในแถวแรก", "no column headers in the first row")
    rows._seal()
    if not rows:
        raise ReadError(f"มีแต่หัวคอลัมน์ (แถว {header_row}) ไม่มีข้อมูล",
                        f"only the header row (row {header_row}), no data")
    return Sheet(headers=headers, rows=rows, format=fmt, problems=problems)
