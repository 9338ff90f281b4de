"""The figures and charts a group's dashboard shows, built from ``omboon.reports.selectors``;
the group status, monthly and annual reports put the same charts into their PDFs.

    ov = overview(org, end=dt.date(2025, 3, 31))
    ov.members_now, ov.fund_now, ov.charts(lang="th")   # SVG strings

Charts: membership over time, fund balance over time, monthly inflow versus payouts, benefits
by category and arrears (when the contributions app is installed).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from omboon.core import charts
from omboon.ledger.models import AccountType
from omboon.orgs.models import Organisation
from omboon.reports import membership
from omboon.reports import selectors as sel

HISTORY_MONTHS = 60  # membership and fund balance: up to five years back
FLOW_MONTHS = 12  # inflow versus payouts: the last year

TITLES = {
    "members": ("จำนวนสมาชิก", "Members"),
    "balance": ("เงินกองทุนคงเหลือ (บาท)", "Fund balance (baht)"),
    "flows": ("รายรับและรายจ่ายรายเดือน (บาท)", "Monthly inflow and payouts (baht)"),
    "benefits": ("สวัสดิการที่จ่ายตามประเภท (บาท)", "Benefits paid by category (baht)"),
    "arrears": ("สมาชิกค้างชำระเงินสมทบ (คน)", "Members behind on contributions"),
    "inflow": ("รายรับ", "Inflow"),
    "payouts": ("รายจ่าย", "Payouts"),
    "members_series": ("สมาชิก", "Members"),
    "balance_series": ("เงินกองทุน", "Fund balance"),
}


def title(key: str, lang: str = "th") -> str:
    th, en = TITLES[key]
    return en if lang == "en" else th


def history_months(organisation: Organisation, end: dt.date, start: dt.date | None = None,
                   limit: int = HISTORY_MONTHS) -> list[sel.Month]:
    """Months from ``start`` (or the founding) to ``end``'s month, at most ``limit`` of them."""
    last = sel.month_of(end)
    first_day = start or sel.founded_on(organisation) or end
    first = sel.month_of(min(first_day, end))
    if sel.month_index(last) - sel.month_index(first) + 1 > limit:
        first = sel.add_months(last, -(limit - 1))
    return sel.months_between(first, last)


@dataclass
class Overview:
    organisation: Organisation
    end: dt.date
    months: list[sel.Month]  # history
    members: list[int]
    balance: list[int]
    flow_months: list[sel.Month]
    inflow: list[int]
    payouts: list[int]
    benefits: list[sel.BenefitRow]  # since the start (or founding)
    arrears: sel.ArrearsSummary | None = None
    extra: dict = field(default_factory=dict)

    @property
    def members_now(self) -> int:
        return self.members[-1] if self.members else 0

    @property
    def fund_now(self) -> int:
        return self.balance[-1] if self.balance else 0

    @property
    def inflow_this_month(self) -> int:
        return self.inflow[-1] if self.inflow else 0

    @property
    def payouts_this_month(self) -> int:
        return self.payouts[-1] if self.payouts else 0

    # --- charts ---------------------------------------------------------------------------

    def members_chart(self, lang: str = "th"):
        return charts.line_chart(charts.month_labels(self.months, lang),
                                 {title("members_series", lang): self.members}, title=title("members", lang))

    def balance_chart(self, lang: str = "th"):
        return charts.line_chart(charts.month_labels(self.months, lang),
                                 {title("balance_series", lang): self.balance}, title=title("balance", lang),
                                 money=True)

    def flows_chart(self, lang: str = "th"):
        return charts.bar_chart(charts.month_labels(self.flow_months, lang),
                                {title("inflow", lang): self.inflow, title("payouts", lang): self.payouts},
                                title=title("flows", lang), money=True)

    def benefits_chart(self, lang: str = "th"):
        items = [(b.name(lang), b.amount) for b in self.benefits]
        return charts.hbar_chart(items, title=title("benefits", lang), money=True)

    def arrears_chart(self, lang: str = "th"):
        if self.arrears is None:
            return None
        items = [(en if lang == "en" else th, n) for th, en, n, _amount in self.arrears.bands]
        return charts.hbar_chart(items, title=title("arrears", lang))

    def charts(self, lang: str = "th", *, arrears: bool = True) -> list:
        out = [self.members_chart(lang), self.balance_chart(lang), self.flows_chart(lang),
               self.benefits_chart(lang)]
        if arrears and self.arrears is not None:
            out.append(self.arrears_chart(lang))
        return out


def flows(organisation: Organisation, months: list[sel.Month], moves: sel.Movements | None = None
          ) -> tuple[list[int], list[int]]:
    """(inflow, payouts) per month: income and expenditure by month, closing entries left out."""
    if not months:
        return [], []
    if moves is None:
        moves = sel.movements(organisation, sel.month_start(months[0]), sel.month_end(months[-1]))
    types = sel.standard_types(organisation)
    pairs = [moves.by_type(m, types) for m in months]
    return [p[0] for p in pairs], [p[1] for p in pairs]


def overview(organisation: Organisation, *, end: dt.date, start: dt.date | None = None,
             with_arrears: bool = True, facts: membership.MemberFacts | None = None,
             moves: sel.Movements | None = None, benefits: list[sel.BenefitRow] | None = None) -> Overview:
    """Everything the dashboard draws, as of ``end``: history over the last months up to
    ``end``, benefits by category from ``start`` (None: since founding). ``moves`` (movements
    from ``start`` to ``end``) and ``facts`` may be passed in by a report that read them."""
    months = history_months(organisation, end)
    facts = facts or membership.member_facts(organisation)
    flow_months = months[-FLOW_MONTHS:]
    if moves is None and start is None:
        moves = sel.movements(organisation, None, end)  # one read serves benefits and flows
    flow_moves = moves
    if flow_moves is None or (start is not None and start > sel.month_start(flow_months[0])):
        flow_moves = sel.movements(organisation, sel.month_start(flow_months[0]), end)
    inflow, payouts = flows(organisation, flow_months, flow_moves)
    benefit_rows = benefits if benefits is not None else sel.benefits(organisation, start, end, moves=moves)
    balance = sel.balance_series(organisation, months, types=(AccountType.ASSET, AccountType.LIABILITY))
    return Overview(
        organisation=organisation, end=end, months=months, members=facts.series(months), balance=balance,
        flow_months=flow_months, inflow=inflow, payouts=payouts, benefits=benefit_rows,
        arrears=sel.arrears_summary(organisation, end) if with_arrears else None,
    )
