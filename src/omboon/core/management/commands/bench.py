"""``omboon bench``: run benchmarks, each in a fresh process on a throwaway SQLite database,
or with ``--postgres`` on a throwaway PostgreSQL database (``omboon_bench_<pid>``, created
empty before the benchmark and dropped after it, even when it fails)."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from omboon.demo.console import table

REPO = Path(settings.REPO_DIR)
PG_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
PG_PREFIX = "omboon_bench_"


def _pg_server_url(value: str) -> str:
    return value or os.environ.get("OMBOON_BENCH_POSTGRES") or PG_SERVER


def _pg_admin(server_url: str, sql: str) -> None:
    """Run CREATE/DROP DATABASE on the server (outside a transaction)."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql)


def _pg_database_url(server_url: str, name: str) -> str:
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _kept_rows(output: Path, names: list[str]) -> list[dict]:
    """Rows of the previous results from benchmarks not run this time (a row's name starts
    with its benchmark's name: ``foundation.demo_members``), so ``omboon bench ledger`` keeps
    the foundation figures."""
    try:
        previous = json.loads(output.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(previous, list):
        return []
    return [r for r in previous if isinstance(r, dict)
            and str(r.get("name", "")).split(".", 1)[0] not in names]


class Command(BaseCommand):
    help = (
        "วัดความเร็ว: รันชุดวัดใน bench/ แสดงตาราง และเขียน bench/results/latest.json\n"
        "run the benchmarks in bench/, print a table, write bench/results/latest.json"
    )

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", metavar="NAME",
                            help="ชื่อชุดวัด (bench/bench_NAME.py); ไม่ระบุ = ทุกชุด / "
                                 "benchmarks to run (bench/bench_NAME.py); none = all")
        parser.add_argument("--quick", action="store_true",
                            help="ขนาดเล็ก รันเร็ว / small scale, a quick run")
        parser.add_argument("--output", type=Path, default=REPO / "bench" / "results" / "latest.json",
                            help="ไฟล์ผลลัพธ์ / results file (default bench/results/latest.json)")
        parser.add_argument("--dir", type=Path, default=REPO / "bench",
                            help="โฟลเดอร์ของชุดวัด / folder of the bench_*.py modules")
        parser.add_argument("--timeout", type=int, default=1800,
                            help="วินาทีต่อชุด / seconds allowed per benchmark (default 1800)")
        parser.add_argument("--postgres", nargs="?", const="", default=None, metavar="SERVER_URL",
                            help="รันบนฐานข้อมูล PostgreSQL ชั่วคราว omboon_bench_<pid> (สร้างแล้วลบทิ้ง) / "
                                 "run on a throwaway PostgreSQL database omboon_bench_<pid>, created and "
                                 "dropped on the server SERVER_URL (default $OMBOON_BENCH_POSTGRES or "
                                 f"{PG_SERVER})")

    def handle(self, *args, names, quick, output, dir, timeout, postgres, **options):
        directory = dir.resolve()
        available = sorted(p.stem.removeprefix("bench_") for p in directory.glob("bench_*.py"))
        names = names or available
        unknown = [n for n in names if n not in available]
        if unknown:
            raise CommandError(f"ไม่พบชุดวัด / no such benchmark: {', '.join(unknown)} "
                               f"(มี / available: {', '.join(available) or '-'})")
        if not names:
            raise CommandError(f"ไม่มีชุดวัดใน / no benchmarks in {directory}")
        rows, notes, failed = [], [], []
        for name in names:
            self.stdout.write(f"== {name} {'(quick)' if quick else ''}")
            self.stdout.flush()
            try:
                result = self._run_one(name, directory, quick, timeout, postgres)
            except CommandError as exc:
                failed.append(name)
                self.stderr.write(str(exc))
                continue
            rows += result["rows"]
            notes += [f"{name}: {n}" for n in result.get("notes", [])]
        if rows:
            header = ["name", "value", "unit", "target", "baseline", "ratio", "scale"]
            body = [[r["name"], _fmt(r["value"]), r["unit"], _fmt(r["target"]), _fmt(r["baseline"]),
                     _fmt(r["ratio"]), r["scale"]] for r in rows]
            self.stdout.write("\n".join(table([header, *body], right=(1, 3, 4, 5))))
        for note in notes:
            self.stdout.write(f"หมายเหตุ / note: {note}")
        output.parent.mkdir(parents=True, exist_ok=True)
        rows = _kept_rows(output, names) + rows
        output.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        self.stdout.write(f"เขียนแล้ว / written: {output}")
        if failed:
            raise CommandError(f"ชุดวัดล้มเหลว / benchmarks failed: {', '.join(failed)}")

    def _run_one(self, name: str, directory: Path, quick: bool, timeout: int, postgres: str | None) -> dict:
        tmp = Path(tempfile.mkdtemp(prefix=f"omboon-bench-{name}-"))
        server = database = None
        try:
            env = dict(os.environ)
            env.pop("DATABASE_URL", None)  # never the project's own database
            # a throwaway key: with DATABASE_URL a run is a server, which needs one
            env.setdefault("OMBOON_SECRET_KEY", secrets.token_urlsafe(48))
            if postgres is None:
                env["OMBOON_SQLITE"] = str(tmp / "bench.sqlite3")
            else:
                server = _pg_server_url(postgres)
                database = f"{PG_PREFIX}{os.getpid()}"
                try:
                    _pg_admin(server, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
                    _pg_admin(server, f'CREATE DATABASE "{database}"')
                except Exception as exc:
                    database = None
                    raise CommandError(f"{name}: สร้างฐานข้อมูล PostgreSQL ไม่ได้ / cannot create the "
                                       f"PostgreSQL database: {exc}") from exc
                env.pop("OMBOON_SQLITE", None)
                env["DATABASE_URL"] = _pg_database_url(server, database)
                self.stdout.write(f"PostgreSQL: {database}")
            env["OMBOON_DATA_DIR"] = str(tmp / "data")
            env["PYTHONPATH"] = os.pathsep.join(
                [str(REPO / "src"), str(REPO), *filter(None, [env.get("PYTHONPATH")])])
            rows_file = tmp / "rows.json"
            cmd = [sys.executable, "-m", "bench.runner", name, "--dir", str(directory),
                   "--rows", str(rows_file)]
            if quick:
                cmd.append("--quick")
            # The benchmark's log is passed on line by line (a province-scale run lasts long).
            proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    text=True)
            timer = threading.Timer(timeout, proc.kill)
            timer.start()
            try:
                for line in proc.stdout:
                    self.stdout.write(line.rstrip("\n"))
                    self.stdout.flush()
                proc.wait()
            finally:
                timed_out = not timer.is_alive() and proc.returncode != 0
                timer.cancel()
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
            if timed_out:
                raise CommandError(f"{name}: เกินเวลา / timed out after {timeout} s")
            if proc.returncode != 0 or not rows_file.is_file():
                raise CommandError(f"{name}: ล้มเหลว / failed (exit {proc.returncode})")
            return json.loads(rows_file.read_text(encoding="utf-8"))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            if database is not None:
                try:
                    _pg_admin(server, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
                except Exception as exc:  # reported, never hiding the benchmark's own outcome
                    self.stderr.write(f"ลบฐานข้อมูล {database} ไม่ได้ / could not drop {database}: {exc}")
