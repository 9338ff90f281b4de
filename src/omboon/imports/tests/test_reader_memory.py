"""Uploads are parsed once, within bounds (issue 12 A).

Each read runs in a fresh Python process with Django set up (as in the web server), and its
peak resident memory is read there: ``VmHWM`` of /proc/self/status, the process's own high-water
mark (``ru_maxrss`` would do in a process started from a small one, but Linux carries it over
``exec`` from the forking parent, and a pytest process that ran the suite is large). Sizes: files at the readers'
limits —
500,000 rows, up to 24 MB — and beyond them (an xlsx of 1,048,575 short rows: the most a sheet
holds). A refusal names the limit, in Thai and English.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from omboon.imports import limits, readers, xlsx

LIMIT_MB = 200

PROBE = """
import json, resource, sys, time
import django
django.setup()
from omboon.imports.readers import ReadError, read_table
data = open(sys.argv[1], "rb").read()
started = time.perf_counter()
try:
    sheet = read_table(data, sys.argv[1])
    result = {"rows": len(sheet.rows), "last": list(sheet.rows[-1][1]) if len(sheet.rows) else None}
except ReadError as exc:
    result = {"error_th": exc.problem.message_th, "error_en": exc.problem.message_en}
result["seconds"] = round(time.perf_counter() - started, 2)
result["ru_maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
try:  # this process's own peak: Linux carries ru_maxrss over exec from the forking parent
    with open("/proc/self/status") as status:
        hwm = next(line for line in status if line.startswith("VmHWM:"))
    result["max_rss_mb"] = int(hwm.split()[1]) / 1024
except (OSError, StopIteration):
    result["max_rss_mb"] = result["ru_maxrss_mb"]
print(json.dumps(result, ensure_ascii=False))
"""


def _probe(path: Path) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "omboon.settings")}
    done = subprocess.run([sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True, env=env,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(path.name, result)  # the figures, with -s
    return result


def _xlsx(path: Path, rows, width: int) -> Path:
    """A minimal xlsx of inline strings written straight as XML (xlsxwriter is slow at a
    million rows): the cells of each row as given."""
    letters = [chr(65 + i) for i in range(width)]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>'))
        z.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        z.writestr("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="data" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        z.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'))
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                        b'spreadsheetml/2006/main"><sheetData>')
            buf = io.StringIO()
            for number, cells in enumerate(rows, start=1):
                buf.write(f'<row r="{number}">')
                for letter, value in zip(letters, cells):
                    buf.write(f'<c r="{letter}{number}" t="inlineStr"><is><t>{value}</t></is></c>')
                buf.write("</row>")
                if number % 20000 == 0:
                    sheet.write(buf.getvalue().encode())
                    buf = io.StringIO()
            sheet.write(buf.getvalue().encode() + b"</sheetData></worksheet>")
    return path


# wide enough that MAX_ROWS rows fill the byte limit too
PAD = max(1, limits.MAX_FILE_BYTES * 95 // 100 // limits.MAX_ROWS - 28)


def _rows(count: int, *, short: bool = False):
    yield ["a", "b", "c", "d"]
    for r in range(1, count + 1):
        # short and distinct: the worst for memory
        yield [str(r), "x"] if short else [str(r), f"a{r:08d}", f"b{r:08d}", "x" * PAD]


def _csv(path: Path, count: int, *, short: bool = False) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as out:
        for cells in _rows(count, short=short):
            out.write(",".join(cells) + "\r\n")
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    base = tmp_path_factory.mktemp("limits")
    return {
        "csv at the limit": _csv(base / "at-limit.csv", limits.MAX_ROWS),
        "csv beyond the rows": _csv(base / "beyond.csv", limits.MAX_ROWS + 500_000, short=True),
        "xlsx at the limit": _xlsx(base / "at-limit.xlsx", _rows(limits.MAX_ROWS), 4),
        "xlsx of a million short rows": _xlsx(base / "million.xlsx",
                                              (["a"] if r == 0 else [str(r)] for r in range(1_048_576)), 1),
    }


def test_a_csv_at_the_limits_reads_in_bounded_memory(files):
    path = files["csv at the limit"]
    assert limits.MAX_FILE_BYTES * 0.9 < path.stat().st_size <= limits.MAX_FILE_BYTES  # at the bytes too
    result = _probe(path)
    assert result["rows"] == limits.MAX_ROWS and result["last"] == ["500000", "a00500000", "b00500000", "x" * PAD]
    assert result["max_rss_mb"] < LIMIT_MB


def test_a_csv_beyond_the_rows_stops_at_the_limit_with_a_clear_message(files):
    path = files["csv beyond the rows"]
    assert path.stat().st_size <= limits.MAX_FILE_BYTES
    result = _probe(path)
    assert "500,000" in result["error_th"] and "500,000" in result["error_en"]
    assert result["max_rss_mb"] < LIMIT_MB


def test_an_xlsx_at_the_limit_is_streamed_in_bounded_memory(files):
    result = _probe(files["xlsx at the limit"])
    assert result["rows"] == limits.MAX_ROWS and result["last"] == ["500000", "a00500000", "b00500000", "x" * PAD]
    assert result["max_rss_mb"] < LIMIT_MB


def test_an_xlsx_of_a_million_rows_is_refused_before_it_is_parsed(files):
    path = files["xlsx of a million short rows"]
    assert path.stat().st_size <= limits.MAX_FILE_BYTES
    result = _probe(path)
    assert "500,000" in result["error_th"] and "split the file" in result["error_en"]
    assert result["max_rss_mb"] < 120  # the sheet is scanned as it is unpacked, never held
    assert result["seconds"] < 30


def test_the_stream_reads_as_calamine_does(tmp_path):
    """The streamed reader (for sheets too big for calamine's grid) gives the same rows."""
    import datetime as dt

    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = book.add_worksheet()
    ws.write_row(2, 1, ["a", "b", "c", "d", "e", "f", "g"])
    ws.write_number(3, 1, 5)
    ws.write_number(3, 2, 5.5)
    ws.write_boolean(3, 3, True)
    ws.write_datetime(3, 4, dt.datetime(2020, 2, 29), book.add_format({"num_format": "dd/mm/yyyy"}))
    ws.write_datetime(3, 5, dt.datetime(2020, 2, 29, 13, 30), book.add_format({"num_format": "dd/mm/yyyy hh:mm"}))
    ws.write_formula(3, 6, "=1/0", None, "#DIV/0!")
    ws.write_string(3, 7, "x")
    ws.write_rich_string(6, 1, "ab", book.add_format({"bold": True}), "cd")
    ws.write_number(6, 3, 3100000001011)
    book.add_worksheet("second").write_string(0, 0, "not read")
    book.close()
    data = out.getvalue()
    archive = zipfile.ZipFile(io.BytesIO(data))
    name = xlsx._first_sheet(archive)
    assert xlsx.scan_sheet(archive, name) == (3, 8)
    by_calamine = readers._sheet(xlsx._calamine_rows(data), "xlsx")
    streamed = readers._sheet(xlsx._stream_rows(archive, name), "xlsx")
    assert by_calamine.headers == streamed.headers
    assert len(by_calamine.rows) == len(streamed.rows) == 2
    for (n1, c1), (n2, c2) in zip(by_calamine.rows, streamed.rows):
        assert n1 == n2 and c1[:len(c2)] == c2 and all(c == "" for c in c1[len(c2):])


def test_a_wide_stray_cell_is_seen_by_the_scan(tmp_path):
    """A cell far to the right makes calamine's grid rows × columns: the scan finds it."""
    path = _xlsx(tmp_path / "wide.xlsx", (["a", "b"] for _ in range(3)), 2)
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet1.xml").replace(b"</row></sheetData>",
                                                         b'<c r="ZZ3" t="inlineStr"><is><t>x</t></is></c>'
                                                         b"</row></sheetData>")
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/worksheets/sheet1.xml"] = xml
    with zipfile.ZipFile(path, "w") as z:
        for n, content in parts.items():
            z.writestr(n, content)
    with zipfile.ZipFile(path) as z:
        assert xlsx.scan_sheet(z, "xl/worksheets/sheet1.xml") == (3, 26 * 26 + 26)


def test_the_rows_kept_beyond_the_plain_part_read_back_the_same():
    rows = readers.Rows()
    items = [(n, [str(n), "x"]) for n in range(readers.PLAIN_CELLS // 2 + 10_000)]
    for item in items:
        rows.append(item)
    rows._seal()
    assert len(rows) == len(items) and rows == items
    assert rows[len(items) - 1] == items[-1] and rows[-1] == items[-1]
    middle = readers.PLAIN_CELLS // 2 - 5
    assert rows[middle:middle + 5000] == items[middle:middle + 5000]
    import pickle

    again = pickle.loads(pickle.dumps(rows))
    assert again == items and len(again) == len(items)


@pytest.mark.django_db
def test_an_upload_over_the_limits_is_refused_and_nothing_is_stored(client, tree, treasurer, settings, tmp_path):
    from django.urls import reverse

    from omboon.core.models import AuditEvent
    from omboon.imports.models import ImportJob

    settings.OMBOON_IMPORTS_DIR = str(tmp_path / "uploads")
    client.force_login(treasurer)
    home = reverse("imports-home", kwargs={"org": tree.group_a.code})
    before = AuditEvent.objects.count()
    rows = io.BytesIO(b"a,b\r\n" + b"".join(b"%d,x\r\n" % r for r in range(limits.MAX_ROWS + 10)))
    rows.name = "many.csv"
    page = client.post(home, {"kind": "members", "file": rows}, follow=True).content.decode()
    assert "500,000" in page and "แถว" in page
    big = io.BytesIO(b"a,b\r\n" + b"1,x\r\n" * (limits.MAX_FILE_BYTES // 5 + 1000))
    big.name = "big.csv"
    page = client.post(home, {"kind": "members", "file": big}, follow=True).content.decode()
    assert f"{limits.MAX_FILE_BYTES // limits.MB} MB" in page and "เกินขนาด" in page
    assert not ImportJob.objects.exists() and AuditEvent.objects.count() == before
    assert not any((tmp_path / "uploads").rglob("*.*"))


@pytest.mark.django_db
def test_a_job_page_parses_the_file_once(client, tree, treasurer, settings, tmp_path, monkeypatch):
    """The parse and the check are kept beside the upload; a new mapping checks again."""
    from django.urls import reverse

    from omboon.imports import services
    from omboon.imports.tests.helpers import MEMBER_HEADERS, csv_bytes, member_rows

    settings.OMBOON_IMPORTS_DIR = str(tmp_path)
    client.force_login(treasurer)
    rows = member_rows(3)
    rows[1][6] = "31/02/2515"
    upload = io.BytesIO(csv_bytes(MEMBER_HEADERS, rows))
    upload.name = "m.csv"
    reads, checks = [], []
    real_read, real_check = readers.read_table, services.import_check
    monkeypatch.setattr(services, "read_table", lambda *a, **k: reads.append(1) or real_read(*a, **k))
    monkeypatch.setattr(services, "import_check", lambda **k: checks.append(1) or real_check(**k))
    url = client.post(reverse("imports-home", kwargs={"org": tree.group_a.code}),
                      {"kind": "members", "file": upload})["Location"]
    job_id = int(url.rstrip("/").rsplit("/", 1)[1])
    for _ in range(3):
        assert client.get(url).status_code == 200
    for name in ("imports-errors", "imports-mapping"):
        assert client.get(reverse(name, kwargs={"org": tree.group_a.code, "job_id": job_id})).status_code == 200
    assert len(reads) == 1 and len(checks) == 1  # parsed at upload, checked once for five views
    client.post(url, {"action": "mapping", "colidx:0": "number", "colidx:2": "first_name", "colidx:3": "last_name",
                      "colidx:4": "sex", "colidx:5": "national_id", "colidx:6": "birth_date",
                      "colidx:7": "join_date"})
    page = client.get(url).content.decode()
    assert len(reads) == 1 and len(checks) == 2  # a new mapping: checked again, not parsed again
    assert "คำนำหน้า" in page
