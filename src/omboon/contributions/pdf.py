"""Printed receipts (A5 and 80-mm slip) and passbook PDFs, in Sarabun, from local files only.

The receipt's print page is standalone HTML (the browser's print dialog makes it paper); the
PDF is the same page through WeasyPrint (``omboon.core.pdf``). The passbook PDF is the
``passbook`` report through the renderers (``omboon.core.reporting.render``, injected by
``omboon.reports``).
"""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.utils import timezone

from omboon.contributions.models import Receipt
from omboon.contributions.reports import PassbookReport
from omboon.core import reporting
from omboon.core.bahttext import baht_text, english_text
from omboon.core.fonts import pdf_font_css
from omboon.core.pdf import html_to_pdf
from omboon.core.thaidate import format_date

PART_WORDS = {"penalty": ("ค่าปรับ", "penalty"), "fee": ("ค่าธรรมเนียม", "fee"),
              "interest": ("ดอกเบี้ย", "interest"), "principal": ("เงินต้น", "principal")}


def receipt_parts(receipt: Receipt, lang: str = "th") -> list[dict]:
    """The receipt's savings deposits and loan repayments, each loan's split in words."""
    out = []
    for p in receipt.parts.all():
        split = [(PART_WORDS[k][lang == "en"], v) for k, v in (p.detail or {}).items() if k in PART_WORDS and v]
        out.append({"label": p.label(lang), "amount": p.amount, "split": split})
    return out


PAPER = {
    "a5": {"page": "A5", "width": "148mm", "margin": "10mm 12mm"},
    "slip": {"page": "80mm 200mm", "width": "72mm", "margin": "3mm 4mm"},
}


def _moo(moo, lang: str) -> str:
    """The village number (หมู่) of an address, in the receipt's language."""
    if not moo:
        return ""
    return f"Moo {moo}" if lang == "en" else f"หมู่ {moo}"


def receipt_context(receipt: Receipt, *, size: str, lang: str = "th") -> dict:
    org = receipt.organisation
    items = list(receipt.items.all())
    return {
        "receipt": receipt, "items": items, "parts": receipt_parts(receipt, lang), "org": org, "size": size,
        "paper": PAPER[size], "lang": lang,
        "org_name": org.name(lang), "baht_text": baht_text(receipt.total),  # in Thai on every receipt, as the law asks
        "words_en": english_text(receipt.total) if lang == "en" else "",
        "date_text": format_date(receipt.date, "long", lang=lang),
        "printed_on": format_date(timezone.localdate(), "long", lang=lang),
        "address": " ".join(x for x in [org.house_no, _moo(org.moo, lang), org.street, org.postcode] if x),
    }


def receipt_html(receipt: Receipt, *, size: str, for_pdf: bool, lang: str = "th") -> str:
    ctx = receipt_context(receipt, size=size, lang=lang)
    ctx["font_css"] = pdf_font_css() if for_pdf else ""
    ctx["for_pdf"] = for_pdf
    return render_to_string("contributions/receipt_print.html", ctx)


def receipt_pdf(receipt: Receipt, *, size: str = "a5", lang: str = "th") -> bytes:
    return html_to_pdf(receipt_html(receipt, size=size, for_pdf=True, lang=lang))


def passbook_pdf(member, *, as_of: dt.date | None = None, lang: str = "th") -> bytes:
    result = PassbookReport().build(organisation=member.organisation, start=None, end=as_of, lang=lang,
                                    params={"member_id": str(member.pk)})
    return reporting.render(result, "pdf", lang=lang)
