"""The loan-aging report at a real group's size (issue 17): ``loans.aging_report_3000``, the
report ``loan-aging`` built for one group of 3,000 members each with a running loan. Target
300 ms.

The loans, drawn once with a fixed seed: 5,000–50,000 baht, 12, 18 or 24 monthly instalments
(declining balance, 12% a year, rounded to 5 baht), disbursed over the last two years (after the borrower joined), each
borrower paying on time, stopping some months ago (so every aging bucket fills), never paying,
or paying part of what fell due — one repayment each. The setup (members, loans, repayments,
through the loans' services) is outside the clock; the report is built 5 times, the median kept.

``loans.allowance_month_end_3000``: the month-end adjusting entry of the allowance for doubtful
loans over the same loans (the bylaws set 1, 5, 20, 50, 100, 100 % by aging bucket): the
standings, 1320 in the books and the entry posted — each run in a transaction rolled back, so
each posts the whole allowance; target 300 ms, as the report it shares its reads with.

Baseline (same run): the rows the report needs, read bare — the group's running loans (id,
principal, dates, terms) and the principal and interest repaid per loan, in two plain SQL
queries and fetched — so the ratio says what the schedules, the arrears and the books' check
cost beyond reading the rows.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from bench.common import bench_users, demo_group
from bench.runner import median

MEMBERS = 3000
TARGET_S = 0.3
REPEATS = 5


def run(ctx) -> list[dict]:
    from omboon.core import reporting
    from omboon.orgs.models import Role

    wanted = 600 if ctx.quick else MEMBERS
    today = dt.date.today()
    group = demo_group(ctx, wanted, today=today)
    treasurer, committee, chair = bench_users(group, Role.TREASURER, Role.COMMITTEE, Role.CHAIR)
    ctx.step(f"เงินกู้ {wanted:,} สัญญา และการชำระ / {wanted:,} loans and their repayments")
    _loans(group, chair, committee, treasurer, _members(group, today, wanted), today)

    report = reporting.get("loan-aging")
    ctx.step("รายงานอายุหนี้ / the loan-aging report")
    timings, bare = [], []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        result = report.build(organisation=group, start=None, end=today, lang="th")
        timings.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        _bare(group)
        bare.append(time.perf_counter() - t0)
    buckets, quality = result.tables
    difference = quality.rows[-1]["amount"]
    assert difference == 0, f"the aging differs from 1300 by {difference}"
    filled = sum(1 for r in buckets.rows if r["loans"])
    rows = [ctx.row(f"loans.aging_report_{MEMBERS}", median(timings), "s", target=TARGET_S, baseline=median(bare),
                    scale=f"{wanted:,} members, {buckets.totals()['loans']:,} running loans in {filled} aging rows; "
                          f"median of {REPEATS} builds")]
    ctx.step("ค่าเผื่อหนี้สงสัยจะสูญสิ้นเดือน / the allowance for doubtful loans at month-end")
    rows.append(_allowance(ctx, group, chair, today, median(bare)))
    return rows


def _allowance(ctx, group, chair, today, bare):
    from django.db import transaction

    from omboon.loans import allowance
    from omboon.orgs import services as org_services

    org_services.bylaws_set(actor=None, organisation=group, effective_from=today - dt.timedelta(days=800),
                            settings={"loan_allowance": [1, 5, 20, 50, 100, 100]})
    timings, posted = [], 0
    last = today.replace(day=1) - dt.timedelta(days=1)  # the month-end just past
    for _ in range(REPEATS):
        with transaction.atomic():
            t0 = time.perf_counter()
            entry = allowance.month_end_adjust(actor=chair, organisation=group, year=last.year, month=last.month)
            timings.append(time.perf_counter() - t0)
            posted = entry.total
            transaction.set_rollback(True)
    assert posted > 0, "the allowance posted nothing"
    return ctx.row(f"loans.allowance_month_end_{MEMBERS}", median(timings), "s", target=TARGET_S, baseline=bare,
                   scale=f"the adjusting entry of {posted / 100:,.2f} baht over the same loans; median of {REPEATS}, "
                         "each rolled back")


def _members(group, today, wanted):
    from omboon.members.models import Member

    members = list(Member.objects.filter(organisation=group, status=Member.Status.ACTIVE,
                                         join_date__lte=today - dt.timedelta(days=100)).order_by("number"))
    members = members[:wanted]
    assert len(members) == wanted, f"only {len(members)} members joined 100 days ago"
    return members


def _loans(group, chair, committee, treasurer, members, today):
    from decimal import Decimal

    from omboon.ledger.services import Line, entry_post
    from omboon.loans import selectors, services
    from omboon.loans.schedule import Terms

    rng = random.Random(17)
    start = today - dt.timedelta(days=760)
    entry_post(actor=None, organisation=group, date=start, doc_type="receipt", memo="ทุนกองทุน / the fund's capital",
               lines=[Line(account="1100", debit=50_000_00 * len(members)),
                      Line(account="4400", credit=50_000_00 * len(members))])
    products = {}
    for term in (12, 18, 24):
        products[term] = services.product_create(
            actor=chair, organisation=group, code=f"L{term}", name_th=f"เงินกู้ {term} งวด", effective_from=start,
            terms=Terms(method="declining", rate=Decimal(12), per="year", every="month", term=term, rounding=500),
            max_amount=50_000_00)
    for i, m in enumerate(members):
        on = today - dt.timedelta(days=rng.randint(20, min(740, (today - m.join_date).days)))
        loan = services.loan_apply(actor=treasurer, organisation=group, member=m, product=products[rng.choice(
            (12, 18, 24))], principal=rng.randint(10, 100) * 500_00, purpose="ทำนา", applied_on=on)
        services.loan_approve(actor=committee, loan=loan)
        loan = services.loan_disburse(actor=treasurer, loan=loan, date=on)
        due = [x for x in selectors.schedule_of(loan) if x.due <= today]
        habit = i % 4
        if habit == 0 and due:  # on time: everything due by today, on the last due date
            paid, day = sum(x.total for x in due), due[-1].due
        elif habit == 1 and len(due) > 1:  # stopped: paid up to some months ago
            k = rng.randint(0, len(due) - 1)
            paid, day = sum(x.total for x in due[:k + 1]), due[k].due
        elif habit == 3 and due:  # part of what fell due
            paid, day = sum(x.total for x in due) // 2, due[-1].due
        else:  # never paid
            paid, day = 0, None
        if paid:
            services.loan_repay(actor=treasurer, loan=loan, amount=paid, date=day)



def _bare(group) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id, principal, disbursed_on, first_due, terms FROM loans_loan "
                       "WHERE organisation_id = %s AND status IN ('disbursed', 'closed')", [group.pk])
        cursor.fetchall()
        cursor.execute("SELECT loan_id, SUM(principal), SUM(interest) FROM loans_repayment "
                       "WHERE organisation_id = %s AND reversal_id IS NULL GROUP BY loan_id", [group.pk])
        cursor.fetchall()
