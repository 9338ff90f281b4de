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
import csv
import gc
import io
import pickle
from collections.abc import Sequence
from dataclasses import dataclass, field

from omboon.core.errors import Problem
from omboon.imports.cells import MAX_CELL_CHARS, is_blank
from omboon.imports.limits import (
    CSV_FIELD_LIMIT,
    INTERN_LIMIT,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MB,
    OLE_MAGIC,
    ZIP_MAGIC,
    ReadError,
    too_large,
    too_many_rows,
)
from omboon.imports.xlsx import xlsx_rows

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
        return _sheet(xlsx_rows(data), "xlsx")
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
