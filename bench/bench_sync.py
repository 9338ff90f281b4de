"""Sync benchmark: a standalone group's laptop (this process, SQLite) sends its history to a
network server (gunicorn, one worker, on a throwaway PostgreSQL database) — a 3,000-member
group's 5 years (300 members × 1 year with --quick).

The server's database is ``omboon_bench_sync_<pid>`` on ``OMBOON_BENCH_PG`` (default
postgres://postgres@127.0.0.1:5432), created, migrated and dropped here; when PostgreSQL is
unreachable the server runs on a second SQLite file and a note says so. Rows: the whole sync
(stage + push + server apply), the staging alone, the server's CPU time (its share of the
push), the JSON sent, and as the baseline the bare HTTP round trips of the same bodies to an
endpoint that only reads them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

SYNC_TARGET_S = 15.0  # issue 15: a 3,000-member group's 5 years in ≤ 15 s on a quiet machine
PG = os.environ.get("OMBOON_BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def run(ctx) -> list[dict]:
    return bench_sync(ctx, members=300 if ctx.quick else 3000, years=1 if ctx.quick else 5)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerDatabase:
    """A throwaway PostgreSQL database for the server process, or a SQLite file if PG is down."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.name = f"omboon_bench_sync_{os.getpid()}"
        self.admin = None
        self.env: dict[str, str] = {}
        self.label = "SQLite"

    def __enter__(self):
        try:
            import psycopg

            self.admin = psycopg.connect(f"{PG}/postgres", autocommit=True, connect_timeout=5)
            self.admin.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
            self.admin.execute(f'CREATE DATABASE "{self.name}"')
            # time spent in plpgsql (the ledger's triggers), read back by ``trigger_seconds``
            self.admin.execute(f'ALTER DATABASE "{self.name}" SET track_functions = \'pl\'')
            self.env = {"DATABASE_URL": f"{PG}/{self.name}"}
            self.label = "PostgreSQL"
        except Exception as exc:  # any failure to reach PG means the SQLite fallback
            self.admin = None
            self.env = {"OMBOON_SQLITE": str(self.ctx.tmp / "server.sqlite3")}
            self.ctx.note(f"PostgreSQL unreachable ({exc.__class__.__name__}): the server ran on SQLite")
        return self

    def trigger_seconds(self) -> dict[str, float]:
        """Seconds spent in each plpgsql function of the server's database (its own time)."""
        if self.admin is None:
            return {}
        import psycopg

        time.sleep(1.5)  # backends report their function statistics when idle
        with psycopg.connect(f"{PG}/{self.name}") as conn:
            return {name: self_ms / 1000 for name, self_ms in conn.execute(
                "SELECT funcname, self_time FROM pg_stat_user_functions ORDER BY self_time DESC")}

    def __exit__(self, *exc):
        if self.admin is not None:
            self.admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self.admin.close()


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children (gunicorn's worker), from /proc."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            pids += [int(p) for p in f.read().split()]
    except OSError:
        pass
    for p in pids:
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except OSError:
            pass
    return total


def bench_sync(ctx, *, members: int, years: int) -> list[dict]:
    from omboon.ledger.models import JournalLine
    from omboon.network import services
    from omboon.network.models import NodeConfig, OutboxItem
    from omboon.network.sync import laptop

    with ServerDatabase(ctx) as db:
        env = ctx.env()
        env.pop("OMBOON_SQLITE", None)
        env.pop("DATABASE_URL", None)
        env.update(db.env, OMBOON_FAST_HASHER="1")
        if ctx.database_url:
            ctx.note("omboon bench --postgres: the laptop side ran on PostgreSQL too (a real laptop is SQLite)")
        py = [sys.executable, "-c", "import sys; from omboon.cli import main; main(sys.argv)"]
        subprocess.run([*py, "migrate", "--noinput"], env=env, check=True, capture_output=True, cwd=ctx.repo)
        out = subprocess.run([sys.executable, "-m", "omboon.network.tests.e2e_scripts", "server_setup"], env=env,
                             check=True, capture_output=True, text=True, cwd=ctx.repo).stdout
        code = json.loads(out.strip().splitlines()[-1])["code"]
        group = build_sync_group(ctx, members, years)
        services.facts_recompute(actor=None, organisation=group)
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "omboon.wsgi", "-b", f"127.0.0.1:{port}",
                                 "--workers", "1", "--timeout", "600"], env=env, cwd=ctx.repo,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait(url)
            laptop.enrol(server_url=url, code=code, organisation=group)
            config = NodeConfig.objects.get(organisation=group)
            server_cpu0 = _cpu_seconds(proc.pid)
            t0, c0 = time.perf_counter(), time.process_time()
            items = laptop.stage(actor=None, organisation=group)
            staged = time.perf_counter() - t0
            sent = laptop.push(config=config)
            elapsed = time.perf_counter() - t0
            laptop_cpu = time.process_time() - c0
            server_cpu = _cpu_seconds(proc.pid) - server_cpu0
            payloads = list(OutboxItem.objects.filter(organisation=group).order_by("seq")
                            .values_list("payload", flat=True))
            bare = _bare_http(url, payloads)
            triggers = db.trigger_seconds()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    size = sum(len(p.encode()) for p in payloads)
    lines = JournalLine.objects.filter(organisation=group).count()
    ctx.log(f"sync: {items} items ({sent} sent, {size / 1e6:.1f} MB JSON), stage {staged:.1f} s, "
            f"total {elapsed:.1f} s (laptop CPU {laptop_cpu:.1f} s, server CPU {server_cpu:.1f} s), "
            f"bare HTTP {bare:.1f} s, {lines:,} lines")
    if triggers:
        ctx.log("PostgreSQL plpgsql (trigger) time: " + ", ".join(f"{k} {v:.1f} s" for k, v in triggers.items()))
    scale = (f"1 group × {members:,} members × {years} years ({lines:,} journal lines, {items} items), "
             f"{'PostgreSQL' if ctx.database_url else 'SQLite'} laptop → gunicorn + {db.label} server")
    return [ctx.row("network.sync_group", elapsed, "s", target=SYNC_TARGET_S, baseline=bare, scale=scale),
            ctx.row("network.sync_stage", staged, "s", scale=scale),
            ctx.row("network.sync_laptop_cpu", laptop_cpu, "s", scale=scale),
            ctx.row("network.sync_server_cpu", server_cpu, "s", scale=scale),
            ctx.row("network.sync_json", size / 1e6, "MB", scale=scale),
            ctx.row("network.sync_server_triggers", sum(triggers.values()) if triggers else None, "s",
                    scale=scale)]


def _wait(url: str) -> None:
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{url}/api/v1/network/sync/status", timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)


def _bare_http(url: str, payloads: list[str]) -> float:
    """The same bodies POSTed to the status endpoint (read and refused at once): transport only."""
    t0 = time.perf_counter()
    for payload in payloads:
        req = urllib.request.Request(f"{url}/api/v1/network/sync/status", data=payload.encode(), method="POST")
        try:
            urllib.request.urlopen(req, timeout=120).read()
        except urllib.error.HTTPError as exc:
            exc.read()
    return time.perf_counter() - t0


def build_sync_group(ctx, members: int, years: int):
    """The node's group BDC: members paying monthly for ``years`` years, a benefit a month,
    every month closed (balances stored)."""
    from omboon.core import national_id
    from omboon.ledger import services as ledger
    from omboon.ledger.models import Account, Fund, JournalEntry, JournalLine
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
                                        posted_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)))
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
