"""The year-end allocation's benchmark (issue 17): ``loans.year_end_allocation_3000``.

A savings group of 3,000 members, each with a voluntary savings account: a deposit before the
year, then a deposit at most month-ends of 2025 (about 36,000 lines on member accounts); 300
members borrow and repay twice (loan interest, 4710); a donation. Every month from December
2024 to December 2025 is closed. Measured: ``loans.year_end.services.allocation_draft`` for
2025 — the year's net income, every member's twelve month-end balances and interest paid read
from the books, the split computed (pool model) and the draft with its 3,000 member lines
written. Each run is rolled back, so the next drafts afresh.

Baseline, in the same run: the same in bare SQL and Python — one query of the member accounts'
lines by member and day, one of the repayments' interest by member, the arithmetic in a loop
and one executemany of 3,000 rows into a scratch table.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal

from bench.common import new_group
from bench.runner import median

TARGET_S = 3.0
REPEATS = 3


def run(ctx) -> list[dict]:
    members = 300 if ctx.quick else 3000
    group, treasurer, lines = _build(ctx, members)
    scale = f"{members:,} members, a year of month-end balances ({lines:,} lines), {members // 10:,} borrowers"
    return _draft(ctx, group, treasurer, members, scale)


def _build(ctx, members: int):
    from django.db import transaction

    from omboon.ledger import bulk
    from omboon.ledger import services as ledger
    from omboon.ledger.models import Account, Fund, JournalLine
    from omboon.loans import services as loans
    from omboon.loans.schedule import Terms
    from omboon.orgs.models import Organisation
    from omboon.savings import services as savings

    ctx.step(f"build a savings group of {members:,} members")
    rng = random.Random(17)
    t0 = time.perf_counter()
    with transaction.atomic():
        savings_group = Organisation.GroupType.SAVINGS_GROUP
        group, treasurer, chair, people = new_group("YE", "กลุ่มออมทรัพย์ทดสอบจัดสรรกำไร", savings_group,
                                                    since=dt.date(2020, 1, 1), members=members, rng=rng,
                                                    id_prefix="37")
        product = savings.product_create(actor=chair, organisation=group, code="VOL", kind="voluntary",
                                         name_th="เงินฝากออมทรัพย์", effective_from=dt.date(2024, 1, 1))
        accounts = savings.accounts_open_bulk(actor=treasurer, organisation=group, product=product,
                                              openings=[(m, dt.date(2024, 12, 1)) for m in people])
        cash = Account.objects.get(organisation=group, code="1100")
        fund = Fund.objects.get(organisation=group, is_default=True)
        entries = []
        days = [dt.date(2024, 12, 5)] + [dt.date(2025, m, 25) for m in range(1, 13)]
        for n, day in enumerate(days):
            moves = [(a, 100_00 * rng.randint(1, 20)) for a in accounts if n == 0 or rng.random() < 0.9]
            lines = [bulk.BulkLine(account=cash, fund=fund, debit=sum(x for _, x in moves))]
            lines += [bulk.BulkLine(account=a.sub_account.account, fund=fund, credit=x, member_id=a.member_id,
                                    sub_account=a.sub_account) for a, x in moves]
            entries.append(bulk.BulkEntry(date=day, doc_type="receipt", memo="ฝาก", idempotency_key=f"ye-{n}",
                                          lines=lines))
        bulk.entries_post_bulk(actor=treasurer, organisation=group, entries=entries, source=("bench", "ye"))
        ledger.entry_post(actor=treasurer, organisation=group, date=dt.date(2025, 3, 1), doc_type="receipt",
                          lines=[ledger.Line(account="1100", debit=200_000_00),
                                 ledger.Line(account="4600", credit=200_000_00)], memo="เงินบริจาค")
        gen = loans.product_create(actor=chair, organisation=group, code="GEN", name_th="เงินกู้เพื่อการผลิต",
                                   terms=Terms(method="declining", rate=Decimal(12), per="year", every="month",
                                               term=12), max_amount=50_000_00, effective_from=dt.date(2024, 1, 1))
        for member in people[::10]:
            loan = loans.loan_apply(actor=treasurer, organisation=group, member=member, product=gen,
                                    principal=10_000_00, purpose="ลงทุน", applied_on=dt.date(2025, 1, 5))
            loans.loan_approve(actor=chair, loan=loan)
            loans.loan_disburse(actor=treasurer, loan=loan, date=dt.date(2025, 1, 10))
            for month in (2, 3):
                loans.loan_repay(actor=treasurer, loan=loan, amount=1_000_00, date=dt.date(2025, month, 10))
        for year, month in [(2024, 12)] + [(2025, m) for m in range(1, 13)]:
            ledger.period_close(actor=chair, organisation=group, year=year, month=month, today=dt.date(2026, 1, 15))
    lines = JournalLine.objects.filter(organisation=group, sub_account__isnull=False).count()
    ctx.log(f"built in {time.perf_counter() - t0:.1f} s: {lines:,} lines on member accounts")
    return group, treasurer, lines


def _draft(ctx, group, treasurer, members: int, scale: str) -> list[dict]:
    from django.db import connection, transaction

    from omboon.loans.models import YearEndAllocation
    from omboon.loans.year_end import compute, services

    model = compute.Model(compute.POOL, reserve=Decimal(20), dividend=Decimal(50), refund=Decimal(20),
                          welfare=Decimal(5), committee=Decimal(3), public=Decimal(2))
    ctx.step("draft the year-end allocation of 2025")
    timings, shares = [], 0
    for _ in range(REPEATS):
        with transaction.atomic():
            t0 = ctx.timer()
            allocation = services.allocation_draft(actor=treasurer, organisation=group, fiscal_year=2025, model=model)
            timings.append(ctx.timer() - t0)
            shares = allocation.shares.count()
            transaction.set_rollback(True)
    assert not YearEndAllocation.objects.filter(organisation=group).exists()

    ctx.step("the same bare")
    bare = []
    start, end = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    for _ in range(REPEATS):
        with transaction.atomic(), connection.cursor() as cur:
            t0 = ctx.timer()
            cur.execute("SELECT s.member_id, l.date, SUM(l.credit) - SUM(l.debit) FROM ledger_journalline l "
                        "JOIN ledger_subaccount s ON s.id = l.sub_account_id WHERE l.organisation_id = %s "
                        "AND l.date <= %s GROUP BY s.member_id, l.date", [group.pk, end])
            weights: dict[int, int] = {}
            for member, day, amount in cur.fetchall():
                months = 12 if day < start else 12 - (day.month - 1)
                weights[member] = weights.get(member, 0) + amount * months
            cur.execute("SELECT l.member_id, SUM(r.interest) FROM loans_repayment r JOIN loans_loan l "
                        "ON l.id = r.loan_id WHERE r.organisation_id = %s AND r.date BETWEEN %s AND %s "
                        "AND r.reversal_id IS NULL GROUP BY l.member_id", [group.pk, start, end])
            interest = dict(cur.fetchall())
            total_w, total_i = sum(weights.values()), sum(interest.values())
            out = [(m, 1_000_000_00 * w // total_w, 1_000_000_00 * interest.get(m, 0) // max(total_i, 1))
                   for m, w in weights.items()]
            cur.execute("CREATE TEMPORARY TABLE bench_year_end (member_id integer, dividend bigint, refund bigint)")
            cur.executemany("INSERT INTO bench_year_end VALUES (%s, %s, %s)", out)
            bare.append(ctx.timer() - t0)
            cur.execute("DROP TABLE bench_year_end")
            transaction.set_rollback(True)
    ctx.note(f"loans.year_end_allocation_{members}: {shares:,} member lines a draft, median of {REPEATS} runs")
    return [ctx.row(f"loans.year_end_allocation_{members}", median(timings), "s", target=TARGET_S,
                    baseline=median(bare), scale=scale)]
