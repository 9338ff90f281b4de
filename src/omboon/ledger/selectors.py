"""Reads of the books that views, reports, the API and exports share.

Balances are signed debit-minus-credit in satang; readers flip credit-normal accounts. A
balance as of a date is the latest closed month's stored balance plus the lines after it, so
its cost does not grow with the years of history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet, Sum

from omboon.ledger import chart
from omboon.ledger.models import (
    DEBIT_NORMAL,
    Account,
    AccountType,
    DocumentType,
    Fund,
    JournalEntry,
    JournalLine,
    Period,
    PeriodBalance,
    SubAccount,
    Voucher,
)
from omboon.ledger.services import next_period
from omboon.orgs import scoping

Key = tuple[int, int]  # (account_id, fund_id)


def accounts(organisation) -> QuerySet[Account]:
    return scoping.in_scope(Account.objects.all(), organisation).order_by("code")


def account_by_code(organisation, code: str) -> Account:
    return accounts(organisation).get(code=code)


def funds(organisation) -> QuerySet[Fund]:
    return scoping.in_scope(Fund.objects.all(), organisation).order_by("code")


def entries(organisation) -> QuerySet[JournalEntry]:
    return scoping.in_scope(JournalEntry.objects.all(), organisation).order_by("-date", "-id")


def vouchers(organisation) -> QuerySet[Voucher]:
    return scoping.in_scope(Voucher.objects.all(), organisation).select_related("created_by", "approved_by", "entry")


def periods(organisation) -> QuerySet[Period]:
    return scoping.in_scope(Period.objects.all(), organisation).order_by("year", "month")


def lines(organisation) -> QuerySet[JournalLine]:
    return scoping.in_scope(JournalLine.objects.all(), organisation)


def closed_through(organisation, as_of: dt.date) -> Period | None:
    """The latest closed month that ends on or before ``as_of``."""
    y, m = as_of.year, as_of.month
    if as_of != chart.month_end(y, m):
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return (periods(organisation).filter(status=Period.Status.CLOSED)
            .filter(Q(year__lt=y) | Q(year=y, month__lte=m)).order_by("-year", "-month").first())


def balances(organisation, as_of: dt.date, *, account_ids=None) -> dict[Key, int]:
    """Every account × fund balance at the end of ``as_of`` (zero balances left out); of the
    accounts ``account_ids`` only, when given."""
    period = closed_through(organisation, as_of)
    result: dict[Key, int] = {}
    after = lines(organisation).filter(date__lte=as_of)
    stored = PeriodBalance.objects.filter(period=period)
    if account_ids is not None:
        after, stored = after.filter(account_id__in=account_ids), stored.filter(account_id__in=account_ids)
    if period is not None:
        for a, f, b in stored.values_list("account_id", "fund_id", "balance"):
            result[(a, f)] = b
        after = after.filter(date__gt=period.end)
    for a, f, d, c in after.values_list("account_id", "fund_id").annotate(Sum("debit"), Sum("credit")).order_by():
        result[(a, f)] = result.get((a, f), 0) + d - c
    return {k: v for k, v in result.items() if v}


def code_balance(organisation, code: str, as_of: dt.date) -> int:
    """Debit − credit at the end of ``as_of`` of the group's accounts of standard code ``code``,
    every fund together (1300: the loans to members in the books)."""
    ids = list(accounts(organisation).filter(standard_code=code).values_list("pk", flat=True))
    return sum(balances(organisation, as_of, account_ids=ids).values())


def movements(organisation, start: dt.date, end: dt.date, *, exclude_closing: bool = True,
              account_types=None) -> dict[Key, tuple[int, int]]:
    """Debit and credit totals per account × fund for lines dated in [start, end]."""
    qs = lines(organisation).filter(date__gte=start, date__lte=end)
    if account_types:
        qs = qs.filter(account__type__in=account_types)
    if exclude_closing:
        qs = qs.exclude(entry__doc_type=DocumentType.CLOSING)
    return {(a, f): (d, c) for a, f, d, c in
            qs.values_list("account_id", "fund_id").annotate(Sum("debit"), Sum("credit")).order_by()}


def _by_account(values: dict[Key, int]) -> dict[int, int]:
    out: dict[int, int] = {}
    for (a, _f), v in values.items():
        out[a] = out.get(a, 0) + v
    return out


# --- trial balance ----------------------------------------------------------------------

@dataclass
class TrialBalanceRow:
    account: Account
    debit: int
    credit: int


@dataclass
class TrialBalance:
    as_of: dt.date
    rows: list[TrialBalanceRow]

    @property
    def total_debit(self) -> int:
        return sum(r.debit for r in self.rows)

    @property
    def total_credit(self) -> int:
        return sum(r.credit for r in self.rows)


def trial_balance(organisation, as_of: dt.date) -> TrialBalance:
    per_account = _by_account(balances(organisation, as_of))
    rows = [TrialBalanceRow(a, max(per_account.get(a.pk, 0), 0), max(-per_account.get(a.pk, 0), 0))
            for a in accounts(organisation) if per_account.get(a.pk)]
    return TrialBalance(as_of, rows)


# --- income and expenditure -------------------------------------------------------------

@dataclass
class IncomeExpenditureRow:
    account: Account
    period: int  # the chosen range
    year_to_date: int  # fiscal year start to the range's end
    last_year: int  # the same range a year earlier


@dataclass
class IncomeExpenditure:
    start: dt.date
    end: dt.date
    fiscal_year_start: dt.date
    income: list[IncomeExpenditureRow]
    expenditure: list[IncomeExpenditureRow]

    def total(self, rows: str, column: str) -> int:
        return sum(getattr(r, column) for r in getattr(self, rows))

    def surplus(self, column: str) -> int:
        return self.total("income", column) - self.total("expenditure", column)


def _year_earlier(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _natural(account: Account, debit: int, credit: int) -> int:
    return debit - credit if account.debit_normal else credit - debit


def income_expenditure(organisation, start: dt.date, end: dt.date) -> IncomeExpenditure:
    types = [AccountType.INCOME, AccountType.EXPENSE]
    fy = chart.fiscal_year_of(organisation.fiscal_year_start_month, end)
    fy_start = chart.fiscal_year_bounds(organisation.fiscal_year_start_month, fy)[0]
    columns = {
        "period": movements(organisation, start, end, account_types=types),
        "year_to_date": movements(organisation, min(fy_start, start), end, account_types=types),
        "last_year": movements(organisation, _year_earlier(start), _year_earlier(end), account_types=types),
    }
    sums: dict[str, dict[int, tuple[int, int]]] = {}
    for name, values in columns.items():
        acc: dict[int, tuple[int, int]] = {}
        for (a, _f), (d, c) in values.items():
            pd, pc = acc.get(a, (0, 0))
            acc[a] = (pd + d, pc + c)
        sums[name] = acc
    income, expenditure = [], []
    for account in accounts(organisation).filter(type__in=types):
        figures = {name: _natural(account, *sums[name].get(account.pk, (0, 0))) for name in columns}
        if not any(figures.values()):
            continue
        row = IncomeExpenditureRow(account, **figures)
        (income if account.type == AccountType.INCOME else expenditure).append(row)
    return IncomeExpenditure(start, end, fy_start, income, expenditure)


# --- financial position -----------------------------------------------------------------

@dataclass
class PositionRow:
    account: Account | None
    label_th: str
    label_en: str
    amount: int


@dataclass
class FinancialPosition:
    as_of: dt.date
    assets: list[PositionRow]
    liabilities: list[PositionRow]
    equity: list[PositionRow]

    @staticmethod
    def _sum(rows) -> int:
        return sum(r.amount for r in rows)

    @property
    def total_assets(self) -> int:
        return self._sum(self.assets)

    @property
    def total_liabilities_and_equity(self) -> int:
        return self._sum(self.liabilities) + self._sum(self.equity)


def financial_position(organisation, as_of: dt.date) -> FinancialPosition:
    per_account = _by_account(balances(organisation, as_of))
    assets, liabilities, equity = [], [], []
    unclosed = 0  # income less expenses not yet carried to accumulated surplus
    for account in accounts(organisation):
        b = per_account.get(account.pk, 0)
        if account.type in (AccountType.INCOME, AccountType.EXPENSE):
            unclosed -= b
            continue
        if not b:
            continue
        if account.type == AccountType.ASSET:
            assets.append(PositionRow(account, account.name_th, account.name_en, b))
        elif account.type == AccountType.LIABILITY:
            liabilities.append(PositionRow(account, account.name_th, account.name_en, -b))
        else:
            equity.append(PositionRow(account, account.name_th, account.name_en, -b))
    if unclosed:
        equity.append(PositionRow(None, "รายได้สูงกว่า (ต่ำกว่า) รายจ่ายปีปัจจุบัน",
                                  "Surplus (deficit) of the current year", unclosed))
    return FinancialPosition(as_of, assets, liabilities, equity)


# --- account books: cash book, general ledger -------------------------------------------

@dataclass
class BookLine:
    date: dt.date
    document: str
    entry_id: int
    memo: str
    fund: str
    debit: int
    credit: int
    balance: int  # running, debit-positive


@dataclass
class AccountBook:
    account: Account
    start: dt.date
    end: dt.date
    opening: int
    lines: list[BookLine] = field(default_factory=list)

    @property
    def closing(self) -> int:
        return self.lines[-1].balance if self.lines else self.opening

    @property
    def total_debit(self) -> int:
        return sum(ln.debit for ln in self.lines)

    @property
    def total_credit(self) -> int:
        return sum(ln.credit for ln in self.lines)


def account_book(organisation, account: Account, start: dt.date, end: dt.date, *, fund: Fund | None = None
                 ) -> AccountBook:
    """Every line of one account in [start, end] with a running balance (general ledger)."""
    opening_all = balances(organisation, start - dt.timedelta(days=1))
    opening = sum(v for (a, f), v in opening_all.items() if a == account.pk and (fund is None or f == fund.pk))
    qs = lines(organisation).filter(account=account, date__gte=start, date__lte=end)
    if fund is not None:
        qs = qs.filter(fund=fund)
    book = AccountBook(account, start, end, opening)
    running = opening
    rows = qs.order_by("date", "entry_id", "id").values_list(
        "date", "entry_id", "entry__doc_type", "entry__fiscal_year", "entry__number", "entry__memo", "memo",
        "fund__code", "debit", "credit")
    for date, entry_id, doc_type, fy, number, entry_memo, line_memo, fund_code, debit, credit in rows:
        running += debit - credit
        document = JournalEntry(doc_type=doc_type, fiscal_year=fy, number=number).document_number
        book.lines.append(BookLine(date, document, entry_id, line_memo or entry_memo, fund_code, debit, credit,
                                   running))
    return book


def cash_book(organisation, start: dt.date, end: dt.date) -> AccountBook:
    return account_book(organisation, account_by_code(organisation, chart.CASH), start, end)


# --- fund movement ----------------------------------------------------------------------

@dataclass
class FundMovementRow:
    fund: Fund
    opening: int  # net assets of the fund (assets less liabilities)
    income: int
    expenditure: int
    transfers: int  # between funds and other equity movements
    closing: int


def fund_movement(organisation, start: dt.date, end: dt.date) -> list[FundMovementRow]:
    types = {a.pk: a.type for a in accounts(organisation)}

    def net_assets(values: dict[Key, int]) -> dict[int, int]:
        out: dict[int, int] = {}
        for (a, f), v in values.items():
            if types.get(a) in (AccountType.ASSET, AccountType.LIABILITY):
                out[f] = out.get(f, 0) + v
        return out

    opening = net_assets(balances(organisation, start - dt.timedelta(days=1)))
    closing = net_assets(balances(organisation, end))
    income: dict[int, int] = {}
    expenditure: dict[int, int] = {}
    for (a, f), (d, c) in movements(organisation, start, end,
                                     account_types=[AccountType.INCOME, AccountType.EXPENSE]).items():
        if types[a] == AccountType.INCOME:
            income[f] = income.get(f, 0) + c - d
        else:
            expenditure[f] = expenditure.get(f, 0) + d - c
    rows = []
    for fund in funds(organisation):
        o, cl = opening.get(fund.pk, 0), closing.get(fund.pk, 0)
        i, e = income.get(fund.pk, 0), expenditure.get(fund.pk, 0)
        rows.append(FundMovementRow(fund, o, i, e, cl - o - i + e, cl))
    return rows


# --- entries with their lines ------------------------------------------------------------

def entry_detail(organisation, pk: int) -> JournalEntry:
    return scoping.get_in_scope(
        JournalEntry.objects.select_related("reverses", "created_by"), organisation, pk)


def period_list(organisation) -> list[dict]:
    """Months from the first period to the next one to close, with their status."""

    rows = {(p.year, p.month): p for p in periods(organisation).select_related("closed_by")}
    nxt = next_period(organisation)
    keys = sorted(rows)
    if nxt and nxt not in rows:
        keys.append(nxt)
    return [{"year": y, "month": m, "period": rows.get((y, m)),
             "closed": bool(rows.get((y, m)) and rows[(y, m)].is_closed), "is_next": (y, m) == nxt}
            for y, m in keys]


# --- members' sub-accounts: balances from their lines, never stored --------------------------

def sub_accounts(organisation) -> QuerySet[SubAccount]:
    return scoping.in_scope(SubAccount.objects.all(), organisation).select_related("account", "member")


def _sub_lines(organisation, as_of: dt.date | None) -> QuerySet[JournalLine]:
    qs = JournalLine.objects.filter(organisation=organisation, sub_account__isnull=False)
    return qs.filter(date__lte=as_of) if as_of is not None else qs


def sub_account_balances(organisation, *, ids=None, as_of: dt.date | None = None) -> dict[int, int]:
    """{sub-account id: balance} on its account's normal side (credit − debit for savings and
    shares), from the journal lines up to ``as_of`` (all when None); ``ids`` limits the
    sub-accounts (those without lines are left out: read them as 0)."""
    qs = _sub_lines(organisation, as_of)
    if ids is not None:
        qs = qs.filter(sub_account_id__in=list(ids))
    rows = qs.values("sub_account_id", "account__type").annotate(d=Sum("debit"), c=Sum("credit")).order_by()
    out: dict[int, int] = {}
    for row in rows:
        signed = row["d"] - row["c"]
        out[row["sub_account_id"]] = signed if row["account__type"] in DEBIT_NORMAL else -signed
    return out


def sub_account_balance(sub_account: SubAccount, *, as_of: dt.date | None = None) -> int:
    """One sub-account's balance on its account's normal side, from its lines."""
    qs = JournalLine.objects.filter(sub_account=sub_account)
    if as_of is not None:
        qs = qs.filter(date__lte=as_of)
    totals = qs.aggregate(d=Sum("debit"), c=Sum("credit"))
    signed = (totals["d"] or 0) - (totals["c"] or 0)
    return signed if sub_account.account.type in DEBIT_NORMAL else -signed


@dataclass
class SubAccountLine:
    """A line of a member's account as a statement or passbook shows it."""

    line_id: int
    date: dt.date
    document: str
    memo: str
    deposit: int  # on the account's normal side (a credit for savings): money in
    withdrawal: int
    balance: int  # after this line


def sub_account_lines(sub_account: SubAccount, *, start: dt.date | None = None,
                      end: dt.date | None = None) -> tuple[int, list[SubAccountLine]]:
    """(balance brought forward before ``start``, the lines from ``start`` to ``end`` with the
    running balance), in date and posting order."""
    opening = sub_account_balance(sub_account, as_of=start - dt.timedelta(days=1)) if start else 0
    qs = JournalLine.objects.filter(sub_account=sub_account).select_related("entry").order_by("date", "id")
    if start is not None:
        qs = qs.filter(date__gte=start)
    if end is not None:
        qs = qs.filter(date__lte=end)
    debit_normal = sub_account.account.type in DEBIT_NORMAL
    balance, out = opening, []
    for ln in qs:
        up, down = (ln.debit, ln.credit) if debit_normal else (ln.credit, ln.debit)
        balance += up - down
        out.append(SubAccountLine(ln.pk, ln.date, ln.entry.document_number, ln.memo or ln.entry.memo, up, down,
                                  balance))
    return opening, out
