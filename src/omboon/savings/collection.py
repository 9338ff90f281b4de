"""Savings deposits on the collection day: the savings part of ``ledger.collection``,
registered by ``SavingsConfig.ready()``. Contributions' collection day calls it without
importing savings.

Each member's open (or dormant) compulsory and voluntary accounts are the targets; a compulsory
account is pre-filled with the month's amount of its product's terms less what was deposited in
that month already, a voluntary one is optional. A take is checked by ``rules.DEPOSIT`` (the list
the single deposit runs), credited to the account's sub-account, and a dormant account it touches
is open again (with its history), as ``services.deposit`` does."""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum

from omboon.core import audit
from omboon.core.errors import Problem
from omboon.ledger import collection
from omboon.ledger.rules import last_closed_period
from omboon.ledger.selectors import lines as ledger_lines
from omboon.ledger.services import Line
from omboon.savings import rules, selectors
from omboon.savings.models import Account, Kind, StatusChange

TAKEN_KINDS = (Kind.COMPULSORY, Kind.VOLUNTARY)


def _label(account: Account) -> tuple[str, str]:
    p = account.product
    return f"{p.name_th} {account.number}", f"{p.name_en or p.name_th} {account.number}"


class SavingsPart:
    code = "savings"
    order = 20
    title_th = "เงินฝาก"
    title_en = "Savings"

    def in_use(self, organisation) -> bool:
        return Account.objects.filter(organisation=organisation, product__kind__in=TAKEN_KINDS).exclude(
            status=Account.Status.CLOSED).exists()

    def targets(self, organisation, member_ids, date: dt.date) -> dict[int, list[collection.Target]]:
        accounts = list(Account.objects.filter(organisation=organisation, member_id__in=list(member_ids),
                                               product__kind__in=TAKEN_KINDS, opened_on__lte=date)
                        .exclude(status=Account.Status.CLOSED).select_related("product").order_by("number"))
        versions = {}
        for a in accounts:
            if a.product_id not in versions:
                versions[a.product_id] = selectors.version_in_force(a.product, date)
        compulsory = [a.sub_account_id for a in accounts if a.product.kind == Kind.COMPULSORY]
        month_start = date.replace(day=1)
        deposited = dict(ledger_lines(organisation).filter(sub_account_id__in=compulsory, date__gte=month_start,
                                                           date__lte=date).values("sub_account_id")
                         .annotate(c=Sum("credit")).order_by().values_list("sub_account_id", "c")) \
            if compulsory else {}
        out: dict[int, list[collection.Target]] = {}
        for a in accounts:
            v = versions[a.product_id]
            th, en = _label(a)
            due = 0
            if a.product.kind == Kind.COMPULSORY and v is not None:
                due = max(v.monthly_amount - (deposited.get(a.sub_account_id) or 0), 0)
            out.setdefault(a.member_id, []).append(collection.Target(
                member_id=a.member_id, ref=str(a.pk), label_th=th, label_en=en, due=due, number=a.number,
                required=a.product.kind == Kind.COMPULSORY, kind=a.product.kind))
        return out

    def _accounts(self, organisation, takes) -> dict[str, Account]:
        """The takes' accounts in one query; each take's member and the group are the objects
        the caller already holds."""
        refs = [int(t.ref) for t in takes if str(t.ref).isdigit()]
        found = {str(a.pk): a for a in Account.objects.filter(organisation=organisation, pk__in=refs)
                 .select_related("product", "sub_account__account")}
        for t in takes:
            a = found.get(str(t.ref))
            if a is not None and a.member_id == t.member.pk:
                a.member, a.organisation = t.member, organisation
        return found

    def check(self, organisation, date: dt.date, actor, takes: list[collection.Take]) -> list[Problem]:
        accounts = self._accounts(organisation, takes)
        last_closed = last_closed_period(organisation)
        versions: dict[int, object] = {}
        shares = [a for a in accounts.values() if a.product.kind == Kind.SHARES]
        balances = selectors.balances(organisation, accounts_=shares) if shares else {}
        problems: list[Problem] = []
        writer_checked = False
        seen: set[str] = set()
        for t in takes:
            where = f"savings:{t.ref}"
            account = t.target = accounts.get(str(t.ref))
            if account is None or account.member_id != t.member.pk:
                problems.append(Problem(where, "ไม่พบบัญชีเงินฝากนี้ของสมาชิก",
                                        "no such savings account of this member", row=t.row, value=t.ref,
                                        code="no_account"))
                continue
            where = f"savings:{account.number}"
            if t.ref in seen:
                problems.append(Problem(where, f"บัญชี {account.number} ซ้ำในแถวเดียวกัน",
                                        f"account {account.number} twice in one row", row=t.row, code="twice"))
                continue
            seen.add(t.ref)
            if account.product_id not in versions:
                versions[account.product_id] = selectors.version_in_force(account.product, date)
            m = rules.Movement(actor=actor, account=account, version=versions[account.product_id], amount=t.amount,
                               date=date, balance=balances.get(account.pk, 0), last_closed=last_closed)
            checks = [c for c in rules.DEPOSIT if c is not rules.mover_writes or not writer_checked]
            writer_checked = True
            problems += collection.at_row([p for c in checks for p in c(m)], t, where)
        return problems

    def lines(self, organisation, date: dt.date, takes: list[collection.Take]) -> list[collection.PartLine]:
        missing = [t for t in takes if t.target is None]
        accounts = self._accounts(organisation, missing) if missing else {}
        out = []
        for t in takes:
            a = t.target or accounts[str(t.ref)]
            th, en = _label(a)
            out.append(collection.PartLine(
                take=t, label_th=f"ฝาก{th}", label_en=f"Deposit, {en}",
                lines=[Line(account=a.sub_account.account, credit=t.amount, sub_account=a.sub_account, member=a.member,
                            memo=f"{t.document} ฝาก {a.number}"[:255])],
                detail={"account": a.number}))
        return out

    def after_post(self, *, actor, organisation, date: dt.date, entry, part_lines) -> None:
        """A dormant account that took a deposit is open again, with its history."""
        refs = [int(pl.take.ref) for pl in part_lines]
        dormant = list(Account.objects.filter(pk__in=refs, status=Account.Status.DORMANT))
        if not dormant:
            return
        Account.objects.filter(pk__in=[a.pk for a in dormant]).update(status=Account.Status.OPEN)
        StatusChange.objects.bulk_create([
            StatusChange(account=a, status=Account.Status.OPEN, date=date, by=audit.person(actor),
                         reason=f"ฝากเงินวันเก็บเงิน {entry.document_number} / a deposit on the collection day")
            for a in dormant])

    def void(self, *, actor, organisation, entry, reversal, refs: list[str]) -> None:
        """Nothing of savings' own: the balance is the lines, and the reversal has undone them
        (a loan's surplus deposited here too: its line is the receipt's)."""

    def notices(self, organisation, date: dt.date, actor, takes: list[collection.Take],
                checked: bool = False) -> list[collection.Notice]:
        """A deposit is what it names."""
        return []

