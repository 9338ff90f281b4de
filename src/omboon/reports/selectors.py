"""Reads across domains for the group reports and the dashboard: the books by standard code,
the member registry over time, benefits by category, arrears and pending claims.

Figures come from the ledger and the registry only, so they are right whoever posted the
entries (receipts, claims, vouchers, imports). Every query goes through
``omboon.orgs.scoping.in_scope``; a network adds up every group below it.

The books are read by standard code (``Account.standard_code``), so a group's own accounts
count under the standard code they map to. For speed, months a group has closed are read from
the stored month-end figures (``PeriodBalance``: one row per account × fund × month) and only
the months still open from the journal lines, per group, so the cost does not grow with years
of history. Year-end closing entries are left out of every movement (they only move income
and expenses to accumulated surplus) and kept in balances.

Money is integer satang. Income is credit minus debit, expenses debit minus credit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, F, Max, Q, Sum

from omboon.contributions import selectors as contributions
from omboon.core import months
from omboon.ledger import chart
from omboon.ledger.models import (
    Account,
    AccountType,
    DocumentType,
    JournalEntry,
    JournalLine,
    Period,
    PeriodBalance,
)
from omboon.members.models import Member
from omboon.orgs import scoping
from omboon.orgs.models import Organisation
from omboon.welfare.models import Claim

Month = tuple[int, int]  # (year, month)

# Members' own money (DESIGN.md: the Ban Don Chai layout).
MEMBER_INCOME = (chart.ENTRY_FEES, chart.YEARLY_CONTRIBUTIONS, chart.DAILY_SAVINGS)
# CODI's fund capital by source: (key, Thai, English, standard codes).
CAPITAL_SOURCES = [
    ("members", "เงินสมทบจากสมาชิก", "Members' contributions", MEMBER_INCOME),
    ("state", "เงินสมทบจากรัฐ/พอช.", "State / CODI matching", (chart.STATE_MATCHING,)),
    ("local", "เงินสมทบจากองค์กรปกครองส่วนท้องถิ่น", "Local government matching", (chart.LOCAL_MATCHING,)),
    ("other", "เงินบริจาคและรายได้อื่น", "Donations and other income", (chart.DONATIONS, chart.OTHER_INCOME)),
    ("interest", "ดอกเบี้ยรับ", "Interest income", (chart.INTEREST_INCOME, chart.LOAN_INTEREST_INCOME)),
]
EARLIEST = dt.date(1900, 1, 1)  # before any group's first entry
BENEFIT_PREFIX = "51"  # 5100 benefits paid and its sub-accounts, one per category


# --- months --------------------------------------------------------------------------------

def month_of(day: dt.date) -> Month:
    return day.year, day.month


def month_index(m: Month) -> int:
    return months.index(*m)


def month_from_index(i: int) -> Month:
    return months.from_index(i)


def months_between(first: Month, last: Month) -> list[Month]:
    return months.between(first, last)


def month_start(m: Month) -> dt.date:
    return dt.date(m[0], m[1], 1)


def month_end(m: Month) -> dt.date:
    return chart.month_end(*m)


def add_months(m: Month, n: int) -> Month:
    return months.add(*m, n)


def previous_month(m: Month) -> Month:
    return add_months(m, -1)


def groups_of(organisation: Organisation, *, active_only: bool = False) -> list[Organisation]:
    """The group itself, or every group below a network (the same rows ``in_scope`` reaches)."""
    if organisation.is_group:
        return [organisation]
    qs = Organisation.objects.filter(kind=Organisation.Kind.GROUP, path__startswith=organisation.path)
    if active_only:
        qs = qs.filter(is_active=True)
    return list(qs.order_by("path"))


def founded_on(organisation: Organisation) -> dt.date | None:
    """The founding date; for a network the earliest of its groups'. Without one: the first
    member's joining or the first entry, whichever is earlier."""
    if organisation.is_group and organisation.founded_on:
        return organisation.founded_on
    days = [g.founded_on for g in groups_of(organisation) if g.founded_on]
    if days:
        return min(days)
    candidates = [d for d in (
        scoping.in_scope(Member.objects.all(), organisation).order_by("join_date")
        .values_list("join_date", flat=True).first(),
        scoping.in_scope(JournalLine.objects.all(), organisation).order_by("date")
        .values_list("date", flat=True).first(),
    ) if d]
    return min(candidates) if candidates else None


# --- the books by standard code ------------------------------------------------------------

def _accounts(organisation: Organisation) -> dict[int, tuple[str, str]]:
    """Account id → (standard code, type) of every account in scope: lines are summed by
    account id (no join) and mapped to standard codes here."""
    return {pk: (code, kind) for pk, code, kind in
            scoping.in_scope(Account.objects.all(), organisation).values_list("id", "standard_code", "type")}


def _closed_through(organisation: Organisation) -> dict[int, Month]:
    """The last closed month of each group in scope (closed months are a prefix)."""
    rows = (scoping.in_scope(Period.objects.filter(status=Period.Status.CLOSED), organisation)
            .values("organisation_id").annotate(last=Max(F("year") * 12 + F("month") - 1)).order_by())
    return {r["organisation_id"]: month_from_index(r["last"]) for r in rows}


def _by_boundary(organisation: Organisation, last_allowed: Month | None,
                 first_allowed: Month | None = None) -> dict[Month | None, list[int]]:
    """Every group id in scope by the last month its stored figures can answer for (capped at
    ``last_allowed``); None for groups with no closed month from ``first_allowed`` on."""
    closed = _closed_through(organisation)
    out: dict[Month | None, list[int]] = defaultdict(list)
    for group in groups_of(organisation):
        last = closed.get(group.pk)
        if last is not None and last_allowed is not None and month_index(last) > month_index(last_allowed):
            last = last_allowed
        if last is not None and first_allowed is not None and month_index(last) < month_index(first_allowed):
            last = None
        out[last].append(group.pk)
    return out


@dataclass
class Movements:
    """Debit and credit per month and standard code, closing entries left out."""

    months: dict[Month, dict[str, list[int]]] = field(default_factory=lambda: defaultdict(dict))

    def add(self, m: Month, code: str, debit: int, credit: int) -> None:
        cell = self.months[m].setdefault(code, [0, 0])
        cell[0] += debit or 0
        cell[1] += credit or 0

    def total(self, codes=None, prefix: str | None = None, months=None) -> dict[str, tuple[int, int]]:
        out: dict[str, list[int]] = {}
        for m, per_code in self.months.items():
            if months is not None and m not in months:
                continue
            for code, (d, c) in per_code.items():
                if codes is not None and code not in codes:
                    continue
                if prefix and not code.startswith(prefix):
                    continue
                cell = out.setdefault(code, [0, 0])
                cell[0] += d
                cell[1] += c
        return {k: (d, c) for k, (d, c) in out.items()}

    def income(self, codes, months=None) -> int:
        return sum(c - d for d, c in self.total(codes, months=months).values())

    def expense(self, codes=None, prefix: str | None = None, months=None) -> int:
        return sum(d - c for d, c in self.total(codes, prefix=prefix, months=months).values())

    def by_type(self, m: Month, types: dict[str, str]) -> tuple[int, int]:
        """(income, expenditure) of one month; ``types`` maps standard code → account type."""
        income = expenditure = 0
        for code, (d, c) in self.months.get(m, {}).items():
            kind = types.get(code)
            if kind == AccountType.INCOME:
                income += c - d
            elif kind == AccountType.EXPENSE:
                expenditure += d - c
        return income, expenditure


def movements(organisation: Organisation, start: dt.date | None, end: dt.date) -> Movements:
    """Movements per month and standard code of lines dated in [start, end] (start None:
    since the first entry), closing entries left out. Closed whole months come from the
    stored month-end figures, the rest from the lines."""
    start = start or EARLIEST
    out = Movements()
    if start > end:
        return out
    accounts = _accounts(organisation)
    first_full = month_of(start) if start.day == 1 else add_months(month_of(start), 1)
    last_full = month_of(end) if end == month_end(month_of(end)) else previous_month(month_of(end))
    nothing = Q(pk__in=[])
    stored, lines_q = nothing, nothing
    for last, ids in _by_boundary(organisation, last_full, first_full).items():
        if last is None:
            lines_q |= Q(organisation_id__in=ids, date__gte=start, date__lte=end)
            continue
        stored |= Q(organisation_id__in=ids, ym__gte=month_index(first_full), ym__lte=month_index(last))
        if start < month_start(first_full):
            lines_q |= Q(organisation_id__in=ids, date__gte=start, date__lt=month_start(first_full))
        if month_end(last) < end:
            lines_q |= Q(organisation_id__in=ids, date__gt=month_end(last), date__lte=end)

    closing_rows = list(scoping.in_scope(JournalEntry.objects.all(), organisation)
                        .filter(doc_type=DocumentType.CLOSING, date__gte=start, date__lte=end)
                        .values_list("pk", "date"))
    closings = [pk for pk, _day in closing_rows]
    pb = (scoping.in_scope(PeriodBalance.objects.all(), organisation)
          .annotate(ym=F("period__year") * 12 + F("period__month") - 1).filter(stored)
          .values_list("ym", "account_id").annotate(Sum("debit_total"), Sum("credit_total")).order_by())
    for ym, account_id, d, c in pb:
        out.add(month_from_index(ym), accounts[account_id][0], d, c)
    # Closing entries are left out: the stored months include them, so every closing line in
    # [start, end] is taken out here, and those the line ranges would read are put back, as
    # the line query below skips them.
    line_base = scoping.in_scope(JournalLine.objects.all(), organisation)
    if closings:
        closing_lines = line_base.filter(date__in={day for _pk, day in closing_rows}, entry_id__in=closings)
        for day, account_id, d, c in closing_lines.values_list("date", "account_id", "debit", "credit"):
            out.add(month_of(day), accounts[account_id][0], -d, -c)
        for day, account_id, d, c in closing_lines.filter(lines_q).values_list(
                "date", "account_id", "debit", "credit"):
            out.add(month_of(day), accounts[account_id][0], d, c)
    # Grouped by day, not by an extracted month: SQLite computes that per row in Python.
    rest = (line_base.filter(lines_q).exclude(entry_id__in=closings)
            .values_list("date", "account_id").annotate(Sum("debit"), Sum("credit")).order_by())
    for day, account_id, d, c in rest:
        out.add(month_of(day), accounts[account_id][0], d, c)
    return out


def balance_series(organisation: Organisation, months: list[Month], *,
                   types=(AccountType.ASSET, AccountType.LIABILITY)) -> list[int]:
    """Signed debit-minus-credit balance of the accounts of ``types`` at each month's end,
    added over every group. With assets and liabilities that is the fund's net assets."""
    if not months:
        return []
    ids = [pk for pk, (_code, kind) in _accounts(organisation).items() if kind in types]
    closed = _closed_through(organisation)
    stored: dict[int, dict[int, int]] = defaultdict(dict)  # org → month index → balance
    rows = (scoping.in_scope(PeriodBalance.objects.all(), organisation).filter(account_id__in=ids)
            .annotate(ym=F("period__year") * 12 + F("period__month") - 1)
            .values_list("organisation_id", "ym").annotate(Sum("balance")).order_by())
    for org_id, ym, b in rows:
        stored[org_id][ym] = b
    last_wanted = month_end(months[-1])
    after = Q(pk__in=[])
    for last, group_ids in _by_boundary(organisation, None).items():
        if last is None:
            after |= Q(organisation_id__in=group_ids, date__lte=last_wanted)
        elif month_end(last) < last_wanted:
            after |= Q(organisation_id__in=group_ids, date__gt=month_end(last), date__lte=last_wanted)
    moves: dict[int, dict[int, int]] = defaultdict(dict)
    rows = (scoping.in_scope(JournalLine.objects.all(), organisation).filter(after, account_id__in=ids)
            .values_list("organisation_id", "date").annotate(Sum("debit"), Sum("credit")).order_by())
    for org_id, day, d, c in rows:
        i = month_index(month_of(day))
        moves[org_id][i] = moves[org_id].get(i, 0) + d - c
    wanted = [month_index(m) for m in months]
    totals = [0] * len(wanted)
    for org_id in set(stored) | set(moves):
        last = closed.get(org_id)
        last_i = month_index(last) if last else None
        own_moves = sorted(moves.get(org_id, {}).items())
        for k, i in enumerate(wanted):
            if last_i is not None and i <= last_i:
                totals[k] += stored[org_id].get(i, 0)
                continue
            base = stored[org_id].get(last_i, 0) if last_i is not None else 0
            totals[k] += base + sum(v for j, v in own_moves if j <= i)
    return totals


def balances_by_code(organisation: Organisation, as_of: dt.date) -> dict[str, int]:
    """Signed debit-minus-credit balance per standard code at the end of ``as_of``."""
    accounts = _accounts(organisation)
    last_full = month_of(as_of) if as_of == month_end(month_of(as_of)) else previous_month(month_of(as_of))
    out: dict[str, int] = defaultdict(int)
    stored = Q(pk__in=[])
    after = Q(pk__in=[])
    for last, ids in _by_boundary(organisation, last_full).items():
        if last is None:
            after |= Q(organisation_id__in=ids, date__lte=as_of)
            continue
        stored |= Q(organisation_id__in=ids, period__year=last[0], period__month=last[1])
        after |= Q(organisation_id__in=ids, date__gt=month_end(last), date__lte=as_of)
    for account_id, b in (scoping.in_scope(PeriodBalance.objects.all(), organisation).filter(stored)
                          .values_list("account_id").annotate(Sum("balance")).order_by()):
        out[accounts[account_id][0]] += b
    for account_id, d, c in (scoping.in_scope(JournalLine.objects.all(), organisation).filter(after)
                             .values_list("account_id").annotate(Sum("debit"), Sum("credit")).order_by()):
        out[accounts[account_id][0]] += d - c
    return {k: v for k, v in out.items() if v}


def fund_balance(organisation: Organisation, as_of: dt.date) -> int:
    """The fund's net assets (assets less liabilities) at the end of ``as_of``."""
    return sum(v for code, v in balances_by_code(organisation, as_of).items()
               if chart.STANDARD_TYPES.get(code) in (AccountType.ASSET, AccountType.LIABILITY))


def standard_types(organisation: Organisation) -> dict[str, str]:
    """Standard code → account type, from the standard chart and the accounts in scope."""
    types = dict(chart.STANDARD_TYPES)
    for code, kind in _accounts(organisation).values():
        types.setdefault(code, kind)
    return types


def account_name(code: str, lang: str = "th") -> str:
    th, en = chart.STANDARD_NAMES.get(code, (code, code))
    return en if lang == "en" else th


# --- benefits ------------------------------------------------------------------------------

@dataclass
class BenefitRow:
    code: str
    name_th: str
    name_en: str
    cases: int
    amount: int

    def name(self, lang: str = "th") -> str:
        return self.name_en if lang == "en" else self.name_th


def benefit_cases(organisation: Organisation, start: dt.date | None, end: dt.date) -> dict[str, int]:
    """Cases per benefits-paid standard code: payment entries with a debit on a 51xx account
    in [start, end], leaving out reversing entries, entries that were reversed and year-end
    closings. Welfare posts one entry per paid claim and reverses a claim with a reversing
    entry, so this counts paid, non-reversed claims, and also benefits entered by voucher or
    import."""
    benefit_accounts = scoping.in_scope(Account.objects.all(), organisation).filter(
        standard_code__startswith=BENEFIT_PREFIX)
    codes = dict(benefit_accounts.values_list("pk", "standard_code"))
    # Every line on a benefit account of the organisation (scoped through its accounts, so the
    # account index finds them), with its entry's kind: reversing entries and the entries they
    # reverse are left out, and so are closings.
    qs = JournalLine.objects.filter(account__in=benefit_accounts, date__lte=end)
    if start:
        qs = qs.filter(date__gte=start)
    rows = list(qs.values_list("account_id", "entry_id", "debit", "entry__reverses_id", "entry__doc_type"))
    skipped = {e for _a, e, _d, rev, _k in rows if rev} | {rev for *_x, rev, _k in rows if rev}
    skipped |= set(scoping.in_scope(JournalEntry.objects.all(), organisation)
                   .filter(reverses__in=qs.filter(debit__gt=0).values("entry_id"))
                   .values_list("reverses_id", flat=True))  # reversed after ``end``
    seen: dict[str, set[int]] = defaultdict(set)
    for account_id, entry_id, debit, _rev, kind in rows:
        if debit > 0 and kind != DocumentType.CLOSING and entry_id not in skipped:
            seen[codes[account_id]].add(entry_id)
    return {code: len(entries) for code, entries in seen.items()}


def benefits(organisation: Organisation, start: dt.date | None, end: dt.date, *,
             moves: Movements | None = None) -> list[BenefitRow]:
    """Benefits paid by category (51xx standard code): cases and net amount, in code order."""
    moves = moves if moves is not None else movements(organisation, start, end)
    amounts = {code: d - c for code, (d, c) in moves.total(prefix=BENEFIT_PREFIX).items()}
    cases = benefit_cases(organisation, start, end)
    rows = []
    for code in sorted(set(amounts) | set(cases)):
        if not amounts.get(code) and not cases.get(code):
            continue
        th, en = chart.STANDARD_NAMES.get(code, (code, code))
        if code == chart.BENEFITS_PAID:
            th, en = "ค่าสวัสดิการ (ไม่ระบุประเภท)", "Benefits (no category)"
        rows.append(BenefitRow(code, th, en, cases.get(code, 0), amounts.get(code, 0)))
    return rows


# --- arrears and pending claims (when those apps are installed) ----------------------------

@dataclass
class ArrearsSummary:
    as_of: dt.date
    bands: list[tuple[str, str, int, int]]  # (Thai, English, members, amount)

    @property
    def members(self) -> int:
        return sum(b[2] for b in self.bands)

    @property
    def amount(self) -> int:
        return sum(b[3] for b in self.bands)


ARREARS_BANDS = [
    ("ค้าง 1–2 เดือน", "1–2 months behind", 1, 2),
    ("ค้าง 3–5 เดือน", "3–5 months behind", 3, 5),
    ("ค้าง 6–11 เดือน", "6–11 months behind", 6, 11),
    ("ค้าง 12 เดือนขึ้นไป", "12 months or more", 12, 10_000),
]


def arrears_available() -> bool:
    return apps.is_installed("omboon.contributions")


def arrears_summary(organisation: Organisation, as_of: dt.date) -> ArrearsSummary | None:
    """Members behind on contributions by how far behind, from the contributions app's own
    arrears selector (None when that app is not installed). A network adds its groups up."""
    if not arrears_available():
        return None

    counts = [[th, en, 0, 0] for th, en, _lo, _hi in ARREARS_BANDS]
    for group in groups_of(organisation):
        for mc in contributions.arrears(group, as_of=as_of):
            months = max(1, mc.months_behind)
            for band, (_th, _en, lo, hi) in zip(counts, ARREARS_BANDS):
                if lo <= months <= hi:
                    band[2] += 1
                    band[3] += mc.arrears
                    break
    return ArrearsSummary(as_of, [tuple(b) for b in counts])


def claims_available() -> bool:
    return apps.is_installed("omboon.welfare")


def pending_claims(organisation: Organisation, as_of: dt.date) -> list[tuple[str, int, int]] | None:
    """(status, claims, amount) of claims waiting for approval or payment (None when the
    welfare app is not installed)."""
    if not claims_available():
        return None

    rows = (scoping.in_scope(Claim.objects.all(), organisation)
            .filter(status__in=[Claim.Status.SUBMITTED, Claim.Status.APPROVED],
                    submitted_at__date__lte=as_of)
            .values_list("status").annotate(n=Count("pk"), amount=Sum("amount")).order_by())
    found = {s: (n, a or 0) for s, n, a in rows}
    return [(s, *found.get(s, (0, 0))) for s in (Claim.Status.SUBMITTED, Claim.Status.APPROVED)]
