"""Every registered report prints cleanly: no page of its PDF holds only a heading, only the
signature lines, or ends on a table's heading whose table starts on the next page.

Size: the reports' worked example (``scenario``: three groups of 14, 9 and 6 members, eighteen
months of books), with group A's member register grown to 120 members so the member lists run
over several pages. Where a page breaks depends on the data (a demo group of 850 members has
longer charts and tables than the example), so the group-status and fund-status reports are
also printed with 0 to 224 mm of blank space above them, in 8 mm steps, which moves every page
break across every heading, table and the signatures: with the CSS before issue 19 that sweep
finds group-status's heading "สมาชิก" alone at the foot of a page and fund-status's
signatures alone on one. Each page's text comes from ``pdftotext -f N -l N``; the running
footer (printed-on date, organisation, page N/M) is taken off first.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest

from omboon.core import reporting
from omboon.members import services as members
from omboon.members.tests.helpers import row
from omboon.reports import render
from omboon.reports.tests import scenario

pytestmark = pytest.mark.django_db

PRINTED = dt.date(2024, 7, 3)
FOOTER = re.compile(r"(หน้า|Page) \d+/\d+\s*$")
SIGNATURE_WORDS = {w for lang in ("th", "en") for key in ("sign", "date", "treasurer", "chair", "auditor")
                   for w in [render.WORDS[lang][key]]}


def page_texts(path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    return [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-"], check=True,
                           capture_output=True, text=True).stdout for n in range(1, pages + 1)]


def content_lines(text: str) -> list[str]:
    """A page's lines without blanks and without the running footer."""
    return [line.strip() for line in text.splitlines() if line.strip() and not FOOTER.search(line)]


def is_signature_line(line: str) -> bool:
    cells = [c for c in re.split(r"\s{2,}", line) if c]
    return all(re.fullmatch(r"[.()/ ]+", c) or any(c.startswith(w) for w in SIGNATURE_WORDS) for c in cells)


def page_problems(texts: list[str], headings: set[str]) -> list[str]:
    """What is wrong with the pages: [] when every page carries real content."""
    problems = []
    for n, text in enumerate(texts, start=1):
        lines = content_lines(text)
        if not lines:
            problems.append(f"page {n} is empty")
        elif all(is_signature_line(line) for line in lines):
            problems.append(f"page {n} holds only the signature lines")
        elif len(lines) == 1 and lines[0] in headings:
            problems.append(f"page {n} holds only the heading {lines[0]!r}")
        elif n < len(texts) and lines[-1] in headings:
            problems.append(f"page {n} ends on the heading {lines[-1]!r}, its table starts on page {n + 1}")
    return problems


def test_page_problems_are_found():
    footer = "พิมพ์เมื่อ 3 กรกฎาคม 2567     กองทุน     หน้า 2/3"
    signatures = ("ลงชื่อ ......   ลงชื่อ ......   ลงชื่อ ......\n(......)   (......)   (......)\n"
                  "เหรัญญิก   ประธานกรรมการ   ผู้ตรวจสอบ\nวันที่ ..../..../....   วันที่ ..../..../....\n")
    assert page_problems(["a table\nสมาชิก\n" + footer, "สมาชิก จำนวน\nรวม 5\n" + footer], {"สมาชิก"}) == [
        "page 1 ends on the heading 'สมาชิก', its table starts on page 2"]
    assert page_problems(["rows\n" + footer, signatures + footer], set()) == [
        "page 2 holds only the signature lines"]
    assert page_problems(["rows\n" + footer, "สมาชิก\n" + footer], {"สมาชิก"}) == [
        "page 2 holds only the heading 'สมาชิก'"]
    assert page_problems(["rows\nสมาชิก จำนวน\n1 2\n" + footer, "rows\n" + signatures + footer],
                         {"สมาชิก"}) == []


def _grow(group, n: int) -> None:
    for i in range(n):
        members.member_create(actor=None, organisation=group,
                              **row(1000 + i, join_date=dt.date(2023, 1 + i % 12, 1 + i % 28)))


def _swept(html: str, heights) -> str:
    """The print page's body once per height, each copy on new pages below that much space."""
    head, rest = html.split('<body class="omb-report">', 1)
    body, tail = rest.rsplit("</body>", 1)
    body = body.replace('id="omb-report-result"', "")  # one anchor per document
    copies = "".join(f'<div style="break-before: page"><div style="height: {h}mm"></div>{body}</div>'
                     for h in heights)
    return f'{head}<body class="omb-report">{copies}</body>{tail}'


@pytest.mark.parametrize("code", ["group-status", "fund-status"])
def test_headings_and_signatures_keep_with_their_tables_wherever_the_page_breaks(tree, tmp_path, code):
    scenario.build(tree, None)
    result = reporting.get(code).build(organisation=tree.group_a, start=None, end=scenario.END)
    path = tmp_path / f"{code}-swept.pdf"
    path.write_bytes(render.html_to_pdf(_swept(render.to_print_html(result, printed_on=PRINTED),
                                               range(0, 232, 8))))
    headings = {t.title("th") for t in result.tables if t.title("th")}
    assert page_problems(page_texts(path), headings) == []


def test_every_report_prints_cleanly(tree, tmp_path):
    built = scenario.build(tree, None)
    _grow(tree.group_a, 106)
    member = built.members["BDC"][0]
    reporting.autodiscover()
    problems = {}
    for code, report in sorted(reporting.REGISTRY.items()):
        if code.startswith("zz-"):  # test-only reports of other tests
            continue
        orgs = [tree.group_a] if report.groups_only else [tree.group_a, tree.zone]
        for org in orgs:
            result = report.build(organisation=org, start=dt.date(2023, 1, 1), end=scenario.END,
                                  params={"member": member.number})
            path = tmp_path / f"{code}-{org.code}.pdf"
            path.write_bytes(render.to_pdf(result, printed_on=PRINTED))
            headings = {t.title("th") for t in result.tables if t.title("th")}
            found = page_problems(page_texts(path), headings)
            if found:
                problems[f"{code} {org.code}"] = found
    assert problems == {}
