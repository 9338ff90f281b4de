"""The collection day as one sitting for several domains (issues 16 and 17), at a real group's
size: 3,000 active members, one submission (``contributions.services.collection_day_post``, the
service the draft's final save calls), all or nothing, one journal entry.

- ``savings.collection_day_3000``: each member a contribution (31 baht) and a deposit to their
  compulsory สัจจะ account (100 baht): 3,000 receipts, each listing both parts. Target 3 s.
- ``loans.collection_day_3000``: each member a contribution, a deposit and the repayment due on
  their running loan (split into interest and principal by the loan's allocation). Target 4 s.

Baseline (same run): the same number of rows the posting writes — journal lines, receipts,
receipt items and receipt parts — inserted bare (``core.bulk.insert_rows``: executemany on
SQLite, COPY on PostgreSQL) into a scratch table, so the ratio says what the rules, the
allocation and the bookkeeping cost beyond writing the rows. The setup (members, accounts,
loans) is outside the clock.
"""

from __future__ import annotations

import datetime as dt
import time

from bench.common import bench_users, demo_group

MEMBERS = 3000
SAVINGS_TARGET_S = 3.0
LOANS_TARGET_S = 4.0


def run(ctx) -> list[dict]:
    from omboon.orgs.models import Role

    wanted = 600 if ctx.quick else MEMBERS
    today = dt.date.today()
    group = demo_group(ctx, wanted, today=today)
    treasurer, chair, committee = bench_users(group, Role.TREASURER, Role.CHAIR, Role.COMMITTEE)
    members = _members(group, today, wanted)
    ctx.step(f"เปิดบัญชีสัจจะ {wanted:,} บัญชี / {wanted:,} compulsory savings accounts")
    accounts = _accounts(group, chair, members, today)
    rows = []
    # a contribution and a deposit each, the day before (a day of its own)
    day = today - dt.timedelta(days=1)
    ctx.step(f"วันเก็บเงิน สมทบ + ฝาก {wanted:,} คน / contribution + deposit, {wanted:,} members")
    seconds, written = _post(group, treasurer, day, [
        {"member": m.pk, "amount": 31_00, "parts": {"savings": {str(a.pk): 100_00}}}
        for m, a in zip(members, accounts)])
    bare = _bare(written)
    rows.append(ctx.row(f"savings.collection_day_{MEMBERS}", seconds, "s", target=SAVINGS_TARGET_S, baseline=bare,
                        scale=f"{wanted:,} members × (contribution + deposit), one submission, one entry; "
                              f"{written:,} rows written"))
    loans = _loans(ctx, group, chair, committee, treasurer, members, today)
    if loans is not None:
        from omboon.ledger import collection

        due = collection.part("loans").targets(group, [m.pk for m in members], today)
        parts = []
        for m, a in zip(members, accounts):
            loan_targets = {t.ref: t.due for t in due.get(m.pk, []) if t.due}
            parts.append({"member": m.pk, "amount": 31_00,
                          "parts": {"savings": {str(a.pk): 100_00}, "loans": loan_targets}})
        with_loan = sum(1 for p in parts if p["parts"]["loans"])
        ctx.step(f"วันเก็บเงิน สมทบ + ฝาก + ชำระเงินกู้ {wanted:,} คน / with loan repayments")
        seconds, written = _post(group, treasurer, today, parts)
        bare = _bare(written)
        rows.append(ctx.row(f"loans.collection_day_{MEMBERS}", seconds, "s", target=LOANS_TARGET_S, baseline=bare,
                            scale=f"{wanted:,} members × (contribution + deposit + repayment: {with_loan:,} "
                                  f"loans due), one submission, one entry; {written:,} rows written"))
    return rows


def _members(group, today, wanted):
    from omboon.contributions import selectors

    members = list(selectors.collect_members(group, as_of=today - dt.timedelta(days=100)))[:wanted]
    assert len(members) == wanted, f"only {len(members)} members joined 100 days ago"
    return members


def _accounts(group, chair, members, today):
    from omboon.savings import services

    start = min(m.join_date for m in members)
    product = services.product_create(actor=chair, organisation=group, code="SAJ", kind="compulsory",
                                      name_th="เงินสัจจะ", effective_from=start, monthly_amount=100_00)
    return [services.account_open(actor=chair, organisation=group, member=m, product=product,
                                  opened_on=m.join_date) for m in members]


def _loans(ctx, group, chair, committee, treasurer, members, today):
    """A running loan for every member (12 monthly instalments, the first three due by now), or
    None while loans have no collection-day part."""
    from omboon.ledger import collection

    if collection.part("loans") is None:
        return None
    from decimal import Decimal

    from omboon.ledger.services import Line, entry_post
    from omboon.loans import services
    from omboon.loans.schedule import Terms

    ctx.step(f"เงินกู้ {len(members):,} สัญญา / {len(members):,} running loans")
    start = today - dt.timedelta(days=100)
    principal = 12_000_00
    entry_post(actor=None, organisation=group, date=start, doc_type="receipt", memo="ทุนกองทุน / the fund's capital",
               lines=[Line(account="1100", debit=principal * len(members)),
                      Line(account="4400", credit=principal * len(members))])
    product = services.product_create(
        actor=chair, organisation=group, code="L1", name_th="เงินกู้เพื่อการผลิต", effective_from=start,
        terms=Terms(method="declining", rate=Decimal(12), per="year", every="month", term=12, rounding=500),
        max_amount=50_000_00)
    loans = []
    for m in members:
        loan = services.loan_apply(actor=treasurer, organisation=group, member=m, product=product,
                                   principal=principal, purpose="ทำนา", applied_on=start)
        services.loan_approve(actor=committee, loan=loan)
        loans.append(services.loan_disburse(actor=treasurer, loan=loan, date=start))
    return loans


def _post(group, treasurer, day, rows) -> tuple[float, int]:
    from omboon.contributions import services
    from omboon.contributions.models import Receipt, ReceiptItem, ReceiptPart
    from omboon.ledger.models import JournalLine

    t0 = time.perf_counter()
    posted = services.collection_day_post(actor=treasurer, organisation=group, date=day, rows=rows)
    seconds = time.perf_counter() - t0
    receipts = Receipt.objects.filter(collection_day=posted)
    assert receipts.count() == len(rows)
    entry = receipts.first().entry
    written = (JournalLine.objects.filter(entry=entry).count() + len(rows)
               + ReceiptItem.objects.filter(receipt__collection_day=posted).count()
               + ReceiptPart.objects.filter(receipt__collection_day=posted).count())
    return seconds, written


def _bare(count: int) -> float:
    from django.db import connection, transaction

    from omboon.core.bulk import insert_rows

    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE bench_bare_rows (a bigint, b bigint, c varchar(64), d bigint)")
    t0 = time.perf_counter()
    with transaction.atomic():
        insert_rows("bench_bare_rows", ["a", "b", "c", "d"],
                    [(i, i % 3000, f"RC2569/{i:05d}", 100_00) for i in range(count)])
    seconds = time.perf_counter() - t0
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_bare_rows")
    return seconds
