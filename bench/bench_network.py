"""Network benchmarks at province scale: the demo generator's bulk mode grows the Lampang
network 20 → 50 → 100 → 200 groups of 3,000 members with 5 years of monthly payments (the
issue's "200 groups, 600,000 members" on PostgreSQL: ``omboon bench network --postgres``),
and at each step measures

* ``build``: adding the new groups (``omboon.demo.scale.build``: members, receipts through
  ``contributions.bulk.payments_post_bulk``, benefits through ``ledger.bulk``; on PostgreSQL
  two groups at once, ``OMBOON_BENCH_WORKERS`` to change it);
* ``recompute_facts``: the full recompute of every group's monthly facts from raw rows
  (``network.services.facts_recompute_many``) — the monthly facts the report reads come
  from it, not from month closes; baseline: one bare GROUP BY of all journal lines by group,
  month and account;
* ``province_report``: the consolidated province report (``network-status`` at the province
  network, the last 12 months) from monthly facts, median of 5, target ≤ 1 s; baseline: the
  bare SUM over the same facts.

The report's totals are checked at every step against independent SQL over the raw rows
(receipt items, journal lines by standard account code, members); a difference fails the run.

``--quick``: 2 → 4 groups of 40 members over 2 years (SQLite or PostgreSQL), a fast check.
A full run that cannot finish every step by ``OMBOON_BENCH_UNTIL`` (UTC, ``HH:MM``) stops
before the step that would overrun and says so in a note.

The sync of a standalone group is ``bench_sync.py``.
"""

from __future__ import annotations

import datetime as dt
import os
import time

from bench.runner import median

REPORT_TARGET_S = 1.0
SEED = 1
END = dt.date(2025, 12, 31)
FULL = {"steps": (20, 50, 100, 200), "members": 3000, "years": 5}
QUICK = {"steps": (2, 4), "members": 40, "years": 2}
FIRST_GROUP_GUESS_S = 25.0  # seconds per 3,000-member group before one is measured
PG_WORKERS = 2  # groups filled at once on PostgreSQL (OMBOON_BENCH_WORKERS)


def run(ctx) -> list[dict]:
    shape = QUICK if ctx.quick else FULL
    until = _until()
    rows = []
    per_group = per_group_recompute = None
    built = 0
    for groups in shape["steps"]:
        if until is not None and built:
            build_guess = (groups - built) * (per_group or FIRST_GROUP_GUESS_S)
            recompute_guess = groups * (per_group_recompute or 2.0)
            left = (until - dt.datetime.now(dt.UTC)).total_seconds()
            if build_guess + recompute_guess + 60 > left:
                ctx.note(f"stopped at {built} groups: {groups} groups would need about "
                         f"{(build_guess + recompute_guess) / 60:.0f} min more, {max(left, 0) / 60:.0f} min left "
                         f"before {until:%H:%M} UTC")
                break
        ctx.step(f"สร้าง {groups} กลุ่ม / build {groups} groups")
        step = build(ctx, groups, shape)
        per_group = step["wall"] / max(1, step["added"])
        rows.append(ctx.row(f"network.build_{groups}_groups", step["wall"], "s",
                            scale=f"+{step['added']} groups ({per_group:.1f} s a group, {step['workers']} at once, "
                                  f"Python CPU "
                                  f"{step['cpu']:.1f} s): {step['members']:,} members, "
                                  f"{step['receipts']:,} receipts in all"))
        ctx.step(f"วัดที่ {groups} กลุ่ม / measure at {groups} groups")
        measured = measure(ctx, groups, shape)
        per_group_recompute = measured["recompute_s"] / groups
        rows += measured["rows"]
        built = groups
    return rows


def _until() -> dt.datetime | None:
    value = os.environ.get("OMBOON_BENCH_UNTIL")
    if not value:
        return None
    hours, minutes = (int(x) for x in value.split(":"))
    now = dt.datetime.now(dt.UTC)
    until = now.replace(hour=hours, minute=minutes, second=0, microsecond=0)
    return until if until > now else until + dt.timedelta(days=1)


# --- the build --------------------------------------------------------------------------------

def _cpu() -> float:
    """CPU seconds of this process and of its finished workers (not the database server's)."""
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def build(ctx, groups: int, shape: dict) -> dict:
    from omboon.contributions.models import Receipt
    from omboon.demo import scale
    from omboon.members.models import Member

    workers = int(os.environ.get("OMBOON_BENCH_WORKERS") or (PG_WORKERS if ctx.vendor == "postgresql" else 1))
    t0, c0 = time.perf_counter(), _cpu()
    result = scale.build(seed=SEED, groups=groups, members=shape["members"], years=shape["years"], end=END,
                         vary_sizes=False, workers=workers, log=ctx.log)
    wall, cpu = time.perf_counter() - t0, _cpu() - c0
    members, receipts = Member.objects.count(), Receipt.objects.count()
    ctx.log(f"{groups} groups: +{len(result.added)} in {wall:.1f} s (CPU here {cpu:.1f} s); "
            f"{members:,} members, {receipts:,} receipts")
    return {"wall": wall, "cpu": cpu, "added": len(result.added), "members": members, "receipts": receipts,
            "workers": workers}


# --- the measurements ---------------------------------------------------------------------------

def measure(ctx, groups: int, shape: dict) -> dict:
    from django.db import connection

    from omboon.demo import scale
    from omboon.ledger.models import JournalLine
    from omboon.network import reports, services
    from omboon.network.models import MonthlyFact, ym_of
    from omboon.orgs.models import Organisation

    province = Organisation.objects.get(code="LP")
    group_list = scale.scale_groups(SEED, groups)
    last = ym_of(END.year, END.month)
    lines = JournalLine.objects.count()

    t0, c0 = time.perf_counter(), time.process_time()
    services.facts_recompute_many(actor=None, organisations=group_list, through=last)
    recompute, recompute_cpu = time.perf_counter() - t0, time.process_time() - c0
    facts = MonthlyFact.objects.count()
    bare_recompute = _timed(lambda: _bare_line_aggregate(connection))

    start = dt.date(END.year, 1, 1)
    report = reports.NetworkStatusReport()
    times, cpus = [], []
    for _ in range(5):
        t0, c0 = time.perf_counter(), time.process_time()
        result = report.build(organisation=province, start=start, end=END)
        times.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    bare_report = median([_timed(lambda: _bare_fact_sum(connection, ym_of(start.year, start.month), last))
                          for _ in range(5)])
    check(ctx, result, group_list, start, END)

    scale_text = f"{groups} groups × ~{shape['members']:,} members × {shape['years']} years ({lines:,} journal lines)"
    ctx.log(f"{groups} groups: recompute {recompute:.1f} s ({facts:,} facts), report {median(times):.3f} s")
    return {"recompute_s": recompute, "rows": [
        ctx.row(f"network.province_report_{groups}_groups", median(times), "s", target=REPORT_TARGET_S,
                baseline=bare_report,
                scale=f"{scale_text}; {facts:,} monthly facts; CPU here {median(cpus):.3f} s"),
        ctx.row(f"network.recompute_facts_{groups}_groups", recompute, "s", baseline=bare_recompute,
                scale=f"{scale_text}; {recompute / groups:.2f} s a group, CPU here {recompute_cpu:.1f} s"),
    ]}


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _bare_line_aggregate(connection) -> None:
    """The bare core of a recompute: every journal line summed by group, month and account."""
    month = ("date_trunc('month', date)" if connection.vendor == "postgresql" else "strftime('%Y-%m', date)")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT organisation_id, {month}, account_id, SUM(debit), SUM(credit) "
                       f"FROM ledger_journalline GROUP BY 1, 2, 3")
        cursor.fetchall()


def _bare_fact_sum(connection, first: int, last: int) -> None:
    """The bare core of the report: the facts of the months summed by kind and key."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT kind, key, SUM(count), SUM(amount) FROM network_monthlyfact "
                       "WHERE ym BETWEEN %s AND %s GROUP BY kind, key", [first, last])
        cursor.fetchall()


# --- the check ------------------------------------------------------------------------------------

def check(ctx, result, group_list, start: dt.date, end: dt.date) -> None:
    """The report's totals against independent SQL over the raw rows of the same groups."""
    from django.db.models import Count, Q, Sum

    from omboon.contributions.models import Receipt, ReceiptItem
    from omboon.ledger import chart
    from omboon.ledger.models import DocumentType, JournalLine
    from omboon.members.models import Member

    ids = [g.pk for g in group_list]
    total = {c.key: sum(r[c.key] for r in result.tables[0].rows) for c in result.tables[0].columns
             if c.key not in ("code", "name")}
    lines = JournalLine.objects.filter(organisation_id__in=ids).exclude(entry__doc_type=DocumentType.CLOSING)
    in_range = lines.filter(date__gte=start, date__lte=end)
    income_codes = [chart.ENTRY_FEES, chart.YEARLY_CONTRIBUTIONS, chart.DAILY_SAVINGS, chart.STATE_MATCHING,
                    chart.LOCAL_MATCHING, chart.DONATIONS]
    income = in_range.filter(account__standard_code__in=income_codes).aggregate(c=Sum("credit"), d=Sum("debit"))
    receipts_in_range = Receipt.objects.filter(organisation_id__in=ids, date__gte=start, date__lte=end,
                                               status=Receipt.Status.ISSUED)
    items = ReceiptItem.objects.filter(receipt__in=receipts_in_range).aggregate(s=Sum("amount"), n=Count("pk"))
    benefit_codes = [chart.BENEFITS_PAID, *chart.BENEFIT_ACCOUNTS.values()]
    benefits = in_range.filter(account__standard_code__in=benefit_codes).aggregate(c=Sum("credit"), d=Sum("debit"))
    assets = lines.filter(date__lte=end).filter(Q(account__standard_code__startswith="1")
                                                | Q(account__standard_code__startswith="2")
                                                ).aggregate(c=Sum("credit"), d=Sum("debit"))
    active = Member.objects.filter(organisation_id__in=ids, status=Member.Status.ACTIVE, join_date__lte=end).count()
    expected = {
        "groups": len(ids),
        "receipts": (income["c"] or 0) - (income["d"] or 0),
        "benefits": (benefits["d"] or 0) - (benefits["c"] or 0),
        "fund": (assets["d"] or 0) - (assets["c"] or 0),
        "active": active,
    }
    wrong = {k: (total[k], v) for k, v in expected.items() if total[k] != v}
    if (items["s"] or 0) != expected["receipts"]:
        wrong["receipt_items"] = (items["s"], expected["receipts"])
    counted = sum(r["count"] for r in result.tables[1].rows)
    if counted != items["n"]:
        wrong["receipt_item_count"] = (counted, items["n"])
    if wrong:
        raise AssertionError(f"the province report differs from the raw rows (report, SQL): {wrong}")
    ctx.log(f"checked: report = raw rows for {len(ids)} groups ({items['n']:,} receipt items, "
            f"receipts {expected['receipts']:,}, "
            f"benefits {expected['benefits']:,}, fund {expected['fund']:,} satang, {active:,} active members)")
