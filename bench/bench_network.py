"""Network benchmarks: the consolidated province report from monthly facts and a full recompute
of monthly facts from raw rows. (The sync of a standalone group is ``bench_sync.py``.)

Province scale (200 groups, 600,000 members, 40 million payment rows on PostgreSQL) does not
fit this runner's time box or its throwaway SQLite database. Instead the same work is measured
at 20 and at 200 groups with the members and months per group held constant (reduced), so the
rows show how each grows with the number of groups.

Rows are inserted in bulk (not through the services: that is the demo benchmark's subject).
"""

from __future__ import annotations

import datetime as dt
import time

from bench.runner import median

REPORT_TARGET_S = 1.0


def run(ctx) -> list[dict]:
    sizes = (20, 60) if ctx.quick else (20, 200)
    members, months = (20, 12) if ctx.quick else (60, 24)
    rows = []
    built = 0
    for groups in sizes:
        built = build_groups(ctx, groups - built, members, months, start_index=built)
        rows += measure(ctx, groups, members, months)
    return rows


# --- raw rows in bulk -------------------------------------------------------------------------

def _network():
    from omboon.orgs.models import Organisation
    from omboon.testing.factories import make_network

    province = Organisation.objects.filter(code="BP").first() or make_network("BP", "เครือข่ายจังหวัดทดสอบ")
    return province


def build_groups(ctx, count: int, members: int, months: int, *, start_index: int) -> int:
    """``count`` more groups, each with ``members`` members paying one-baht-a-day savings every
    month for ``months`` months (an entry of two lines each), and a death benefit a month."""
    from omboon.core import national_id
    from omboon.ledger.models import Account, Fund, JournalEntry, JournalLine
    from omboon.members.models import Member
    from omboon.testing.factories import make_group, make_network

    province = _network()
    t0 = time.perf_counter()
    first = dt.date(2023, 1, 1)
    for i in range(start_index, start_index + count):
        zone_code = f"BP-{i // 10:02d}"
        from omboon.orgs.models import Organisation

        zone = Organisation.objects.filter(code=zone_code).first() or make_network(zone_code, f"โซน {i // 10}",
                                                                                   parent=province)
        group = make_group(f"BG{i:04d}", f"กลุ่ม {i}", parent=zone, district_code="5208",
                           subdistrict_code=f"5208{1 + i % 6:02d}")
        people = Member.objects.bulk_create([
            Member(organisation=group, number=f"{k:05d}", first_name=f"ก{k}", last_name="ข", sex="MF"[k % 2],
                   national_id=national_id.with_check_digit(f"1{i:04d}{k:07d}"), birth_date=dt.date(1950 + k % 50, 1, 1),
                   join_date=first) for k in range(members)])
        accounts = dict(Account.objects.filter(organisation=group).values_list("code", "pk"))
        fund = Fund.objects.get(organisation=group, is_default=True).pk
        entries, lines = [], []
        number = 0
        for m in range(months):
            day = dt.date(2023 + m // 12, 1 + m % 12, 10)
            for person in people:
                number += 1
                entries.append(JournalEntry(organisation=group, date=day, doc_type="receipt", number=number,
                                            fiscal_year=day.year, total=3_000, posted_at=dt.datetime(2025, 1, 1,
                                            tzinfo=dt.timezone.utc)))
            number += 1
            entries.append(JournalEntry(organisation=group, date=day, doc_type="payment", number=number,
                                        fiscal_year=day.year, total=500_000,
                                        posted_at=dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)))
        created = JournalEntry.objects.bulk_create(entries, batch_size=2000)
        for entry in created:
            if entry.doc_type == "receipt":
                lines += [JournalLine(organisation=group, entry=entry, date=entry.date, account_id=accounts["1100"],
                                      fund_id=fund, debit=3_000),
                          JournalLine(organisation=group, entry=entry, date=entry.date, account_id=accounts["4300"],
                                      fund_id=fund, credit=3_000)]
            else:
                lines += [JournalLine(organisation=group, entry=entry, date=entry.date, account_id=accounts["5130"],
                                      fund_id=fund, debit=500_000),
                          JournalLine(organisation=group, entry=entry, date=entry.date, account_id=accounts["1100"],
                                      fund_id=fund, credit=500_000)]
        JournalLine.objects.bulk_create(lines, batch_size=5000)
    ctx.log(f"built {count} groups × {members} members × {months} months in {time.perf_counter() - t0:.1f} s")
    return start_index + count


def measure(ctx, groups: int, members: int, months: int) -> list[dict]:
    from omboon.network import reports, selectors, services
    from omboon.network.models import MonthlyFact, ym_of
    from omboon.orgs import selectors as org_selectors

    province = _network()
    last = ym_of(2023 + (months - 1) // 12, 1 + (months - 1) % 12)
    scale = f"{groups} groups × {members} members × {months} months ({groups * members * months:,} receipts)"
    t0 = time.perf_counter()
    services.facts_recompute_many(actor=None, organisations=list(org_selectors.groups_below(province)), through=last)
    recompute = time.perf_counter() - t0
    facts = MonthlyFact.objects.count()
    report = reports.NetworkStatusReport()
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        result = report.build(organisation=province, start=dt.date(2023, 1, 1), end=selectors.month_end(last))
        times.append(time.perf_counter() - t0)
    assert result.tables[0].rows
    ctx.log(f"{groups} groups: recompute {recompute:.1f} s ({facts:,} facts), report {median(times):.3f} s")
    return [
        ctx.row(f"network.province_report_{groups}_groups", median(times), "s", target=REPORT_TARGET_S,
                scale=f"{scale}; {facts:,} monthly facts"),
        ctx.row(f"network.recompute_facts_{groups}_groups", recompute, "s", scale=scale),
    ]
