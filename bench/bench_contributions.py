"""Contributions benchmarks (issue 4), each with a bare baseline measured in the same run.

1. A collection day of 500 members in one submission (``collection_day_post``: 500 receipts,
   one balanced entry, one transaction). Target 2 s. Baseline: a bare ``executemany`` of the
   same 500 receipt rows and their 1,000 ledger lines into scratch SQLite tables.
2. Member search over 10,000 members (``members.selectors.member_list``, the first page of 50
   as the member list shows it), the median of name, number, village and ID searches. Target
   100 ms. Baseline: the same LIKE searches on a bare SQLite table of the same 10,000 rows.
3. A passbook PDF of a member with five years of monthly payments (``contributions.pdf``).
   Target 2 s. Baseline: WeasyPrint rendering a one-line page in the same font.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time

from bench.runner import median

COLLECTION_TARGET_S = 2.0
SEARCH_TARGET_MS = 100.0
PASSBOOK_TARGET_S = 2.0
SEARCHES = ["สม", "ใจ", "0123", "หมู่ 3", "บุญ มา", "4567"]


def run(ctx) -> list[dict]:
    from omboon.demo import generator
    from omboon.members.models import Member
    from omboon.orgs.models import Organisation

    members = 2000 if ctx.quick else 10000
    end = dt.date.today()
    ctx.log(f"setting up one group of {members:,} members")
    generator.build(seed=1, groups=1, members=members, years=5, end=end, vary_sizes=False, populate=False)
    group = Organisation.objects.get(kind=Organisation.Kind.GROUP)
    assert Member.objects.filter(organisation=group).count() == members
    rows = bench_collection_day(ctx, group, end)
    rows += bench_search(ctx, group, members)
    rows += bench_passbook(ctx, group, end)
    return rows


# --- 1. collection day -------------------------------------------------------------------------

def bench_collection_day(ctx, group, day) -> list[dict]:
    from omboon.contributions import selectors, services

    paying = [mc for mc in selectors.due_list(group, as_of=day) if mc.member.join_date <= day][:500]
    rows = [{"member": mc.member.pk, "amount": mc.due_now or 3100} for mc in paying]
    ctx.log(f"collection day: {len(rows)} members in one submission")
    t0 = time.perf_counter()
    result = services.collection_day_post(actor=None, organisation=group, date=day, rows=rows)
    elapsed = time.perf_counter() - t0
    assert result.count == len(rows)
    baseline = _bare_collection(ctx, rows)
    return [ctx.row("contributions.collection_day_500", elapsed, "s", target=COLLECTION_TARGET_S,
                    baseline=baseline, scale=f"{len(rows)} receipts, one submission")]


def _bare_collection(ctx, rows) -> float:
    db = sqlite3.connect(ctx.tmp / "baseline_collection.sqlite3")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("CREATE TABLE receipt (id INTEGER PRIMARY KEY, number INTEGER, member INTEGER, total INTEGER)")
    db.execute("CREATE TABLE line (id INTEGER PRIMARY KEY, receipt INTEGER, account TEXT, member INTEGER, "
               "debit INTEGER, credit INTEGER)")
    t0 = time.perf_counter()
    db.execute("BEGIN IMMEDIATE")
    db.executemany("INSERT INTO receipt (number, member, total) VALUES (?, ?, ?)",
                   [(i, r["member"], r["amount"]) for i, r in enumerate(rows, 1)])
    lines = []
    for i, r in enumerate(rows, 1):
        lines += [(i, "1100", r["member"], r["amount"], 0), (i, "4300", r["member"], 0, r["amount"])]
    db.executemany("INSERT INTO line (receipt, account, member, debit, credit) VALUES (?, ?, ?, ?, ?)", lines)
    db.commit()
    elapsed = time.perf_counter() - t0
    db.close()
    return elapsed


# --- 2. member search --------------------------------------------------------------------------

def bench_search(ctx, group, members: int) -> list[dict]:
    from omboon.members import selectors as member_selectors
    from omboon.members.models import Member

    ctx.log(f"member search over {members:,} members")
    times = []
    for _ in range(3):
        for query in SEARCHES:
            t0 = time.perf_counter()
            qs = member_selectors.member_list(organisation=group, query=query)
            page = list(qs[:50])
            qs.count()  # the list shows how many were found
            times.append((time.perf_counter() - t0) * 1000)
            assert isinstance(page, list)
    baseline = _bare_search(ctx, list(Member.objects.filter(organisation=group).values_list(
        "number", "first_name", "last_name", "moo", "national_id")))
    return [ctx.row("contributions.member_search", median(times), "ms", target=SEARCH_TARGET_MS,
                    baseline=baseline, scale=f"{members:,} members, first page of 50 and the count")]


def _bare_search(ctx, rows) -> float:
    db = sqlite3.connect(ctx.tmp / "baseline_search.sqlite3")
    db.execute("CREATE TABLE member (number TEXT, first_name TEXT, last_name TEXT, moo INTEGER, nid TEXT)")
    db.executemany("INSERT INTO member VALUES (?, ?, ?, ?, ?)", rows)
    db.commit()
    times = []
    for _ in range(3):
        for query in SEARCHES:
            term = f"%{query.split()[-1]}%"
            t0 = time.perf_counter()
            db.execute("SELECT * FROM member WHERE first_name LIKE ? OR last_name LIKE ? OR number = ? "
                       "ORDER BY number LIMIT 50", (term, term, query)).fetchall()
            db.execute("SELECT COUNT(*) FROM member WHERE first_name LIKE ? OR last_name LIKE ? OR number = ?",
                       (term, term, query)).fetchone()
            times.append((time.perf_counter() - t0) * 1000)
    db.close()
    return median(times)


# --- 3. passbook PDF ---------------------------------------------------------------------------

def bench_passbook(ctx, group, end) -> list[dict]:
    from omboon.contributions import pdf, services
    from omboon.contributions.models import Kind
    from omboon.members.models import Member

    member = Member.objects.filter(organisation=group, status="active").order_by("join_date").first()
    start = max(member.join_date, end.replace(year=end.year - 5))
    day = dt.date(start.year, start.month, 5)
    if day < member.join_date:
        day = member.join_date
    n = 0
    while day <= end:
        services.receipt_issue(actor=None, organisation=group, member=member, date=day,
                               items=[(Kind.DAILY_SAVING, 3100)])
        n += 1
        month = day.month % 12 + 1
        day = dt.date(day.year + (day.month == 12), month, 5)
    ctx.log(f"passbook PDF: {n} payments")
    pdf.passbook_pdf(member, as_of=end)  # fonts and templates loaded once, as a running server has them
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        data = pdf.passbook_pdf(member, as_of=end)
        times.append(time.perf_counter() - t0)
        assert data.startswith(b"%PDF")
    return [ctx.row("contributions.passbook_pdf", median(times), "s", target=PASSBOOK_TARGET_S,
                    baseline=_bare_pdf(), scale=f"{n} payments")]


def _bare_pdf() -> float:
    from weasyprint import HTML

    from omboon.core.fonts import pdf_font_css

    html = (f"<html><head><style>{pdf_font_css()}</style></head><body style='font-family: Sarabun'>"
            "สมุดบัญชีสมาชิก</body></html>")
    HTML(string=html).write_pdf()
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        HTML(string=html).write_pdf()
        times.append(time.perf_counter() - t0)
    return median(times)
