"""Demo savings: a savings group's (กลุ่มสัจจะสะสมทรัพย์) years of monthly collection days.

Only groups of type ``savings_group`` save (the welfare funds' one-baht-a-day is a contribution,
income of the fund, not a member's savings). Products from the group's founding: สัจจะ 100
baht a month (1% a year, half-yearly; one withdrawal a year of at most half), voluntary savings
(2% a year half-yearly above a 100-baht minimum) and shares at 10 baht. Every active member has
a สัจจะ account and shares from joining (buying more most Januaries), and about two in five a
voluntary account.

Each month's collection day (the 5th) is ONE receipt — every member's สัจจะ and voluntary
deposit a line of it — and the month's withdrawals ONE payment, so five years of a group of 600
are some 120 entries, not 40,000; interest is posted by ``services.interest_post`` for every
half-year, and accounts idle for a year are marked dormant. Random draws come from ``rng`` only.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from omboon.core import months
from omboon.ledger import chart
from omboon.ledger import services as ledger
from omboon.ledger.demo import history_approval
from omboon.ledger.models import DocumentType
from omboon.members.models import Member
from omboon.orgs.models import Organisation
from omboon.savings import services
from omboon.savings.models import Account

COLLECTION_DAY = 5
SAJ_MONTHLY = 100_00


def _products(organisation, start: dt.date, actor) -> dict:
    p = {}
    p["SAJ"] = services.product_create(
        actor=actor, organisation=organisation, code="SAJ", kind="compulsory", name_th="เงินสัจจะ",
        name_en="Compulsory savings", effective_from=start, monthly_amount=SAJ_MONTHLY, withdrawals_a_year=1,
        withdrawal_max_percent=50, annual_rate=Decimal(1), interest_period="half-yearly")
    p["VOL"] = services.product_create(
        actor=actor, organisation=organisation, code="VOL", kind="voluntary", name_th="เงินฝากออมทรัพย์",
        name_en="Voluntary savings", effective_from=start, min_balance=100_00, annual_rate=Decimal(2),
        interest_period="half-yearly")
    p["SH"] = services.product_create(
        actor=actor, organisation=organisation, code="SH", kind="shares", name_th="หุ้น", name_en="Shares",
        effective_from=start, share_price=10_00, min_shares=10, max_shares=1000)
    return p


def _month_days(start: dt.date, end: dt.date) -> list[dt.date]:
    days, (y, m) = [], (start.year, start.month)
    while True:
        day = dt.date(y, m, COLLECTION_DAY)
        if day > end:
            return days
        if day >= start:
            days.append(day)
        y, m = months.add(y, m, 1)


def populate(*, organisation, rng: random.Random, start: dt.date, end: dt.date, actor=None) -> dict:
    if organisation.group_type != Organisation.GroupType.SAVINGS_GROUP:
        return {}
    approval = history_approval(organisation)
    actor = actor or approval.maker
    products = _products(organisation, start, actor)
    members = list(Member.objects.filter(organisation=organisation, status=Member.Status.ACTIVE).order_by("number"))
    opened = {m.pk: max(m.join_date, start) for m in members}
    accounts: dict[str, list[Account]] = {}
    for code, chosen in (("SAJ", members), ("SH", members), ("VOL", [m for m in members if rng.random() < 0.4])):
        accounts[code] = services.accounts_open_bulk(actor=actor, organisation=organisation, product=products[code],
                                                     openings=[(m, opened[m.pk]) for m in chosen])
    balance = {a.pk: 0 for code in accounts for a in accounts[code]}
    shares = {a.pk: 10_00 * rng.randint(10, 50) for a in accounts["SH"]}
    habit = {a.pk: rng.choice((0, 100_00, 200_00, 500_00, 1_000_00)) for a in accounts["VOL"]}
    receipts = payments = 0
    for day in _month_days(start, end):
        lines = []
        for a in accounts["SAJ"]:
            if a.opened_on <= day and rng.random() < 0.95:
                lines.append((a, SAJ_MONTHLY))
        for a in accounts["SH"]:
            if a.opened_on <= day and shares.get(a.pk):
                lines.append((a, shares.pop(a.pk)))
            elif a.opened_on <= day and day.month == 1 and rng.random() < 0.8:  # more shares each year
                lines.append((a, 10_00 * rng.randint(1, 10)))
        for a in accounts["VOL"]:
            if a.opened_on <= day and rng.random() < 0.5:
                lines.append((a, max(100_00, habit[a.pk] + 50_00 * rng.randint(0, 10))))
        if lines:
            receipts += _post(organisation, actor, day, DocumentType.RECEIPT, lines, balance, approval=None)
        out = []
        for a in accounts["VOL"]:
            if balance[a.pk] > 600_00 and rng.random() < 0.04:
                out.append((a, 50_00 * rng.randint(1, (balance[a.pk] - 100_00) // 100_00)))
        if day.month == 12:
            for a in accounts["SAJ"]:
                if balance[a.pk] > 1_000_00 and rng.random() < 0.03:
                    out.append((a, (balance[a.pk] // 2) // 100_00 * 100_00))
        if out:
            payments += _post(organisation, actor, day + dt.timedelta(days=10), DocumentType.PAYMENT, out, balance,
                              approval=approval)
    runs = services.interest_post(actor=actor, organisation=organisation, through=end)
    dormant = services.accounts_mark_dormant(actor=actor, organisation=organisation, as_of=end)
    return {"accounts": sum(len(v) for v in accounts.values()), "receipts": receipts, "payments": payments,
            "interest_runs": len(runs), "dormant": dormant}


def _post(organisation, actor, day, doc_type, moves, balance, *, approval) -> int:
    """One entry of many members' deposits (a receipt) or withdrawals (a payment)."""
    total = sum(amount for _a, amount in moves)
    members_ = [ledger.Line(account=a.sub_account.account, sub_account=a.sub_account, member=a.member,
                            memo=a.number,
                            **({"credit": amount} if doc_type == DocumentType.RECEIPT else {"debit": amount}))
                for a, amount in moves]
    if doc_type == DocumentType.RECEIPT:
        lines, memo = [ledger.Line(account=chart.CASH, debit=total), *members_], f"รับฝากเงินสัจจะ/ออมทรัพย์/หุ้น {day}"
    else:
        lines, memo = [*members_, ledger.Line(account=chart.CASH, credit=total)], f"จ่ายถอนเงินฝาก {day}"
    ledger.entry_post(actor=approval.maker if approval else actor, organisation=organisation, date=day,
                      doc_type=doc_type, lines=lines, memo=memo, approval=approval,
                      idempotency_key=f"demo.savings:{doc_type}:{day.isoformat()}")
    for a, amount in moves:
        balance[a.pk] += amount if doc_type == DocumentType.RECEIPT else -amount
    return 1
