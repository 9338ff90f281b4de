"""Ledger benchmarks: month-end close and the six statements for a group of 3,000 members with
five years of activity (quick: 300 members, one year), on the default (SQLite) database.

History is inserted in bulk (balanced entries, the database triggers still check each line):
every member pays one-baht-a-day savings once a month at collection day, the treasurer
deposits the cash at the bank, pays a few benefits and the administration. Every month but
the last is closed through ``period_close``; then we time

- closing the last month (a December, so it includes the year-end closing entry), target 1 s;
- each statement through the report registry, target 0.5 s;
- ``ledger.bulk_post_lines``: 180,000 lines (quick: 30,000) of historical receipts posted through
  ``ledger.bulk.entries_post_bulk`` in one transaction, shaped as the payments import shapes
  them (one entry per day and 24 payments: one cash debit, 24 credits), in µs per line.
  Baseline: a bare ``executemany`` of the same line rows into a scratch table with the same
  columns and no index or trigger.

Each against a baseline: a bare SQL aggregate over the same rows in the same run (for the
close, the month's lines grouped by account and fund; for a statement, the lines it covers
summed by account with no snapshots). ratio = ours / baseline.
"""

from __future__ import annotations

import datetime as dt
import random
import time

CLOSE_TARGET_S = 1.0
STATEMENT_TARGET_S = 0.5


def _row(name, value, unit, target, baseline, scale):
    ratio = round(value / baseline, 2) if baseline else None
    return {"name": name, "value": round(value, 4), "unit": unit, "target": target,
            "baseline": round(baseline, 4) if baseline is not None else None, "ratio": ratio, "scale": scale}


def _best(fn, repeat: int = 3) -> float:
    best = None
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best


def _month_ends(first_year: int, years: int):
    from omboon.ledger.chart import month_end

    for y in range(first_year, first_year + years):
        for m in range(1, 13):
            yield y, m, month_end(y, m)


def _build(members: int, years: int, rng: random.Random):
    """A group and its history; returns (organisation, first_year, last_year)."""
    from django.db import transaction
    from django.utils import timezone

    from omboon.ledger.models import Account, DocumentSequence, Fund, JournalEntry, JournalLine
    from omboon.orgs.models import Organisation
    from omboon.testing.factories import make_group

    code, n = "BENCH-LEDGER", 1
    while Organisation.objects.filter(code=code).exists():
        n += 1
        code = f"BENCH-LEDGER-{n}"
    last_year = dt.date.today().year - 1
    first_year = last_year - years + 1
    org = make_group(code, "กองทุนทดสอบความเร็ว", founded_on=dt.date(first_year, 1, 1))
    acc = {a.code: a.pk for a in Account.objects.filter(organisation=org)}
    fund = Fund.objects.get(organisation=org, is_default=True).pk
    reserve = Fund.objects.get(organisation=org, code="RES").pk
    now = timezone.now()
    numbers: dict[tuple[str, int], int] = {}

    def entry(date, doc_type, memo, total):
        key = (doc_type, date.year)
        numbers[key] = numbers.get(key, 0) + 1
        return JournalEntry(organisation=org, date=date, doc_type=doc_type, number=numbers[key],
                            fiscal_year=date.year, memo=memo, total=total, posted_at=now)

    for y, m, end in _month_ends(first_year, years):
        entries, legs = [], []
        collection_day = dt.date(y, m, min(end.day, 5 + rng.randint(0, 3)))
        cash_in = 0
        for _ in range(members):
            amount = rng.choice([3000, 3000, 3000, 6000, 9000])  # 30 baht a month, sometimes more
            cash_in += amount
            entries.append(entry(collection_day, "receipt", "ออมวันละบาท", amount))
            legs.append([(acc["1100"], fund, amount, 0), (acc["4300"], fund, 0, amount)])
        for _ in range(max(1, members // 100)):  # benefits: sickness visits, a death now and then
            code_, amount = rng.choice([("5120", 50000), ("5120", 30000), ("5130", 500000), ("5110", 50000)])
            day = dt.date(y, m, rng.randint(6, end.day))
            entries.append(entry(day, "payment", "จ่ายสวัสดิการ", amount))
            legs.append([(acc[code_], fund, amount, 0), (acc["1200"], fund, 0, amount)])
        admin = rng.randint(500, 2000) * 100
        entries.append(entry(end, "payment", "ค่าบริหาร", admin))
        legs.append([(acc["5200"], reserve, admin, 0), (acc["1100"], reserve, 0, admin)])
        entries.append(entry(collection_day, "journal", "นำเงินฝากธนาคาร", cash_in))
        legs.append([(acc["1200"], fund, cash_in, 0), (acc["1100"], fund, 0, cash_in)])
        with transaction.atomic():
            created = JournalEntry.objects.bulk_create(entries, batch_size=2000)
            JournalLine.objects.bulk_create(
                [JournalLine(organisation=org, entry_id=e.pk, date=e.date, account_id=a, fund_id=f, debit=d,
                             credit=c)
                 for e, entry_legs in zip(created, legs) for a, f, d, c in entry_legs],
                batch_size=4000)
    DocumentSequence.objects.bulk_create([
        DocumentSequence(organisation=org, doc_type=t, fiscal_year=fy, last_number=n)
        for (t, fy), n in numbers.items()])
    return org, first_year, last_year


def _sql(sql, params):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


BULK_PAYMENTS_PER_ENTRY = 24


def _bulk_post_lines(ctx, lines_wanted: int) -> list[dict]:
    """Post ``lines_wanted`` lines through ``entries_post_bulk``; µs per line, against a bare
    executemany of the same rows. Also the CPU time of ours, as a note (the machine is shared)."""
    from django.db import connection, transaction

    from omboon.ledger.bulk import BulkEntry, BulkLine, entries_post_bulk
    from omboon.ledger.models import Account, Fund, JournalLine
    from omboon.testing.factories import make_group

    org = make_group("BENCH-BULK", "กองทุนทดสอบบันทึกย้อนหลัง", founded_on=dt.date(2015, 1, 1))
    accounts = {a.code: a for a in Account.objects.filter(organisation=org, code__in=["1100", "4100", "4300"])}
    fund = Fund.objects.get(organisation=org, is_default=True)
    rng = random.Random(6)
    per_entry = BULK_PAYMENTS_PER_ENTRY + 1
    entries, day = [], dt.date(2016, 1, 1)
    for n in range(lines_wanted // per_entry):
        credits = [BulkLine(account=accounts[rng.choice(["4100", "4300"])], fund=fund,
                            credit=rng.choice([3000, 3000, 6000, 10000]), memo=f"แถว {n}-{i}")
                   for i in range(BULK_PAYMENTS_PER_ENTRY)]
        cash = BulkLine(account=accounts["1100"], fund=fund, debit=sum(ln.credit for ln in credits), memo="เงินสดรับ")
        entries.append(BulkEntry(date=day, doc_type="receipt", memo=f"รับเงินย้อนหลัง {n}",
                                 idempotency_key=f"bench-bulk-{n}", lines=[cash, *credits]))
        day += dt.timedelta(days=n % 2)
    count = len(entries) * per_entry
    wall, cpu = time.perf_counter(), time.process_time()
    with transaction.atomic():
        entries_post_bulk(actor=None, organisation=org, entries=entries, source=("bench", "bulk"))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert JournalLine.objects.filter(organisation=org).count() == count

    rows = [(org.pk, 1, e.date.isoformat(), ln.account.pk, ln.fund.pk, None, ln.debit, ln.credit, ln.memo)
            for e in entries for ln in e.lines]
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_bulk_lines (organisation_id integer, entry_id integer, date text,"
                       " account_id integer, fund_id integer, member_id integer, debit integer, credit integer,"
                       " memo text)")
        base = time.perf_counter()
        with transaction.atomic():
            cursor.executemany("INSERT INTO bench_bulk_lines VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)", rows)
        base = time.perf_counter() - base
        cursor.execute("DROP TABLE bench_bulk_lines")
    ctx.note(f"ledger.bulk_post_lines: {count:,} lines in {wall:.2f} s wall, {cpu:.2f} s CPU "
             f"({cpu / count * 1e6:.1f} µs CPU per line)")
    return [_row("ledger.bulk_post_lines", wall / count * 1e6, "µs/line", None, base / count * 1e6,
                 f"{count:,} lines, {len(entries):,} entries of {per_entry}")]


def run(ctx) -> list[dict]:
    from omboon.core import reporting
    from omboon.ledger import services
    from omboon.ledger.models import Account, JournalLine

    bulk_rows = _bulk_post_lines(ctx, 30_000 if ctx.quick else 180_000)
    members, years = (300, 1) if ctx.quick else (3000, 5)
    scale = f"{members} members × {years} year{'s' if years > 1 else ''}"
    rng = random.Random(20240)
    start = time.perf_counter()
    org, first_year, _last_year = _build(members, years, rng)
    build_s = time.perf_counter() - start
    lines = JournalLine.objects.filter(organisation=org).count()
    rows = [*bulk_rows, _row("ledger: bulk history insert", build_s, "s", None, None, f"{scale}, {lines:,} lines")]

    months = list(_month_ends(first_year, years))
    for y, m, _end in months[:-1]:
        services.period_close(actor=None, organisation=org, year=y, month=m)
    y, m, end = months[-1]
    month_start = dt.date(y, m, 1)
    t0 = time.perf_counter()
    services.period_close(actor=None, organisation=org, year=y, month=m)
    close_s = time.perf_counter() - t0
    close_base = _best(lambda: _sql(
        "SELECT account_id, fund_id, SUM(debit), SUM(credit) FROM ledger_journalline"
        " WHERE organisation_id = %s AND date >= %s AND date <= %s GROUP BY account_id, fund_id",
        [org.pk, month_start.isoformat(), end.isoformat()]))
    rows.append(_row("ledger: close a month (with year-end close)", close_s, "s", CLOSE_TARGET_S, close_base,
                     scale))

    # The statements of that last month, as the committee reads them at its meeting.
    history = lambda: _sql(  # noqa: E731 — every line up to the end, summed by account, no snapshots
        "SELECT account_id, SUM(debit) - SUM(credit) FROM ledger_journalline"
        " WHERE organisation_id = %s AND date <= %s GROUP BY account_id", [org.pk, end.isoformat()])
    year_rows = lambda: _sql(  # noqa: E731 — the fiscal year and the year before, by account
        "SELECT account_id, SUM(debit), SUM(credit) FROM ledger_journalline"
        " WHERE organisation_id = %s AND date >= %s AND date <= %s GROUP BY account_id",
        [org.pk, dt.date(y - 1, 1, 1).isoformat(), end.isoformat()])
    cash = Account.objects.get(organisation=org, code="1100").pk
    month_lines = lambda: _sql(  # noqa: E731 — one account's lines in the month, in order
        "SELECT date, entry_id, debit, credit FROM ledger_journalline WHERE account_id = %s"
        " AND date >= %s AND date <= %s ORDER BY date, entry_id, id",
        [cash, month_start.isoformat(), end.isoformat()])
    by_fund = lambda: _sql(  # noqa: E731
        "SELECT fund_id, account_id, SUM(debit) - SUM(credit) FROM ledger_journalline"
        " WHERE organisation_id = %s AND date <= %s GROUP BY fund_id, account_id", [org.pk, end.isoformat()])
    baselines = {
        "trial-balance": history, "financial-position": history, "income-expenditure": year_rows,
        "cash-book": month_lines, "general-ledger": month_lines, "fund-movement": by_fund,
    }
    for code, baseline in baselines.items():
        report = reporting.get(code)
        params = {"account": "1100"} if code == "general-ledger" else {}
        value = _best(lambda report=report, params=params: report.build(organisation=org, start=month_start,
                                                                           end=end, params=params))
        rows.append(_row(f"ledger: {code}", value, "s", STATEMENT_TARGET_S, _best(baseline), scale))
    return rows
