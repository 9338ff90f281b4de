"""Savings benchmarks (issue 16): a savings group of 3,000 members, each with a voluntary savings
account (2% a year, half-yearly, above a 100-baht minimum) and a half-year of movements — a
deposit at about every other weekly collection day and now and then a withdrawal — so interest
is a half-year of daily balances for 3,000 accounts.

- ``savings.post_interest_3000``: ``savings.services.interest_post`` for the half-year: read
  every account's lines, replay 181 days of balances each, and post one entry (5400 Dr, 3,000
  member accounts Cr). Each run is rolled back so the next posts the same period again.
  Baseline: the same in bare SQL and Python — one query of the lines by account and day, a
  float loop over the days, one executemany of 3,000 rows into a scratch table.
- ``savings.balances_report_3000``: the ``savings-balances`` report at the half-year's end (every
  account with its member and product, and the reconciliation with the books), January to May
  closed, so it reads May's snapshot and June's lines. Baseline: one bare SQL query summing
  every account's lines with its number and member.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal

from bench.common import new_group
from bench.runner import median

INTEREST_TARGET_S = 2.0
REPORT_TARGET_S = 0.3
START, END = dt.date(2025, 1, 1), dt.date(2025, 6, 30)


def run(ctx) -> list[dict]:
    members = 300 if ctx.quick else 3000
    group, lines = _build(ctx, members)
    scale = f"{members:,} accounts, a half-year of daily balances ({lines:,} lines)"
    return [*_interest(ctx, group, members, scale), *_report(ctx, group, members, scale)]


def _build(ctx, members: int):
    from django.db import transaction

    from omboon.ledger import services as ledger
    from omboon.ledger.models import JournalLine
    from omboon.ledger.rules import Approval
    from omboon.orgs.models import Organisation
    from omboon.savings import services

    ctx.step(f"build a savings group of {members:,} accounts")
    rng = random.Random(16)
    t0 = time.perf_counter()
    with transaction.atomic():
        savings_group = Organisation.GroupType.SAVINGS_GROUP
        group, treasurer, chair, people = new_group("SB", "กลุ่มสัจจะสะสมทรัพย์ทดสอบความเร็ว", savings_group,
                                                    since=dt.date(2020, 1, 1), members=members, rng=rng,
                                                    id_prefix="36")
        product = services.product_create(actor=chair, organisation=group, code="VOL", kind="voluntary",
                                          name_th="เงินฝากออมทรัพย์", effective_from=START, min_balance=100_00,
                                          annual_rate=Decimal(2), interest_period="half-yearly")
        accounts = services.accounts_open_bulk(actor=treasurer, organisation=group, product=product,
                                               openings=[(m, START) for m in people])
        held = dict.fromkeys((a.pk for a in accounts), 0)
        approval = Approval(maker=treasurer, approver=chair, what="bench")
        day = START + dt.timedelta(days=4)
        while day <= END:
            moves = [(a, 50_00 * rng.randint(2, 40)) for a in accounts if rng.random() < 0.5]
            _post(ledger, group, treasurer, day, moves, deposit=True)
            for a, amount in moves:
                held[a.pk] += amount
            out = [(a, held[a.pk] // 2) for a in accounts if held[a.pk] > 1_000_00 and rng.random() < 0.03]
            if out:
                _post(ledger, group, treasurer, day + dt.timedelta(days=2), out, deposit=False, approval=approval)
                for a, amount in out:
                    held[a.pk] -= amount
            day += dt.timedelta(days=7)
        for month in range(1, 6):
            ledger.period_close(actor=chair, organisation=group, year=2025, month=month, today=END)
    lines = JournalLine.objects.filter(organisation=group, sub_account__isnull=False).count()
    ctx.log(f"built in {time.perf_counter() - t0:.1f} s: {lines:,} lines on member accounts")
    return group, lines


def _post(ledger, group, actor, day, moves, *, deposit: bool, approval=None) -> None:
    total = sum(amount for _, amount in moves)
    members = [ledger.Line(account=a.sub_account.account, sub_account=a.sub_account, member=a.member,
                           **({"credit": amount} if deposit else {"debit": amount})) for a, amount in moves]
    cash = ledger.Line(account="1100", **({"debit": total} if deposit else {"credit": total}))
    ledger.entry_post(actor=actor, organisation=group, date=day, doc_type="receipt" if deposit else "payment",
                      lines=[cash, *members] if deposit else [*members, cash], approval=approval,
                      memo="ฝาก" if deposit else "ถอน")


def _interest(ctx, group, members: int, scale: str) -> list[dict]:
    from django.db import connection, transaction

    from omboon.savings import services
    from omboon.savings.models import InterestRun

    ctx.step("post a half-year's interest")
    timings, posted = [], 0
    for _ in range(3):
        with transaction.atomic():
            t0 = ctx.timer()
            runs = services.interest_post(actor=None, organisation=group, through=END)
            timings.append(ctx.timer() - t0)
            posted = runs[0].accounts if runs else 0
            transaction.set_rollback(True)
    assert not InterestRun.objects.filter(organisation=group).exists()

    bare = []
    days = (END - START).days + 1
    for _ in range(3):
        with transaction.atomic(), connection.cursor() as cur:
            t0 = ctx.timer()
            cur.execute("SELECT sub_account_id, date, SUM(credit) - SUM(debit) FROM ledger_journalline "
                        "WHERE organisation_id = %s AND sub_account_id IS NOT NULL AND date <= %s "
                        "GROUP BY sub_account_id, date ORDER BY sub_account_id, date", [group.pk, END])
            by_sub: dict[int, dict] = {}
            for sub, day, amount in cur.fetchall():
                by_sub.setdefault(sub, {})[day] = amount
            out = []
            for sub, moves in by_sub.items():
                balance, total, day = 0, 0.0, START
                for _ in range(days):
                    balance += moves.get(day, 0)
                    if balance > 100_00:
                        total += balance * 0.02 / 365
                    day += dt.timedelta(days=1)
                out.append((sub, int(total)))
            cur.execute("CREATE TEMPORARY TABLE bench_interest (sub_account_id integer, amount bigint)")
            cur.executemany("INSERT INTO bench_interest VALUES (%s, %s)", out)
            bare.append(ctx.timer() - t0)
            transaction.set_rollback(True)
    ctx.note(f"savings.post_interest_{members}: {posted:,} accounts paid, median of 3 runs")
    return [ctx.row(f"savings.post_interest_{members}", median(timings), "s", target=INTEREST_TARGET_S,
                    baseline=median(bare), scale=scale)]


def _report(ctx, group, members: int, scale: str) -> list[dict]:
    from django.db import connection

    from omboon.core import reporting

    ctx.step("the savings-balances report")
    report = reporting.get("savings-balances")
    timings = []
    for _ in range(5):
        t0 = ctx.timer()
        result = report.build(organisation=group, start=None, end=END)
        timings.append(ctx.timer() - t0)
    assert len(result.tables[0].rows) == members and all(r["difference"] == 0 for r in result.tables[1].rows)
    bare = []
    for _ in range(5):
        with connection.cursor() as cur:
            t0 = ctx.timer()
            cur.execute("SELECT a.number, m.number, m.first_name, m.last_name, SUM(l.credit) - SUM(l.debit) "
                        "FROM savings_account a JOIN members_member m ON m.id = a.member_id "
                        "LEFT JOIN ledger_journalline l ON l.sub_account_id = a.sub_account_id AND l.date <= %s "
                        "WHERE a.organisation_id = %s GROUP BY a.number, m.number, m.first_name, m.last_name "
                        "ORDER BY a.number", [END, group.pk])
            cur.fetchall()
            bare.append(ctx.timer() - t0)
    ctx.note(f"savings.balances_report_{members}: {members:,} rows and the books' check, median of 5 runs")
    return [ctx.row(f"savings.balances_report_{members}", median(timings), "s", target=REPORT_TARGET_S,
                    baseline=median(bare), scale=scale + "; January–May closed (snapshots)")]
