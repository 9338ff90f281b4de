"""Renderers: any registry ``Result`` to HTML, xlsx, PDF, csv or json.

A report only builds plain tables (``omboon.core.reporting``); everything about output lives
here, so every report prints, exports and downloads the same way.

    from omboon.reports import render
    data = render.render(result, "pdf", lang="th")          # bytes, whatever the format
    render.CONTENT_TYPES["pdf"], render.filename(result, "pdf")
    render.to_html(result, request=request)                  # a full page (web/base.html)
    render.to_html_fragment(result)                          # the tables and charts only

Conventions the renderers read from a ``Result``:

- a money cell is integer satang; ``None`` is an empty cell in every format;
- a row key starting with "_" is not a column: ``_style`` may be "heading" or "subtotal"
  (drawn bold) and ``_indent`` a level (0, 1, 2) for the first column;
- ``result.charts`` holds SVG from ``omboon.core.charts`` (drawn in HTML and PDF only);
- ``result.signatures`` adds lines for the treasurer, the chair and the auditor to the PDF.

Formats: html and print html (str), csv (str, UTF-8 with a BOM once encoded), json (str,
money as integer satang, dates ISO), xlsx and pdf (bytes).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.template.loader import render_to_string
from django.utils import timezone
from xlsxwriter.utility import xl_col_to_name

from omboon.core.fonts import pdf_font_css
from omboon.core.money import format_baht
from omboon.core.pdf import html_to_pdf
from omboon.core.reporting import DATE, INT, MONEY, PCT, TEXT, Column, Result, Table, formula_safe
from omboon.core.thaidate import format_date, format_month
from omboon.reports.logo import logo_data_uri

FORMATS = ("html", "xlsx", "pdf", "csv", "json")
TEXT_FORMATS = ("html", "csv", "json")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
FORMAT_LABELS = {"html": "HTML", "xlsx": "Excel (xlsx)", "pdf": "PDF", "csv": "CSV", "json": "JSON"}

WORDS = {
    "th": {
        "total": "รวม",
        "period": "ช่วงเวลา",
        "printed_on": "พิมพ์เมื่อ",
        "page": "หน้า",
        "since_founding": "ตั้งแต่ก่อตั้ง",
        "to_date": "ถึงปัจจุบัน",
        "from": "ตั้งแต่",
        "to": "ถึง",
        "as_of": "ณ วันที่",
        "month": "ประจำเดือน",
        "notes": "หมายเหตุ",
        "no_rows": "ไม่มีรายการ",
        "sign": "ลงชื่อ",
        "date": "วันที่",
        "treasurer": "เหรัญญิก",
        "chair": "ประธานกรรมการ",
        "auditor": "ผู้ตรวจสอบ",
        "organisation": "องค์กร",
        "report": "รายงาน",
        "amount_unit": "หน่วย: บาท",
    },
    "en": {
        "total": "Total",
        "period": "Period",
        "printed_on": "Printed on",
        "page": "Page",
        "since_founding": "Since founding",
        "to_date": "to date",
        "from": "From",
        "to": "to",
        "as_of": "As of",
        "month": "Month of",
        "notes": "Notes",
        "no_rows": "No rows",
        "sign": "Signed",
        "date": "Date",
        "treasurer": "Treasurer",
        "chair": "Chair",
        "auditor": "Auditor",
        "organisation": "Organisation",
        "report": "Report",
        "amount_unit": "Amounts in baht",
    },
}


def _lang(lang: str | None) -> str:
    return "en" if lang == "en" else "th"


def words(lang: str = "th") -> dict[str, str]:
    return WORDS[_lang(lang)]


# --- shared pieces ------------------------------------------------------------------------


def baht_decimal(satang: int) -> Decimal:
    """Exact baht from satang: Decimal(123450) / 100 == Decimal("1234.50")."""
    return Decimal(int(satang)) / 100


def plain_baht(satang: int) -> str:
    """Baht without separators for machines: 123450 → "1234.50", -5 → "-0.05"."""
    whole, fraction = divmod(abs(int(satang)), 100)
    return f"{'-' if satang < 0 else ''}{whole}.{fraction:02d}"


def css_string(text: str) -> str:
    """A quoted CSS string that cannot close its rule or the <style> element."""
    out = []
    for ch in str(text):
        if ch in '"\\<>&' or ord(ch) < 0x20:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def period_label(start: dt.date | None, end: dt.date | None, lang: str = "th") -> str:
    """The period in words: พ.ศ. in Thai ("มกราคม 2568", "1 ม.ค. 2568 ถึง 31 มี.ค. 2568")."""
    lang = _lang(lang)
    w = WORDS[lang]
    if start and end and start.day == 1 and start.year == end.year and start.month == end.month:
        next_month = (end + dt.timedelta(days=1))
        if next_month.day == 1:
            return f"{w['month']} {format_month(start.year, start.month, lang=lang)}"
    if start and end:
        if start == end:
            return f"{w['as_of']} {format_date(end, 'long', lang=lang)}"
        return f"{w['from']} {format_date(start, 'long', lang=lang)} {w['to']} {format_date(end, 'long', lang=lang)}"
    if start:
        return f"{w['from']} {format_date(start, 'long', lang=lang)} {w['to_date']}"
    if end:
        return f"{w['since_founding']} {w['to']} {format_date(end, 'long', lang=lang)}"
    return f"{w['since_founding']} {w['to_date']}"


def format_cell(value: Any, kind: str, lang: str = "th") -> str:
    """A cell as people read it (HTML and PDF)."""
    if value is None or value == "":
        return ""
    if kind == MONEY and isinstance(value, int) and not isinstance(value, bool):
        return format_baht(value)
    if kind == INT and isinstance(value, int):
        return f"{value:,}"
    if kind == PCT and isinstance(value, (int, float, Decimal)):
        return f"{value:,.2f}%"
    if isinstance(value, dt.date):
        return format_date(value, "short", lang=_lang(lang))
    return str(value)


def _is_number_kind(kind: str) -> bool:
    return kind in (MONEY, INT, PCT)


@dataclass
class CellView:
    text: str
    numeric: bool
    negative: bool = False


@dataclass
class RowView:
    cells: list[CellView]
    style: str = ""
    indent: int = 0


@dataclass
class TableView:
    title: str
    headers: list[tuple[str, bool]]  # (title, numeric)
    rows: list[RowView]
    totals: list[CellView] | None


def table_view(table: Table, lang: str = "th") -> TableView:
    """A table with every cell formatted, for the HTML and PDF templates."""
    lang = _lang(lang)
    cols = table.columns
    rows = []
    for row in table.rows:
        cells = []
        for c in cols:
            value = row.get(c.key)
            negative = isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) and value < 0
            cells.append(CellView(format_cell(value, c.kind, lang), _is_number_kind(c.kind), negative))
        rows.append(RowView(cells, style=str(row.get("_style") or ""), indent=int(row.get("_indent") or 0)))
    totals = None
    summed = table.totals()
    if summed:
        totals = []
        for i, c in enumerate(cols):
            if c.key in summed:
                value = summed[c.key]
                totals.append(CellView(format_cell(value, c.kind, lang), True, value < 0))
            elif i == 0:
                totals.append(CellView(WORDS[lang]["total"], False))
            else:
                totals.append(CellView("", _is_number_kind(c.kind)))
    headers = [(c.title(lang), _is_number_kind(c.kind)) for c in cols]
    return TableView(table.title(lang), headers, rows, totals)


def _context(result: Result, lang: str, printed_on: dt.date | None = None) -> dict[str, Any]:
    lang = _lang(lang)
    org = result.organisation
    printed = printed_on or timezone.localdate()
    return {
        "result": result,
        "lang": lang,
        "w": WORDS[lang],
        "title": result.title(lang),
        "org_name": org.name(lang) if hasattr(org, "name") else str(org),
        "org_code": getattr(org, "code", ""),
        "period": period_label(result.start, result.end, lang),
        "printed_on": format_date(printed, "long", lang=lang),
        "tables": [table_view(t, lang) for t in result.tables],
        "charts": list(result.charts),
        "notes": list(result.notes),
    }


# --- HTML ---------------------------------------------------------------------------------


def to_html_fragment(result: Result, *, lang: str = "th") -> str:
    """The report's tables, charts and notes, to put inside any page (htmx swaps this)."""
    return render_to_string("reports/_result.html", _context(result, lang))


def to_html(result: Result, *, lang: str = "th", request=None, extra: dict | None = None) -> str:
    """A full page extending web/base.html (the web shell), with the period form if given."""
    ctx = _context(result, lang)
    ctx.update(extra or {})
    return render_to_string("reports/report.html", ctx, request=request)


def to_print_html(result: Result, *, lang: str = "th", printed_on: dt.date | None = None,
                  font_css: str | None = None) -> str:
    """The standalone print layout the PDF is made from (A4, Sarabun, signature lines).

    ``font_css`` None embeds @font-face rules with file:// URLs (PDF, a saved file); "" links
    the static ``omboon/fonts.css`` instead (a page served by the web app).
    """
    ctx = _context(result, lang, printed_on)
    ctx["font_css"] = pdf_font_css() if font_css is None else font_css
    ctx["logo_url"] = _logo_url(result.organisation)
    w = ctx["w"]
    ctx["css"] = {  # quoted CSS strings for the page margin boxes
        "printed": css_string(f"{w['printed_on']} {ctx['printed_on']}"),
        "org": css_string(ctx["org_name"]),
        "page": css_string(f"{w['page']} "),
    }
    return render_to_string("reports/print.html", ctx)


def _logo_url(org) -> str:
    """The organisation's uploaded logo as a data URI, or "" (no logo: no logo box)."""
    return logo_data_uri(org)


# --- PDF ----------------------------------------------------------------------------------


def to_pdf(result: Result, *, lang: str = "th", printed_on: dt.date | None = None) -> bytes:
    """A4 PDF in Sarabun via WeasyPrint; fonts and images come only from local files."""
    return html_to_pdf(to_print_html(result, lang=lang, printed_on=printed_on))


# --- xlsx ---------------------------------------------------------------------------------

_XL_DATE = "[$-107041E]d/m/yyyy"  # Thai locale, Buddhist calendar: 22/11/2569
_XL_DATE_EN = "d mmm yyyy"


def _col_letter(index: int) -> str:
    return xl_col_to_name(index)


def to_xlsx(result: Result, *, lang: str = "th", printed_on: dt.date | None = None) -> bytes:
    """One worksheet: org name, Thai title, period, then each table with a SUM totals row.

    Money is written as baht numbers ("#,##0.00") computed exactly from satang; counts as
    integers; dates as dates; every text cell with ``write_string``, so a name such as
    "=HYPERLINK(...)" stays text and never becomes a formula.
    """

    lang = _lang(lang)
    w = WORDS[lang]
    ctx = _context(result, lang, printed_on)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False,
                                   "strings_to_numbers": False, "strings_to_urls": False})
    font = {"font_name": "Sarabun", "font_size": 11}
    f_text = wb.add_format(font)
    f_org = wb.add_format({**font, "bold": True, "font_size": 12})
    f_title = wb.add_format({**font, "bold": True, "font_size": 14})
    f_table = wb.add_format({**font, "bold": True, "font_size": 12})
    f_head = wb.add_format({**font, "bold": True, "bg_color": "#E8EEF4", "border": 1,
                            "text_wrap": True, "valign": "vcenter"})
    f_head_num = wb.add_format({**font, "bold": True, "bg_color": "#E8EEF4", "border": 1,
                                "text_wrap": True, "valign": "vcenter", "align": "right"})
    num = {
        MONEY: "#,##0.00",
        INT: "#,##0",
        PCT: "0.00%",
        DATE: _XL_DATE if lang == "th" else _XL_DATE_EN,
    }
    f_cell = {k: wb.add_format({**font, "num_format": v}) for k, v in num.items()}
    f_cell_bold = {k: wb.add_format({**font, "num_format": v, "bold": True}) for k, v in num.items()}
    f_text_bold = wb.add_format({**font, "bold": True})
    f_total = {k: wb.add_format({**font, "num_format": v, "bold": True, "top": 1, "bottom": 6})
               for k, v in num.items()}
    f_total_text = wb.add_format({**font, "bold": True, "top": 1, "bottom": 6})
    indents = [wb.add_format({**font, "indent": n}) for n in range(4)]

    ws = wb.add_worksheet(_sheet_name(result.code))
    ws.hide_gridlines(0)
    ws.set_landscape() if max((len(t.columns) for t in result.tables), default=0) > 5 else ws.set_portrait()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.set_footer(f"&L{w['printed_on']} {ctx['printed_on']}&R{w['page']} &P/&N")

    widths: dict[int, float] = {}

    def width(col: int, text: str, minimum: float = 8) -> None:
        widths[col] = max(widths.get(col, minimum), min(60, len(text) * 1.1 + 2))

    r = 0
    ws.write_string(r, 0, ctx["org_name"], f_org)
    r += 1
    ws.write_string(r, 0, ctx["title"], f_title)
    r += 1
    ws.write_string(r, 0, ctx["period"], f_text)
    r += 1
    ws.write_string(r, 0, f"{w['printed_on']} {ctx['printed_on']}", f_text)
    r += 2

    for table in result.tables:
        ws.write_string(r, 0, table.title(lang), f_table)
        r += 1
        for ci, c in enumerate(table.columns):
            ws.write_string(r, ci, c.title(lang), f_head_num if _is_number_kind(c.kind) else f_head)
            width(ci, c.title(lang), 10 if _is_number_kind(c.kind) else 8)
        r += 1
        first = r
        for row in table.rows:
            bold = row.get("_style") in ("heading", "subtotal")
            for ci, c in enumerate(table.columns):
                value = row.get(c.key)
                fmt = (f_cell_bold if bold else f_cell).get(c.kind)
                indent = indents[min(3, int(row.get("_indent") or 0))]
                text_fmt = f_text_bold if bold else (indent if ci == 0 else f_text)
                _xl_write(ws, r, ci, value, c, fmt, text_fmt)
                if value is not None:
                    width(ci, format_cell(value, c.kind, lang))
            r += 1
        last = r - 1
        summed = table.totals()
        if summed:
            for ci, c in enumerate(table.columns):
                if c.key in summed:
                    letter = _col_letter(ci)
                    formula = f"=SUM({letter}{first + 1}:{letter}{last + 1})" if last >= first else "=0"
                    ws.write_formula(r, ci, formula, f_total.get(c.kind, f_total_text),
                                     _xl_value(summed[c.key], c.kind))
                elif ci == 0:
                    ws.write_string(r, ci, w["total"], f_total_text)
                else:
                    ws.write_blank(r, ci, None, f_total_text)
            r += 1
        r += 1

    if result.notes:
        ws.write_string(r, 0, w["notes"], f_text_bold)
        r += 1
        for note in result.notes:
            ws.write_string(r, 0, str(note), f_text)
            r += 1

    for ci, wdt in widths.items():
        ws.set_column(ci, ci, wdt)
    wb.set_properties({"title": ctx["title"], "subject": ctx["period"], "company": ctx["org_name"],
                       "comments": "Omboon"})
    wb.close()
    return buf.getvalue()


def _sheet_name(code: str) -> str:
    name = "".join(ch for ch in code if ch not in "[]:*?/\\'")[:31]
    return name or "report"


def _xl_value(value: Any, kind: str):
    if kind == MONEY and isinstance(value, int):
        return float(baht_decimal(value))
    if kind == PCT and isinstance(value, (int, float, Decimal)):
        return float(Decimal(str(value)) / 100)
    return value


def _xl_write(ws, r: int, c: int, value: Any, col: Column, fmt, text_fmt) -> None:
    if value is None or value == "":
        ws.write_blank(r, c, None, text_fmt)
    elif isinstance(value, bool):
        ws.write_string(r, c, str(value), text_fmt)
    elif col.kind == MONEY and isinstance(value, int):
        ws.write_number(r, c, float(baht_decimal(value)), fmt)
    elif col.kind == INT and isinstance(value, int):
        ws.write_number(r, c, value, fmt)
    elif col.kind == PCT and isinstance(value, (int, float, Decimal)):
        ws.write_number(r, c, _xl_value(value, PCT), fmt)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(r, c, value.replace(tzinfo=None), fmt or text_fmt)
    elif isinstance(value, dt.date):
        ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), fmt or text_fmt)
    else:
        ws.write_string(r, c, str(value), text_fmt)


# --- csv ----------------------------------------------------------------------------------


def _csv_value(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if kind == MONEY and isinstance(value, int):
        return plain_baht(value)
    if isinstance(value, (int, float, Decimal)) and kind in (INT, PCT):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return formula_safe(str(value))


def to_csv(result: Result, *, lang: str = "th", printed_on: dt.date | None = None) -> str:
    """UTF-8 text starting with a BOM (so Excel reads Thai); money as plain baht "1234.50".

    A header block (organisation, title, period), then each table with its title, a header
    row, the rows and a totals row, separated by a blank line. Text is formula-safe.
    """
    lang = _lang(lang)
    ctx = _context(result, lang, printed_on)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([formula_safe(ctx["org_name"])])
    writer.writerow([formula_safe(ctx["title"])])
    writer.writerow([formula_safe(ctx["period"])])
    for table in result.tables:
        writer.writerow([])
        if table.title(lang):
            writer.writerow([formula_safe(table.title(lang))])
        writer.writerow([formula_safe(c.title(lang)) for c in table.columns])
        for row in table.rows:
            writer.writerow([_csv_value(row.get(c.key), c.kind) for c in table.columns])
        summed = table.totals()
        if summed:
            writer.writerow([
                _csv_value(summed[c.key], c.kind) if c.key in summed
                else (WORDS[lang]["total"] if i == 0 else "")
                for i, c in enumerate(table.columns)
            ])
    for note in result.notes:
        writer.writerow([])
        writer.writerow([formula_safe(str(note))])
    return out.getvalue()


# --- json ---------------------------------------------------------------------------------


def _json_value(value: Any, kind: str):
    if value is None or isinstance(value, bool):
        return value
    if kind == MONEY:
        if isinstance(value, Decimal) and value == value.to_integral_value():
            return int(value)
        if isinstance(value, int):
            return int(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (int, float, str)):
        return value
    return str(value)


def to_data(result: Result, *, lang: str = "th") -> dict[str, Any]:
    """The result as plain data: money in integer satang, dates ISO (what to_json writes)."""
    lang = _lang(lang)
    org = result.organisation
    tables = []
    for table in result.tables:
        summed = table.totals()
        tables.append({
            "title": table.title(lang),
            "columns": [{"key": c.key, "title": c.title(lang), "kind": c.kind, "total": c.total}
                        for c in table.columns],
            "rows": [
                {k: _json_value(v, _kind_of(table, k)) for k, v in row.items()}
                for row in table.rows
            ],
            "totals": {k: _json_value(v, _kind_of(table, k)) for k, v in summed.items()} if summed else None,
        })
    return {
        "code": result.code,
        "title": result.title(lang),
        "title_th": result.title_th,
        "title_en": result.title_en,
        "lang": lang,
        "organisation": {"code": getattr(org, "code", None),
                         "name": org.name(lang) if hasattr(org, "name") else str(org)},
        "start": result.start.isoformat() if result.start else None,
        "end": result.end.isoformat() if result.end else None,
        "money_unit": "satang",
        "tables": tables,
        "notes": [str(n) for n in result.notes],
    }


def _kind_of(table: Table, key: str) -> str:
    for c in table.columns:
        if c.key == key:
            return c.kind
    return TEXT


def to_json(result: Result, *, lang: str = "th") -> str:
    return json.dumps(to_data(result, lang=lang), ensure_ascii=False, indent=2)


# --- one door -----------------------------------------------------------------------------


def render(result: Result, fmt: str, *, lang: str = "th", request=None) -> bytes:
    """``fmt`` in FORMATS; returns bytes ready for a file or an HTTP response."""
    if fmt == "html":
        # A standalone printable page: from the web it links the static fonts.css; saved by
        # the command it embeds file:// fonts so it opens offline on the same machine.
        font_css = "" if request is not None else None
        return to_print_html(result, lang=lang, font_css=font_css).encode("utf-8")
    if fmt == "xlsx":
        return to_xlsx(result, lang=lang)
    if fmt == "pdf":
        return to_pdf(result, lang=lang)
    if fmt == "csv":
        return to_csv(result, lang=lang).encode("utf-8")
    if fmt == "json":
        return to_json(result, lang=lang).encode("utf-8")
    raise ValueError(f"ไม่รู้จักรูปแบบ {fmt} / unknown format {fmt}; ใช้ / use: {', '.join(FORMATS)}")


def filename(result: Result, fmt: str) -> str:
    """e.g. "trial-balance_BDC_2025-01-01_2025-01-31.pdf" (ASCII, safe in any browser)."""
    parts = [result.code, str(getattr(result.organisation, "code", "") or "")]
    if result.start:
        parts.append(result.start.isoformat())
    if result.end:
        parts.append(result.end.isoformat())
    stem = "_".join(p for p in parts if p)
    stem = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "-" for ch in stem)
    return f"{stem}.{fmt}"
