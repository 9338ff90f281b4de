"""The allowance for doubtful loans (ค่าเผื่อหนี้สงสัยจะสูญ, 1320) at each month-end (issue 17
item 5), where the bylaws set it: ``loan_allowance``, a whole percentage for each aging bucket
(``arrears.BUCKETS``: 1–30, 31–60, 61–90, 91–180, 181–365, > 365 days overdue). Absent (the
default): no allowance, nothing posted.

- **Required allowance** on a day: Σ over the buckets of the outstanding principal of the loans
  in it (``selectors.standings``) × its percentage, each bucket rounded half up to the satang.
  Loans not overdue need none.
- **The adjusting entry**: when a month closes (``ledger.month_end``, registered in
  ``LoansConfig.ready``), an entry dated its last day brings 1320 to the required allowance:
  Dr 5510 doubtful loans expense, Cr 1320 when it rises; Dr 1320, Cr 5510 when it falls. Nothing
  when it is already right. The balance of 1320 is credit − debit over every fund, so a write-off
  against the allowance (Dr 1320) is counted: the loan leaves the buckets and the next month-end
  sets the allowance right again. A month reopened and closed again posts only the difference.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from omboon.core import audit
from omboon.core.money import format_baht
from omboon.core.thaidate import to_be
from omboon.ledger import chart
from omboon.ledger import selectors as ledger_selectors
from omboon.ledger import services as ledger
from omboon.ledger.models import DocumentType, JournalEntry
from omboon.loans import arrears, selectors
from omboon.orgs import selectors as org_selectors

EXPENSE = chart.DOUBTFUL_LOANS


@dataclass(frozen=True, slots=True)
class Bucket:
    bucket: tuple[int, int | None]
    loans: int
    outstanding: int  # principal, satang
    percent: int
    required: int  # outstanding × percent, rounded half up to the satang


@dataclass(frozen=True, slots=True)
class Allowance:
    on: dt.date
    buckets: list[Bucket]
    balance: int  # 1320 in the books on ``on``: credit − debit

    @property
    def required(self) -> int:
        return sum(b.required for b in self.buckets)

    @property
    def change(self) -> int:
        """What the month-end entry posts: above zero a rise (Cr 1320), below a fall (Dr 1320)."""
        return self.required - self.balance


def percentages(organisation, on: dt.date) -> list[int] | None:
    """The bylaws' percentage for each aging bucket in force on ``on`` (None: no allowance)."""
    return org_selectors.bylaws_on(organisation, on).get("loan_allowance") or None


def required(portfolio: arrears.Portfolio, percents: list[int]) -> list[Bucket]:
    """Each bucket's outstanding principal × its percentage, rounded half up to the satang."""
    return [Bucket(b, n, amount, pct, (2 * amount * pct + 100) // 200)
            for (b, (n, amount)), pct in zip(portfolio.by_bucket.items(), percents)]


def allowance_on(organisation, on: dt.date, percents: list[int] | None = None) -> Allowance | None:
    """The allowance the bylaws require on ``on`` beside 1320 in the books (None: the bylaws set none)."""
    percents = percents or percentages(organisation, on)
    if not percents:
        return None
    portfolio = arrears.portfolio([s for _loan, s in selectors.standings(organisation, on)])
    return Allowance(on, required(portfolio, percents), balance_in_books(organisation, on))


def balance_in_books(organisation, on: dt.date) -> int:
    """1320 at the end of ``on``, as a credit balance (the allowance held)."""
    return -ledger_selectors.code_balance(organisation, chart.LOAN_ALLOWANCE, on)


def month_end_adjust(*, actor, organisation, year: int, month: int) -> JournalEntry | None:
    """At the close of ``year``-``month`` (inside its transaction): the entry bringing 1320 to the
    allowance required on the month's last day, or nothing (no allowance set, or already right)."""
    if not organisation.is_group:
        return None
    end = chart.month_end(year, month)
    a = allowance_on(organisation, end)
    if a is None or a.change == 0:
        return None
    change = a.change
    memo = (f"ปรับค่าเผื่อหนี้สงสัยจะสูญ ณ สิ้นเดือน {month:02d}/{to_be(year)} เป็น {format_baht(a.required)} บาท"
            if change > 0 else
            f"ลดค่าเผื่อหนี้สงสัยจะสูญ ณ สิ้นเดือน {month:02d}/{to_be(year)} เป็น {format_baht(a.required)} บาท")
    lines = [ledger.Line(account=EXPENSE, debit=max(change, 0), credit=max(-change, 0)),
             ledger.Line(account=chart.LOAN_ALLOWANCE, debit=max(-change, 0), credit=max(change, 0))]
    entry = ledger.entry_post(actor=actor, organisation=organisation, date=end, doc_type=DocumentType.JOURNAL,
                              lines=lines, memo=memo)
    audit.record(actor=actor, action="loans.allowance_adjust", organisation=organisation, obj=entry,
                 summary=f"{entry.document_number} {memo}"[:255],
                 after={"on": end, "required": a.required, "before": a.balance, "change": change,
                        "buckets": {arrears.bucket_label(b.bucket): [b.outstanding, b.percent, b.required]
                                    for b in a.buckets}})
    return entry
