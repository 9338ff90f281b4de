"""A schedule as text a person or a program reads: baht strings (json, csv) and a Thai PDF
(Sarabun through ``core.pdf``). Pure: no database."""

from __future__ import annotations

import csv
import io
import json

from django.template.loader import render_to_string

from omboon.core.fonts import pdf_font_css
from omboon.core.money import format_baht
from omboon.core.pdf import html_to_pdf
from omboon.core.thaidate import format_date
from omboon.loans.schedule import METHOD_NAMES, Instalment, Terms

FIELDS = ("n", "due", "principal", "interest", "total", "balance")
EVERY_TH = {"week": "รายสัปดาห์", "month": "รายเดือน", "year": "รายปี"}
PER_TH = {"year": "ต่อปี", "month": "ต่อเดือน"}


def baht(satang: int) -> str:
    """Plain baht with two decimals, no grouping: "20000.00" (what a program reads)."""
    whole, part = divmod(abs(satang), 100)
    return f"{'-' if satang < 0 else ''}{whole}.{part:02d}"


def as_rows(instalments: list[Instalment]) -> list[dict]:
    return [{"n": i.n, "due": i.due.isoformat(), "principal": baht(i.principal), "interest": baht(i.interest),
             "total": baht(i.total), "balance": baht(i.balance)} for i in instalments]


def as_json(instalments: list[Instalment]) -> str:
    return json.dumps(as_rows(instalments), ensure_ascii=False, indent=1)


def as_csv(instalments: list[Instalment]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(as_rows(instalments))
    return out.getvalue()


def as_html(instalments: list[Instalment], *, terms: Terms, principal: int, disbursed_on, for_pdf: bool = True) -> str:
    return render_to_string("loans/schedule_print.html", {
        "font_css": pdf_font_css() if for_pdf else "",
        "principal": format_baht(principal), "disbursed": format_date(disbursed_on, "long"),
        "method": METHOD_NAMES.get(terms.method, (terms.method,))[0], "rate": terms.rate,
        "per": PER_TH.get(terms.per, terms.per),
        "every": EVERY_TH.get(terms.every, terms.every), "term": terms.term, "grace_principal": terms.grace_principal,
        "grace_interest": terms.grace_interest, "rounding": format_baht(terms.rounding),
        "rows": [{"n": i.n, "due": format_date(i.due), "principal": format_baht(i.principal),
                  "interest": format_baht(i.interest), "total": format_baht(i.total), "balance": format_baht(i.balance)}
                 for i in instalments],
        "sums": {"principal": format_baht(sum(i.principal for i in instalments)),
                 "interest": format_baht(sum(i.interest for i in instalments)),
                 "total": format_baht(sum(i.total for i in instalments))},
    })


def as_pdf(instalments: list[Instalment], *, terms: Terms, principal: int, disbursed_on) -> bytes:
    return html_to_pdf(as_html(instalments, terms=terms, principal=principal, disbursed_on=disbursed_on))
