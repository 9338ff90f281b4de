"""Reads of savings that pages, the API, the CLI and reports share. Balances come from the
ledger's lines of each account's sub-account (``ledger.selectors``), never from a stored number."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, CharField, Exists, Max, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import ExtractMonth, ExtractYear

from omboon.ledger import chart, holdings
from omboon.ledger import selectors as ledger
from omboon.ledger.chart import SUB_ACCOUNTED
from omboon.ledger.models import DEBIT_NORMAL, JournalLine, SubAccount
from omboon.orgs import scoping
from omboon.orgs.models import Organisation
from omboon.savings.models import (
    Account,
    InterestRun,
    Kind,
    MonthEndBalance,
    Product,
    ProductVersion,
    ShareTransfer,
    Withdrawal,
)


def products(organisation) -> QuerySet[Product]:
    return scoping.in_scope(Product.objects.all(), organisation).order_by("code")


def version_in_force(product: Product, day: dt.date) -> ProductVersion | None:
    """The product's terms on ``day``: its latest version that started on or before it."""
    return product.versions.filter(effective_from__lte=day).order_by("-effective_from").first()


def accounts(organisation) -> QuerySet[Account]:
    return (scoping.in_scope(Account.objects.all(), organisation)
            .select_related("product", "member", "sub_account__account").order_by("number"))


def account_by_number(organisation, number: str) -> Account:
    return accounts(organisation).get(number=number)


def balance(account: Account, as_of: dt.date | None = None) -> int:
    """The account's balance (satang) from its lines up to ``as_of`` (all when None)."""
    return ledger.sub_account_balance(account.sub_account, as_of=as_of)


def member_savings(organisation, member, as_of: dt.date | None = None) -> int:
    """What the member has saved (satang): the balances of their savings accounts, compulsory,
    voluntary and fixed, on ``as_of``; shares are equity, not savings, and are left out."""
    accounts_ = Account.objects.filter(organisation=organisation, member=member).exclude(product__kind=Kind.SHARES)
    return sum(balances(organisation, as_of, accounts_=accounts_).values())


def balances(organisation, as_of: dt.date | None = None, accounts_=None) -> dict[int, int]:
    """{savings account id: balance} for the group's accounts (or ``accounts_``): the last
    month-end snapshot on or before ``as_of`` and the lines since (``sub_balances``)."""
    rows = list(accounts_) if accounts_ is not None else list(Account.objects.filter(organisation=organisation))
    ids = None if accounts_ is None else [a.sub_account_id for a in rows]
    by_sub = sub_balances(organisation, as_of=as_of, ids=ids)
    return {a.pk: by_sub.get(a.sub_account_id, 0) for a in rows}


def signed(debit: int, credit: int, type_: str) -> int:
    return debit - credit if type_ in DEBIT_NORMAL else credit - debit


def snapshot_end(organisation, as_of: dt.date | None = None, *, before: dt.date | None = None) -> dt.date | None:
    """The last month end on or before ``as_of`` (or before ``before``) with a snapshot."""
    qs = MonthEndBalance.objects.filter(organisation=organisation)
    if as_of is not None:
        qs = qs.filter(month_end__lte=as_of)
    if before is not None:
        qs = qs.filter(month_end__lt=before)
    return qs.aggregate(m=Max("month_end"))["m"]


def sub_balances(organisation, *, as_of: dt.date | None = None, ids=None) -> dict[int, int]:
    """{sub-account id: balance} of a group's member accounts at the end of ``as_of`` (all
    lines when None): the last month-end snapshot (a closed month's lines never change) plus
    the lines after it — two queries however long the history. Zero balances may be left out."""
    base = snapshot_end(organisation, as_of)
    out: dict[int, int] = {}
    if base is not None:
        snap = MonthEndBalance.objects.filter(organisation=organisation, month_end=base)
        if ids is not None:
            snap = snap.filter(sub_account_id__in=list(ids))
        out = dict(snap.values_list("sub_account_id", "balance"))
    lines = JournalLine.objects.filter(organisation=organisation, sub_account__isnull=False)
    if base is not None:
        lines = lines.filter(date__gt=base)
    if as_of is not None:
        lines = lines.filter(date__lte=as_of)
    if ids is not None:
        lines = lines.filter(sub_account_id__in=list(ids))
    for sub_id, type_, d, c in (lines.values_list("sub_account_id", "account__type")
                                .annotate(Sum("debit"), Sum("credit")).order_by()):
        out[sub_id] = out.get(sub_id, 0) + signed(d, c, type_)
    return out


def statement(account: Account, start: dt.date | None = None, end: dt.date | None = None):
    """(balance brought forward, lines with the running balance) from ``start`` to ``end``."""
    return ledger.sub_account_lines(account.sub_account, start=start, end=end)


def pending(account: Account, *, exclude: Withdrawal | None = None) -> int:
    """Withdrawals of the account asked for and not yet decided: their amounts and fees."""
    qs = Withdrawal.objects.filter(account=account, status=Withdrawal.Status.REQUESTED)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    totals = qs.aggregate(a=Sum("amount"), f=Sum("fee"))
    return (totals["a"] or 0) + (totals["f"] or 0)


def holds(account: Account) -> tuple:
    """The liens on the account (``ledger.holdings``: a loan's security), each with what it holds."""
    return tuple(holdings.holds([account.pk])[account.pk])


def held(account: Account) -> int:
    """What the account may not go below while its liens stand (satang)."""
    return sum(h.amount for h in holds(account))


def pledgeable(organisation, numbers) -> dict[str, holdings.SavingsAccount]:
    """The group's accounts of ``numbers`` as another domain reads them (``ledger.holdings``,
    registered in ``SavingsConfig.ready``): owner, kind, balance, withdrawals waiting and what is held."""
    rows = list(Account.objects.filter(organisation=organisation, number__in=list(numbers))
                .select_related("product", "sub_account"))
    balances_ = balances(organisation, accounts_=rows)
    waiting = dict(Withdrawal.objects.filter(account__in=rows, status=Withdrawal.Status.REQUESTED)
                   .values("account_id").annotate(s=Sum("amount") + Sum("fee")).values_list("account_id", "s"))
    held_ = holdings.held(a.pk for a in rows)
    return {a.number: holdings.SavingsAccount(a.pk, a.number, a.member_id, a.product.kind,
                                              a.status != Account.Status.CLOSED, balances_[a.pk],
                                              waiting.get(a.pk, 0), held_[a.pk]) for a in rows}


def transfers_waiting(account: Account, *, exclude=None) -> int:
    """Share transfers out of the account asked for and not yet decided: their amounts."""
    qs = ShareTransfer.objects.filter(from_account=account, status=ShareTransfer.Status.REQUESTED)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.aggregate(a=Sum("amount"))["a"] or 0


def withdrawals_paid_in_year(account: Account, year: int) -> int:
    """Paid withdrawals of the account in ``year`` that stand: one undone by a reversal entry
    (``services.movement_reverse``) gave the money back, so it is not counted against the
    bylaws' withdrawals a year."""
    return (Withdrawal.objects.filter(account=account, status=Withdrawal.Status.PAID, date__year=year)
            .filter(entry__reversed_by__isnull=True).count())


def withdrawals(organisation) -> QuerySet[Withdrawal]:
    return (scoping.in_scope(Withdrawal.objects.all(), organisation)
            .select_related("account__member", "account__product", "requested_by", "decided_by", "entry"))


def share_transfers(organisation) -> QuerySet[ShareTransfer]:
    return (scoping.in_scope(ShareTransfer.objects.all(), organisation)
            .select_related("from_account__member", "to_account__member", "requested_by", "decided_by", "entry"))


def last_movement(account: Account) -> dt.date | None:
    line = account.sub_account.lines.order_by("-date").values_list("date", flat=True).first()
    return line


def moved_since(organisation, sub_account_ids, since: dt.date) -> list[int]:
    """The sub-accounts among ``sub_account_ids`` with a line dated after ``since``."""
    return list(ledger.lines(organisation).filter(sub_account_id__in=sub_account_ids, date__gt=since)
                .values_list("sub_account_id", flat=True).distinct())


def movements(organisation, sub_account_ids, through: dt.date) -> dict[int, list[tuple[dt.date, int]]]:
    """{sub-account id: [(date, signed amount on the account's normal side), …]} up to ``through``."""
    out: dict[int, list[tuple[dt.date, int]]] = {}
    rows = (ledger.lines(organisation).filter(sub_account_id__in=list(sub_account_ids), date__lte=through)
            .values_list("sub_account_id", "date", "debit", "credit", "account__type").order_by("date", "id"))
    for sub_id, day, debit, credit, type_ in rows:
        signed = debit - credit if type_ in DEBIT_NORMAL else credit - debit
        out.setdefault(sub_id, []).append((day, signed))
    return out


# --- for reports ---------------------------------------------------------------------------

def group_ids(organisation) -> list[int]:
    """The groups with savings accounts that ``organisation`` sees (itself, or a network's groups
    sharing full records)."""
    # order_by(): the model's ordering would join DISTINCT as a column (one row an account)
    return sorted(set(scoping.in_scope(Account.objects.all(), organisation).order_by()
                      .values_list("organisation_id", flat=True).distinct()))


def balances_in_scope(organisation, as_of: dt.date | None) -> dict[int, int]:
    """{sub-account id: balance} of every group in scope (a snapshot and the lines since each)."""
    out: dict[int, int] = {}
    for org_id in group_ids(organisation):
        out.update(sub_balances(_org(org_id), as_of=as_of))
    return out


def _org(org_id: int) -> Organisation:
    return Organisation.objects.get(pk=org_id)


def ledger_totals(organisation, as_of: dt.date) -> dict[str, int]:
    """{standard code: balance on the normal side} of the per-member accounts (2100, 2110,
    2120, 3400) in the groups' books at ``as_of`` — what the member accounts must add up to."""
    out: dict[str, int] = {}
    for org_id in group_ids(organisation):
        org = _org(org_id)
        from_code = dict(ledger.accounts(org).filter(standard_code__in=SUB_ACCOUNTED)
                             .values_list("pk", "standard_code"))
        for (account_id, _fund), b in ledger.balances(org, as_of).items():
            code = from_code.get(account_id)
            if code is not None:
                out[code] = out.get(code, 0) - b  # liabilities and equity: credit − debit
    return out


def last_movements(organisation) -> dict[int, dt.date]:
    """{sub-account id: the date of its last line} for the accounts in scope."""
    return dict(scoping.in_scope(JournalLine.objects.filter(sub_account__isnull=False), organisation)
                .values_list("sub_account_id").annotate(Max("date")).order_by())


# Movements of member accounts by what moved them: deposits (receipts), withdrawals (payments),
# interest (entries charging 5400: the interest runs' and imported ones), opening balances, and
# other transfers (journals); a reversal counts with the entry it reverses, so a reversed deposit
# takes the deposit back.
MOVEMENT_KINDS = ("opening", "deposit", "withdrawal", "interest", "other")


def movements_by_month(organisation, start: dt.date | None, end: dt.date) -> dict[tuple[int, int, str], dict]:
    """{(year, month, standard code): {kind: amount money in (+) or out (−)}} from ``start``
    to ``end``: one aggregate query over the lines of member accounts."""
    def on_5400(entry_ref: str) -> Exists:
        return Exists(JournalLine.objects.filter(entry_id=OuterRef(entry_ref),
                                                 account__standard_code=chart.INTEREST_ON_SAVINGS))

    kind = Case(
        # a withdrawal first: a fixed-term deposit's carries its settled interest on 5400 too
        When(Q(entry__doc_type="payment") | Q(entry__reverses__doc_type="payment"), then=Value("withdrawal")),
        When(on_5400("entry_id") | on_5400("entry__reverses_id"), then=Value("interest")),
        When(Q(entry__doc_type="opening") | Q(entry__reverses__doc_type="opening"), then=Value("opening")),
        When(Q(entry__doc_type="receipt") | Q(entry__reverses__doc_type="receipt"), then=Value("deposit")),
        default=Value("other"), output_field=CharField())
    qs = scoping.in_scope(JournalLine.objects.filter(sub_account__isnull=False, date__lte=end), organisation)
    if start is not None:
        qs = qs.filter(date__gte=start)
    rows = (qs.annotate(k=kind).values_list(ExtractYear("date"), ExtractMonth("date"), "account__standard_code",
                                            "k", "account__type")
            .annotate(Sum("debit"), Sum("credit")).order_by())
    out: dict[tuple[int, int, str], dict] = {}
    for y, m, code, k, type_, d, c in rows:
        slot = out.setdefault((y, m, code), dict.fromkeys(MOVEMENT_KINDS, 0))
        slot[k] += signed(d, c, type_)
    return out


@dataclass
class KindSummary:
    """One kind of savings (its standard code) over a period: what it held at the start and
    the end, what moved it, and how many accounts and members held money at the end."""

    code: str
    opening: int = 0
    deposit: int = 0
    withdrawal: int = 0  # money out, a positive number
    interest: int = 0
    other: int = 0  # opening balances brought in, transfers
    closing: int = 0
    accounts: int = 0
    members: int = 0


def summary(organisation, start: dt.date | None, end: dt.date) -> list[KindSummary]:
    """Each kind of savings the organisation's groups hold, from ``start`` to ``end`` (from the
    first line when None); empty when they have no member accounts. The opening plus the
    movements equals the closing."""
    if not group_ids(organisation):
        return []
    at_end = balances_in_scope(organisation, end)
    at_start = balances_in_scope(organisation, start - dt.timedelta(days=1)) if start else {}
    subs = dict(scoping.in_scope(SubAccount.objects.all(), organisation)
                .values_list("pk", "account__standard_code"))
    owners = dict(scoping.in_scope(SubAccount.objects.all(), organisation).values_list("pk", "member_id"))
    out: dict[str, KindSummary] = {}
    for sub_id, b in at_start.items():
        out.setdefault(subs[sub_id], KindSummary(subs[sub_id])).opening += b
    holders: dict[str, set] = {}
    for sub_id, b in at_end.items():
        row = out.setdefault(subs[sub_id], KindSummary(subs[sub_id]))
        row.closing += b
        if b > 0:
            row.accounts += 1
            holders.setdefault(row.code, set()).add(owners[sub_id])
    for (_y, _m, code), kinds in movements_by_month(organisation, start, end).items():
        row = out.setdefault(code, KindSummary(code))
        row.deposit += kinds["deposit"]
        row.withdrawal -= kinds["withdrawal"]
        row.interest += kinds["interest"]
        row.other += kinds["opening"] + kinds["other"]
    for code, who in holders.items():
        out[code].members = len(who)
    return [out[c] for c in sorted(out)]


def members_with_savings(organisation, as_of: dt.date) -> int:
    """Members holding money in any savings account or shares at ``as_of``."""
    at = balances_in_scope(organisation, as_of)
    return len(set(scoping.in_scope(SubAccount.objects.filter(pk__in=[k for k, v in at.items() if v > 0]),
                                    organisation).values_list("member_id", flat=True)))


def interest_runs(organisation) -> QuerySet[InterestRun]:
    """Interest posted, the latest period first."""
    return (scoping.in_scope(InterestRun.objects.all(), organisation).select_related("product", "entry")
            .order_by("-period_end", "product__code"))
