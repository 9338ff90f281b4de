"""Savings as another copy of the group's books holds them (a standalone group's laptop,
``network.sync``): products with their versions and members' accounts with their status
history, matched by natural keys (a product's code, an account's number), never by ids.
The money is not here: it is the journal lines of each account's sub-account, synced as entries.
Set-based, one call per synced item; what the server holds of an account is replaced."""

from __future__ import annotations

import datetime as dt

from omboon.ledger.models import SubAccount
from omboon.members.models import Member
from omboon.savings.models import Account, Product, ProductVersion, StatusChange

# A product: [code, kind, name_th, name_en, is_active, [[effective_from, {terms}], ...]]
# An account: [number, product code, member number, sub-account number, status, opened_on, matures_on,
#              closed_on, [[status, date, reason], ...]]
VERSION_FIELDS = ["min_balance", "annual_rate", "interest_period", "monthly_amount", "withdrawals_a_year",
                  "withdrawal_max_percent", "withdrawal_fee", "term_months", "early_rate", "share_price",
                  "min_shares", "max_shares"]


def _day(value) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def products_rows(organisation) -> list[list]:
    versions: dict[int, list] = {}
    for v in ProductVersion.objects.filter(product__organisation=organisation).order_by("product_id", "effective_from"):
        versions.setdefault(v.product_id, []).append(
            [v.effective_from.isoformat(), {f: str(getattr(v, f)) if f.endswith("rate") else getattr(v, f)
                                            for f in VERSION_FIELDS}])
    return [[p.code, p.kind, p.name_th, p.name_en, p.is_active, versions.get(p.pk, [])]
            for p in Product.objects.filter(organisation=organisation).order_by("code")]


def accounts_rows(organisation) -> list[list]:
    history: dict[int, list] = {}
    for account_id, status, day, reason in (StatusChange.objects.filter(account__organisation=organisation)
                                            .order_by("account_id", "at", "id")
                                            .values_list("account_id", "status", "date", "reason")):
        history.setdefault(account_id, []).append([status, day.isoformat(), reason])
    return [[number, product, member, sub, status, opened.isoformat(), matures.isoformat() if matures else None,
             closed.isoformat() if closed else None, history.get(pk, [])]
            for pk, number, product, member, sub, status, opened, matures, closed in (
                Account.objects.filter(organisation=organisation).order_by("number").values_list(
                    "pk", "number", "product__code", "member__number", "sub_account__number", "status", "opened_on",
                    "matures_on", "closed_on"))]


def products_receive(*, organisation, rows: list[list]) -> int:
    """Products by code (added, or their names and state brought up to date) and their versions
    by date (the group's terms replace the server's)."""
    have = {p.code: p for p in Product.objects.filter(organisation=organisation)}
    for code, kind, name_th, name_en, is_active, versions in rows:
        product = have.get(code)
        if product is None:
            product = Product.objects.create(organisation=organisation, code=code, kind=kind, name_th=name_th,
                                             name_en=name_en, is_active=is_active)
        else:
            Product.objects.filter(pk=product.pk).update(name_th=name_th, name_en=name_en, is_active=is_active)
        ProductVersion.objects.filter(product=product).delete()
        ProductVersion.objects.bulk_create([ProductVersion(product=product, effective_from=_day(day), **terms)
                                            for day, terms in versions])
    return len(rows)


def accounts_receive(*, organisation, rows: list[list]) -> int:
    """Accounts by number: new ones added, known ones given the group's status and dates; the
    status history replaced. Products, members and sub-accounts must be there (KeyError)."""
    products = dict(Product.objects.filter(organisation=organisation).values_list("code", "pk"))
    members = dict(Member.objects.filter(organisation=organisation, number__in={r[2] for r in rows})
                   .values_list("number", "pk"))
    subs = dict(SubAccount.objects.filter(organisation=organisation, number__in={r[3] for r in rows})
                .values_list("number", "pk"))
    have = dict(Account.objects.filter(organisation=organisation, number__in=[r[0] for r in rows])
                .values_list("number", "pk"))
    fresh, ids = [], []
    for number, product, member, sub, status, opened, matures, closed, _history in rows:
        values = {"status": status, "opened_on": _day(opened), "matures_on": _day(matures), "closed_on": _day(closed)}
        if number in have:
            Account.objects.filter(pk=have[number]).update(**values)
            ids.append(have[number])
        else:
            fresh.append(Account(organisation=organisation, number=number, product_id=products[product],
                                 member_id=members[member], sub_account_id=subs[sub], **values))
    created = Account.objects.bulk_create(fresh, batch_size=1000)
    by_number = {**{a.number: a.pk for a in created}, **have}
    StatusChange.objects.filter(account_id__in=ids).delete()
    StatusChange.objects.bulk_create([
        StatusChange(account_id=by_number[r[0]], status=status, date=_day(day), reason=reason)
        for r in rows for status, day, reason in r[8]], batch_size=2000)
    return len(rows)
