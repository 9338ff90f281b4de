"""Reads of savings that pages, the API, the CLI and reports share. Balances come from the
ledger's lines of each account's sub-account (``ledger.selectors``), never from a stored number."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet, Sum

from omboon.ledger import selectors as ledger
from omboon.ledger.models import DEBIT_NORMAL
from omboon.orgs import scoping
from omboon.savings.models import Account, Product, ProductVersion, Withdrawal


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


def balances(organisation, as_of: dt.date | None = None, accounts_=None) -> dict[int, int]:
    """{savings account id: balance} for the group's accounts (or ``accounts_``), from the lines."""
    rows = list(accounts_) if accounts_ is not None else list(Account.objects.filter(organisation=organisation))
    by_sub = ledger.sub_account_balances(organisation, ids=[a.sub_account_id for a in rows], as_of=as_of)
    return {a.pk: by_sub.get(a.sub_account_id, 0) for a in rows}


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


def withdrawals_paid_in_year(account: Account, year: int) -> int:
    return Withdrawal.objects.filter(account=account, status=Withdrawal.Status.PAID, date__year=year).count()


def withdrawals(organisation) -> QuerySet[Withdrawal]:
    return (scoping.in_scope(Withdrawal.objects.all(), organisation)
            .select_related("account__member", "account__product", "requested_by", "decided_by", "entry"))


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
