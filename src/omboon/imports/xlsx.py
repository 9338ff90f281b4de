"""Reading the first sheet of an xlsx (a zip) within bounds: the zip and every XML part checked
before any parser sees them, the sheet scanned as it is unpacked (``scan_sheet``), then read by
python-calamine when its rows × columns fit ``CALAMINE_MAX_CELLS`` or streamed row by row through
expat (``_stream_rows``). Cached values only; formulas are never evaluated. See
``imports.readers`` for the whole story and ``imports.limits`` for the bounds."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import zipfile
from itertools import repeat
from xml.parsers import expat

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedET
from python_calamine import CalamineWorkbook

from omboon.imports.cells import EXCEL_EPOCH
from omboon.imports.limits import (
    CALAMINE_MAX_CELLS,
    MAX_COLUMNS,
    MAX_RATIO,
    MAX_ROWS,
    MAX_SHARED_STRINGS,
    MAX_UNCOMPRESSED,
    MAX_ZIP_ENTRIES,
    MB,
    RATIO_FLOOR,
    ReadError,
    too_many_rows,
)


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


def xlsx_rows(data: bytes):
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
