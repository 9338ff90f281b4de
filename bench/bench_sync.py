"""Sync benchmark: a standalone group's laptop (this process) sends its history to a network
server (a second process) — a 3,000-member group's 5 years (300 members × 1 year with --quick).
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

SYNC_TARGET_S = 30.0


def run(ctx) -> list[dict]:
    return bench_sync(ctx, members=300 if ctx.quick else 3000, years=1 if ctx.quick else 5)


# --- sync to a server process -------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_sync(ctx, *, members: int, years: int) -> list[dict]:
    from omboon.network import services, sync
    from omboon.network.models import NodeConfig, ym_of

    server_db = ctx.tmp / "server.sqlite3"
    env = ctx.env()
    env["OMBOON_SQLITE"] = str(server_db)
    env["OMBOON_FAST_HASHER"] = "1"
    py = [sys.executable, "-c", "import sys; from omboon.cli import main; main(sys.argv)"]
    subprocess.run([*py, "migrate", "--noinput"], env=env, check=True, capture_output=True, cwd=ctx.repo)
    out = subprocess.run([sys.executable, "-m", "omboon.network.tests.e2e_scripts", "server_setup"], env=env,
                         check=True, capture_output=True, text=True, cwd=ctx.repo).stdout
    code = json.loads(out.strip().splitlines()[-1])["code"]
    group = build_sync_group(ctx, members, years)
    services.facts_recompute(actor=None, organisation=group)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([*py, "runserver", "--noreload", f"127.0.0.1:{port}"], env=env, cwd=ctx.repo,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{url}/api/network/sync/status", timeout=2)
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.2)
        sync.enrol(server_url=url, code=code, organisation=group)
        config = NodeConfig.objects.get(organisation=group)
        t0 = time.perf_counter()
        items = sync.stage(actor=None, organisation=group)
        staged = time.perf_counter() - t0
        sent = sync.push(config=config)
        elapsed = time.perf_counter() - t0
    finally:
        proc.kill()
        proc.wait(timeout=30)
    from omboon.ledger.models import JournalLine

    lines = JournalLine.objects.filter(organisation=group).count()
    ctx.log(f"sync: {items} items ({sent} sent), stage {staged:.1f} s, total {elapsed:.1f} s, {lines:,} lines")
    scale = f"1 group × {members:,} members × {years} years ({lines:,} journal lines), SQLite → SQLite server"
    return [ctx.row("network.sync_group", elapsed, "s", target=SYNC_TARGET_S, scale=scale),
            ctx.row("network.sync_stage", staged, "s", scale=scale)]


def build_sync_group(ctx, members: int, years: int):
    """The node's group BDC: members paying monthly for ``years`` years, a benefit a month,
    every month closed (balances stored)."""
    from omboon.core import national_id
    from omboon.ledger.models import Account, Fund, JournalEntry, JournalLine
    from omboon.ledger import services as ledger
    from omboon.members.models import Member
    from omboon.testing.factories import make_group, make_network

    t0 = time.perf_counter()
    zone = make_network("LP-S", "เครือข่ายลำปางใต้", parent=make_network("LP", "เครือข่ายจังหวัดลำปาง"))
    group = make_group("BDC", "กองทุนสวัสดิการบ้านดอนไชย", parent=zone)
    people = Member.objects.bulk_create([
        Member(organisation=group, number=f"{k:05d}", first_name=f"ก{k}", last_name="ข", sex="MF"[k % 2],
               national_id=national_id.with_check_digit(f"3{k:011d}"), birth_date=dt.date(1950 + k % 50, 1, 1),
               join_date=dt.date(2020, 1, 1)) for k in range(members)])
    accounts = dict(Account.objects.filter(organisation=group).values_list("code", "pk"))
    fund = Fund.objects.get(organisation=group, is_default=True).pk
    number = 0
    for m in range(12 * years):
        day = dt.date(2020 + m // 12, 1 + m % 12, 10)
        entries = []
        for _person in people:
            number += 1
            entries.append(JournalEntry(organisation=group, date=day, doc_type="receipt", number=number,
                                        fiscal_year=day.year, total=3_000,
                                        posted_at=dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)))
        created = JournalEntry.objects.bulk_create(entries, batch_size=2000)
        lines = []
        for entry, person in zip(created, people):
            lines += [JournalLine(organisation=group, entry=entry, date=day, account_id=accounts["1100"], fund_id=fund,
                                  member=person, debit=3_000),
                      JournalLine(organisation=group, entry=entry, date=day, account_id=accounts["4300"], fund_id=fund,
                                  member=person, credit=3_000)]
        JournalLine.objects.bulk_create(lines, batch_size=5000)
        ledger.period_close(actor=None, organisation=group, year=day.year, month=day.month, today=dt.date(2030, 1, 1))
    ctx.log(f"sync group: {members:,} members × {years} years built in {time.perf_counter() - t0:.1f} s")
    return group
