"""Report benchmarks: the group status report and the dashboard of one group with 3,000
members and five years of books.

Data: the demo's members (``omboon.demo.generator``, one group, 3,000 members, 5 years), then
one receipt entry per member per month (one-baht-a-day savings, the yearly contribution each
January, the entry fee on joining) and benefit payments, inserted in bulk straight into the
journal tables (posting 180,000 entries one by one through the service would take most of an
hour and measures the posting service, not the reports); every month but the current one is
then closed through ``period_close``, as a group that closes its months would have it.

Rows:
- ``reports.group_status_html``: the report page (GET, logged in), median ms; target 300.
- ``reports.group_status_pdf``: build and render the PDF, median s; target 3.
- ``reports.dashboard``: the dashboard page (GET), median ms; target 300.
Baseline of each: a bare SQL aggregate over the same rows in the same run (the group's journal
lines summed by account, and its members counted).
"""

from __future__ import annotations

import datetime as dt
import random
import time

from bench.runner import median

GROUP_STATUS_HTML_MS = 300.0
GROUP_STATUS_PDF_S = 3.0
DASHBOARD_MS = 300.0


def run(ctx) -> list[dict]:
    members = 300 if ctx.quick else 3000
    years = 5
    group = build_data(ctx, members, years)
    scale = f"1 group × {members:,} members × {years} years"
    lines = _line_count(group)
    ctx.note(f"{lines:,} journal lines")
    scale_lines = f"{scale} ({lines:,} journal lines)"
    baseline_ms = bare_aggregate_ms(group)
    client = _client(group)
    runs = 5 if ctx.quick else 15

    html_ms = _median_ms(lambda: _get(client, f"/o/{group.code}/reports/group-status/"), runs)
    dash_ms = _median_ms(lambda: _get(client, f"/o/{group.code}/dashboard/"), runs)

    from omboon.core import reporting
    from omboon.reports import render

    report = reporting.get("group-status")

    def pdf():
        result = report.build(organisation=group, start=None, end=None)
        data = render.to_pdf(result)
        assert data.startswith(b"%PDF")

    pdf()  # fonts patched and loaded once, as a running server has them
    pdf_s = _median_ms(pdf, 3) / 1000
    return [
        ctx.row("reports.group_status_html", html_ms, "ms", target=GROUP_STATUS_HTML_MS, baseline=baseline_ms,
                scale=scale_lines),
        ctx.row("reports.group_status_pdf", pdf_s, "s", target=GROUP_STATUS_PDF_S, baseline=baseline_ms / 1000,
                scale=scale_lines),
        ctx.row("reports.dashboard", dash_ms, "ms", target=DASHBOARD_MS, baseline=baseline_ms, scale=scale_lines),
    ]


def _median_ms(fn, runs: int) -> float:
    fn()  # warm
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return median(times)


def _client(group):
    from django.test import Client

    from omboon.orgs.models import Role
    from omboon.testing.factories import make_user

    user = make_user(group, Role.TREASURER, username="bench-treasurer")
    client = Client()
    client.force_login(user)
    return client


def _get(client, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {response.status_code}")


def _line_count(group) -> int:
    from omboon.ledger.models import JournalLine

    return JournalLine.objects.filter(organisation=group).count()


def bare_aggregate_ms(group) -> float:
    """The same rows summed bare: journal lines by account, members counted (median ms)."""
    from django.db import connection

    def query():
        with connection.cursor() as cur:
            cur.execute("SELECT account_id, SUM(debit), SUM(credit) FROM ledger_journalline "
                        "WHERE organisation_id = %s GROUP BY account_id", [group.pk])
            cur.fetchall()
            cur.execute("SELECT status, COUNT(*) FROM members_member WHERE organisation_id = %s "
                        "GROUP BY status", [group.pk])
            cur.fetchall()

    return _median_ms(query, 7)


# --- data ------------------------------------------------------------------------------------

def build_data(ctx, members: int, years: int):
    from django.db import transaction

    from omboon.demo import generator
    from omboon.ledger import chart, services
    from omboon.ledger.models import Account, DocumentType, Fund, JournalEntry, JournalLine
    from omboon.members.models import Member

    end = dt.date.today()
    t0 = time.perf_counter()
    result = generator.build(seed=1, groups=1, members=members, years=years, end=end, vary_sizes=False,
                             populate=False, log=ctx.log)
    group = result.groups[0]
    ctx.log(f"members: {time.perf_counter() - t0:.1f} s")

    accounts = {a.code: a for a in Account.objects.filter(organisation=group)}
    fund = Fund.objects.get(organisation=group, is_default=True)
    people = list(Member.objects.filter(organisation=group).values_list("pk", "join_date", "status",
                                                                        "status_date"))
    rng = random.Random(7)
    first = max(group.founded_on or end.replace(year=end.year - years), end.replace(year=end.year - years))
    months = []
    y, m = first.year, first.month
    while (y, m) <= (end.year, end.month):
        months.append((y, m))
        y, m = chart.next_month(y, m)
    fy = group.fiscal_year_start_month
    numbers: dict[tuple[str, int], int] = {}
    now = dt.datetime.now(dt.UTC)

    def entry(day, doc_type, total, memo):
        key = (doc_type, chart.fiscal_year_of(fy, day))
        numbers[key] = numbers.get(key, 0) + 1
        return JournalEntry(organisation=group, date=day, doc_type=doc_type, number=numbers[key],
                            fiscal_year=key[1], memo=memo, total=total, posted_at=now)

    t0 = time.perf_counter()
    benefit_codes = [("5120", 300_00, 60), ("5130", 8_000_00, 18), ("5110", 500_00, 4), ("5150", 2_000_00, 2),
                     ("5140", 500_00, 1)]
    with transaction.atomic():
        for y, m in months:
            day = dt.date(y, m, 5)
            entries, legs = [], []
            for pk, joined, status, status_date in people:
                if joined > day or (status in ("resigned", "deceased", "expelled") and status_date
                                    and status_date <= day):
                    continue
                credits = [("4300", 30_00)]
                if m == 1:
                    credits.append(("4200", 50_00))
                if (joined.year, joined.month) == (y, m):
                    credits.append(("4100", 50_00))
                total = sum(a for _c, a in credits)
                entries.append(entry(day, DocumentType.RECEIPT, total, "ค่าสมทบ"))
                legs.append([(accounts["1100"], total, 0, pk)] + [(accounts[c], 0, a, pk) for c, a in credits])
            for code, amount, per_year in benefit_codes:
                for _ in range(rng.randint(0, max(1, per_year * 2 // 12))):
                    day_b = dt.date(y, m, rng.randint(6, 28))
                    if day_b > end:
                        continue
                    entries.append(entry(day_b, DocumentType.PAYMENT, amount, "สวัสดิการ"))
                    legs.append([(accounts[code], amount, 0, None), (accounts["1100"], 0, amount, None)])
            JournalEntry.objects.bulk_create(entries, batch_size=2000)
            JournalLine.objects.bulk_create([
                JournalLine(organisation=group, entry=e, date=e.date, account=a, fund=fund, member_id=member,
                            debit=d, credit=c)
                for e, legs_of in zip(entries, legs) for a, d, c, member in legs_of], batch_size=4000)
    ctx.log(f"journal: {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    for y, m in months[:-1]:
        services.period_close(actor=None, organisation=group, year=y, month=m, today=end)
    ctx.log(f"closing {len(months) - 1} months: {time.perf_counter() - t0:.1f} s")
    return group
