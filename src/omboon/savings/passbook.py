"""The passbook (สมุดคู่ฝาก) of a savings account and its statements, on screen and as PDF.

A passbook is the account's ledger lines in the order they were posted, each on one line of the
book: date (พ.ศ.), item, deposit, withdrawal, balance and the initials of who recorded it. A
page holds ``LINES_PER_PAGE`` lines. ``models.PassbookPrint`` remembers the last line printed,
so "print" puts only the new lines on paper, starting on the next free line of the page the
book is open at (the lines above are left blank on the PDF: the paper already has them), and
a full page turns to the next one.

Statements are ``selectors.statement`` of any period, with the balance brought forward.
The PDFs are HTML through WeasyPrint (``omboon.core.pdf``) in Sarabun from local files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from omboon.core.bahttext import amount_words
from omboon.core.fonts import pdf_font_css
from omboon.core.money import format_baht
from omboon.core.pdf import html_to_pdf
from omboon.core.thaidate import format_date
from omboon.ledger.models import DEBIT_NORMAL, DocumentType, JournalLine
from omboon.savings import selectors
from omboon.savings.models import Account, PassbookPrint

LINES_PER_PAGE = 24

# What each line's "item" column says (Thai, English), as a passbook's codes do.
ITEMS = {
    "deposit": ("ฝาก", "Deposit"),
    "withdrawal": ("ถอน", "Withdrawal"),
    "interest": ("ดอกเบี้ย", "Interest"),
    "reversal": ("กลับรายการ", "Reversal"),
    "adjustment": ("ปรับปรุง", "Adjustment"),
}


@dataclass(frozen=True)
class Row:
    position: int  # 1, 2, … through the whole book
    line_id: int
    date: dt.date
    kind: str  # a key of ITEMS
    deposit: int
    withdrawal: int
    balance: int
    initials: str
    document_number: str

    @property
    def page(self) -> int:
        return (self.position - 1) // LINES_PER_PAGE + 1

    @property
    def line(self) -> int:
        return (self.position - 1) % LINES_PER_PAGE + 1

    def item(self, lang: str = "th") -> str:
        th, en = ITEMS[self.kind]
        return en if lang == "en" else th


def initials(user) -> str:
    """A recorder's initials as a passbook shows them: ส.ม. for สมชาย มีสุข, else the user name."""
    if user is None:
        return ""
    parts = [p for p in (user.first_name, user.last_name) if p]
    if parts:
        return "".join(f"{p[0]}." for p in parts)
    return user.username[:4]


def _kind(entry, up: int) -> str:
    if entry.reverses_id:
        return "reversal"
    if entry.doc_type == DocumentType.RECEIPT:
        return "deposit"
    if entry.doc_type == DocumentType.PAYMENT:
        return "withdrawal"
    if entry.memo.startswith("ดอกเบี้ย") and up:
        return "interest"
    return "adjustment"


def rows(account: Account) -> list[Row]:
    """Every line of the account's book, in the order posted, with the running balance."""
    debit_normal = account.sub_account.account.type in DEBIT_NORMAL
    qs = (JournalLine.objects.filter(sub_account=account.sub_account)
          .select_related("entry__created_by").order_by("id"))
    balance, out = 0, []
    for n, ln in enumerate(qs, start=1):
        up, down = (ln.debit, ln.credit) if debit_normal else (ln.credit, ln.debit)
        balance += up - down
        out.append(Row(n, ln.pk, ln.date, _kind(ln.entry, up), up, down, balance,
                       initials(ln.entry.created_by), ln.entry.document_number))
    return out


@dataclass(frozen=True)
class Book:
    account: Account
    rows: list[Row]
    printed: PassbookPrint | None

    @property
    def last_printed(self) -> int:
        return self.printed.last_line_id if self.printed else 0

    @property
    def new_rows(self) -> list[Row]:
        return [r for r in self.rows if r.line_id > self.last_printed]

    @property
    def next_position(self) -> int:
        """The first free line of the book (1 for a new one)."""
        return (self.printed.lines_printed if self.printed else 0) + 1


def book(account: Account) -> Book:
    return Book(account, rows(account), PassbookPrint.objects.filter(account=account).first())


def placed(new_rows: list[Row], first_position: int) -> list[Row]:
    """The new rows renumbered to where they go on paper: from ``first_position`` on."""
    return [Row(first_position + i, r.line_id, r.date, r.kind, r.deposit, r.withdrawal, r.balance, r.initials,
                r.document_number) for i, r in enumerate(new_rows)]


def _pages(printed_rows: list[Row]) -> list[list[Row | None]]:
    """Pages of ``LINES_PER_PAGE`` slots: the rows in their slots, None where the paper is
    already written (before the first row) or left empty."""
    pages: dict[int, list[Row | None]] = {}
    for r in printed_rows:
        pages.setdefault(r.page, [None] * LINES_PER_PAGE)[r.line - 1] = r
    return [pages[p] for p in sorted(pages)]


def _account_facts(account: Account, lang: str) -> dict:
    org = account.organisation
    return {"org_name": org.name(lang), "account": account, "member": account.member,
            "product": account.product.name(lang), "lang": lang, "font_css": pdf_font_css(),
            "printed_on": format_date(timezone.localdate(), "long", lang=lang)}


def _cells(r: Row, lang: str) -> dict:
    return {"date": format_date(r.date, "numeric", lang=lang), "item": r.item(lang),
            "deposit": format_baht(r.deposit) if r.deposit else "",
            "withdrawal": format_baht(r.withdrawal) if r.withdrawal else "",
            "balance": format_baht(r.balance), "initials": r.initials, "line": r.line, "page": r.page}


def passbook_pdf(account: Account, printed_rows: list[Row], *, lang: str = "th") -> bytes:
    """The rows on passbook pages, each at its line (``Row.position``)."""
    pages = [[_cells(r, lang) if r else None for r in page] for page in _pages(printed_rows)]
    html = render_to_string("savings/passbook_print.html", {**_account_facts(account, lang), "pages": pages,
                                                            "lines_per_page": LINES_PER_PAGE})
    return html_to_pdf(html)


def statement_pdf(account: Account, start: dt.date | None, end: dt.date | None, *, lang: str = "th") -> bytes:
    brought, lines = selectors.statement(account, start=start, end=end)
    closing = lines[-1].balance if lines else brought
    html = render_to_string("savings/statement_print.html", {
        **_account_facts(account, lang), "brought": format_baht(brought), "closing": format_baht(closing),
        "closing_words": amount_words(closing, lang),
        "start": format_date(start, "long", lang=lang) if start else "",
        "end": format_date(end, "long", lang=lang) if end else format_date(timezone.localdate(), "long", lang=lang),
        "lines": [{"date": format_date(ln.date, "numeric", lang=lang), "doc": ln.document, "memo": ln.memo,
                   "deposit": format_baht(ln.deposit) if ln.deposit else "",
                   "withdrawal": format_baht(ln.withdrawal) if ln.withdrawal else "",
                   "balance": format_baht(ln.balance)}
                  for ln in lines],
        "deposits": format_baht(sum(ln.deposit for ln in lines)),
        "withdrawals": format_baht(sum(ln.withdrawal for ln in lines)),
    })
    return html_to_pdf(html)
