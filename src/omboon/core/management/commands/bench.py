"""``omboon bench``: run benchmarks, each in a fresh process on a throwaway SQLite database,
or with ``--postgres`` on a throwaway PostgreSQL database (``omboon_bench_<pid>``, created
empty before the benchmark and dropped after it, even when it fails). With ``--template`` the
throwaway database starts as a copy of a migrated one instead of empty (``bench/runner.py``)."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from omboon.core.console import table
from omboon.core.progress import EXIT_INTERRUPTED, stoppable

REPO = Path(settings.REPO_DIR)
PG_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
PG_PREFIX = "omboon_bench_"
STOP_GRACE_S = 5


def _pg_server_url(value: str) -> str:
    return value or os.environ.get("OMBOON_BENCH_POSTGRES") or PG_SERVER


def _pg_admin(server_url: str, sql: str) -> None:
    """Run CREATE/DROP DATABASE on the server (outside a transaction)."""

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql)


def _pg_database_url(server_url: str, name: str) -> str:
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _runner():
    """bench/runner.py, the other end of the marks protocol (the repository's ``bench`` package)."""
    if str(REPO) not in sys.path:
        sys.path.append(str(REPO))
    from bench import runner  # noqa: PLC0415 — importable only once the repository is on sys.path

    return runner


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
        "run the benchmarks in bench/, print a table, write bench/results/latest.json\n"
        f"เกินเวลาหรือ Ctrl-C: เก็บแถวที่วัดเสร็จ บอกขั้นที่หยุด (Ctrl-C ออกด้วยรหัส {EXIT_INTERRUPTED}) / "
        f"a timeout or Ctrl-C keeps the rows measured and names the step it stopped in (Ctrl-C exits "
        f"{EXIT_INTERRUPTED})"
    )

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", metavar="NAME",
                            help="ชื่อชุดวัด (bench/bench_NAME.py); ไม่ระบุ = ทุกชุด / "
                                 "benchmarks to run (bench/bench_NAME.py); none = all")
        parser.add_argument("--quick", action="store_true",
                            help="ขนาดเล็ก รันเร็ว / small scale, a quick run")
        parser.add_argument("--output", type=Path,
                            default=Path(os.environ.get("OMBOON_BENCH_RESULTS") or
                                         REPO / "bench" / "results" / "latest.json"),
                            help="ไฟล์ผลลัพธ์ เขียนทุกแถวที่วัดเสร็จ / results file, rewritten at each finished "
                                 "row (default $OMBOON_BENCH_RESULTS or bench/results/latest.json)")
        parser.add_argument("--dir", type=Path, default=REPO / "bench",
                            help="โฟลเดอร์ของชุดวัด / folder of the bench_*.py modules")
        parser.add_argument("--timeout", type=int, default=1800,
                            help="วินาทีต่อชุด / seconds allowed per benchmark (default 1800)")
        parser.add_argument("--postgres", nargs="?", const="", default=None, metavar="SERVER_URL",
                            help="รันบนฐานข้อมูล PostgreSQL ชั่วคราว omboon_bench_<pid> (สร้างแล้วลบทิ้ง) / "
                                 "run on a throwaway PostgreSQL database omboon_bench_<pid>, created and "
                                 "dropped on the server SERVER_URL (default $OMBOON_BENCH_POSTGRES or "
                                 f"{PG_SERVER})")
        parser.add_argument("--template", default=None, metavar="SOURCE",
                            help="คัดลอกฐานข้อมูลที่ migrate แล้วแทนการ migrate ใหม่ทุกชุด: ไฟล์ SQLite หรือชื่อฐานข้อมูล "
                                 "PostgreSQL บนเซิร์ฟเวอร์เดียวกัน (กับ --postgres) ที่ไม่มีองค์กร / copy a migrated "
                                 "database with no organisation instead of migrating for each benchmark: a SQLite "
                                 "file, or with --postgres a database on the same server")

    def handle(self, *args, names, quick, output, dir, timeout, postgres, template, **options):
        directory = dir.resolve()
        available = sorted(p.stem.removeprefix("bench_") for p in directory.glob("bench_*.py"))
        names = names or available
        unknown = [n for n in names if n not in available]
        if unknown:
            raise CommandError(f"ไม่พบชุดวัด / no such benchmark: {', '.join(unknown)} "
                               f"(มี / available: {', '.join(available) or '-'})")
        if not names:
            raise CommandError(f"ไม่มีชุดวัดใน / no benchmarks in {directory}")
        results = _Results(output, names)
        notes, failed, interrupted = [], [], None
        with stoppable():  # SIGTERM (a CI job's timeout) stops as Ctrl-C does
            for name in names:
                self.stdout.write(f"== {name} {'(quick)' if quick else ''}")
                self.stdout.flush()
                run = _Run(name, results)
                try:
                    result = self._run_one(run, directory, quick, timeout, postgres, template)
                except KeyboardInterrupt:
                    interrupted = run
                    break
                except CommandError as exc:
                    failed.append(name)
                    self.stderr.write(str(exc))
                    continue
                results.finished(name, result["rows"])
                notes += [f"{name}: {n}" for n in result.get("notes", [])]
        rows = results.measured()
        if rows:
            header = ["name", "value", "unit", "target", "baseline", "ratio", "scale"]
            body = [[r["name"], _fmt(r["value"]), r["unit"], _fmt(r["target"]), _fmt(r["baseline"]),
                     _fmt(r["ratio"]), r["scale"]] for r in rows]
            self.stdout.write("\n".join(table([header, *body], right=(1, 3, 4, 5))))
        for note in notes:
            self.stdout.write(f"หมายเหตุ / note: {note}")
        results.write()
        self.stdout.write(f"เขียนแล้ว / written: {output}")
        if interrupted is not None:
            raise CommandError(
                f"หยุดแล้ว / interrupted: {interrupted.stopped_in()}; "
                f"{results.kept_message()}. ชุดวัดเริ่มใหม่ทุกครั้ง: รันคำสั่งเดิมอีกครั้งเพื่อวัดใหม่ / "
                "a benchmark starts over: run the same command again to measure again",
                returncode=EXIT_INTERRUPTED)
        if failed:
            raise CommandError(f"ชุดวัดล้มเหลว / benchmarks failed: {', '.join(failed)}; {results.kept_message()}")

    def _run_one(self, run: _Run, directory: Path, quick: bool, timeout: int, postgres: str | None,
                 template: str | None) -> dict:
        name = run.name
        tmp = Path(tempfile.mkdtemp(prefix=f"omboon-bench-{name}-"))
        server = database = None
        try:
            env = dict(os.environ)
            env.pop("DATABASE_URL", None)  # never the project's own database
            # a throwaway key: with DATABASE_URL a run is a server, which needs one
            env.setdefault("OMBOON_SECRET_KEY", secrets.token_urlsafe(48))
            if template:
                env[_runner().COPIED] = "1"
            if postgres is None:
                env["OMBOON_SQLITE"] = str(tmp / "bench.sqlite3")
                if template:
                    try:
                        shutil.copyfile(template, env["OMBOON_SQLITE"])
                    except OSError as exc:
                        raise CommandError(f"{name}: คัดลอกฐานข้อมูลต้นแบบไม่ได้ / cannot copy the template: "
                                           f"{exc}") from exc
            else:
                server = _pg_server_url(postgres)
                database = f"{PG_PREFIX}{os.getpid()}"
                copy = ' TEMPLATE "{}"'.format(template.replace('"', '""')) if template else ""
                try:
                    _pg_admin(server, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
                    _pg_admin(server, f'CREATE DATABASE "{database}"{copy}')
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
            # Its own session: a timeout or Ctrl-C stops the runner and every worker it started
            # together, quietly, and no worker outlives it holding the pipe open.
            proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    text=True, start_new_session=True)
            timer = threading.Timer(timeout, run.stop, args=(proc, "timeout"))
            timer.start()
            try:
                for line in proc.stdout:
                    run.line(line.rstrip("\n"), self.stdout)
                proc.wait()
            except KeyboardInterrupt:
                run.stop(proc, "interrupt")
                raise
            finally:
                timer.cancel()
                if proc.poll() is None:
                    run.stop(proc, run.stopped or "cleanup")
                proc.stdout.close()
            if run.stopped == "timeout":
                raise CommandError(f"{name}: เกินเวลา {timeout} วินาที / timed out after {timeout} s, "
                                   f"{run.stopped_in()}")
            if proc.returncode != 0 or not rows_file.is_file():
                raise CommandError(f"{name}: ล้มเหลว / failed (exit {proc.returncode}), {run.stopped_in()}")
            return json.loads(rows_file.read_text(encoding="utf-8"))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            if database is not None:
                try:
                    _pg_admin(server, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
                except Exception as exc:  # reported, never hiding the benchmark's own outcome
                    self.stderr.write(f"ลบฐานข้อมูล {database} ไม่ได้ / could not drop {database}: {exc}")


class _Results:
    """The results file as the run goes: rows of benchmarks not yet run this time are kept
    from the previous file; a benchmark's rows (those named after it, and any row of the same
    name as one it measures: ``bench_collection`` measures ``contributions.collection_day_…``)
    are replaced by this run's as they arrive, and the file is rewritten at each finished row."""

    def __init__(self, output: Path, names: list[str]):
        self.output = output
        self.previous = _kept_rows(output, [])
        self.names = names
        self.rows: dict[str, list[dict]] = {}  # this run's rows by benchmark, in arrival order

    def add(self, name: str, row: dict) -> None:
        self.rows.setdefault(name, []).append(row)
        self.write()

    def finished(self, name: str, rows: list[dict]) -> None:
        self.rows[name] = list(rows)  # what run(ctx) returned is the benchmark's final word
        self.write()

    def measured(self) -> list[dict]:
        return [r for name in self.names for r in self.rows.get(name, [])]

    def write(self) -> None:
        started = set(self.rows)
        fresh = {r.get("name") for r in self.measured()}  # a row named for another app than its module
        kept = [r for r in self.previous
                if str(r.get("name", "")).split(".", 1)[0] not in started and r.get("name") not in fresh]
        self.output.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.output.with_name(self.output.name + ".tmp")
        tmp.write_text(json.dumps(kept + self.measured(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        tmp.replace(self.output)

    def kept_message(self) -> str:
        n = len(self.measured())
        return f"เก็บผลที่วัดเสร็จแล้ว {n} แถวไว้ใน / kept the {n} rows measured in {self.output}"


class _Run:
    """One benchmark's subprocess as seen from here: its log relayed, its finished rows and
    steps read from the runner's marks, and how it was stopped."""

    def __init__(self, name: str, results: _Results):
        self.name, self.results = name, results
        self.step = "เริ่มโปรแกรม / starting the runner"
        self.stopped: str | None = None

    def line(self, line: str, out) -> None:
        runner = _runner()
        if line.startswith(runner.ROW_MARK):
            try:
                row = runner.check_rows([json.loads(line[len(runner.ROW_MARK):])])[0]
            except (ValueError, runner.BenchError):
                return
            self.results.add(self.name, row)
            out.write(f"  = {row['name']}: {_fmt(row['value'])} {row['unit']}")
        elif line.startswith(runner.STEP_MARK):
            self.step = line[len(runner.STEP_MARK):]
            out.write(f"  > {self.step}")
        elif self.stopped:
            return  # what dying workers say after a stop is noise
        else:
            out.write(line)
        out.flush()

    def stopped_in(self) -> str:
        return f"หยุดในขั้น / stopped in step: {self.step}"

    def stop(self, proc: subprocess.Popen, why: str) -> None:
        """End the runner's whole session: SIGTERM (Python exits without a traceback), then
        SIGKILL after a grace period."""
        self.stopped = self.stopped or why
        for sig, grace in ((signal.SIGTERM, STOP_GRACE_S), (signal.SIGKILL, STOP_GRACE_S)):
            try:
                os.killpg(proc.pid, sig)
            except (ProcessLookupError, PermissionError):
                return
            try:
                proc.wait(grace)
                return
            except subprocess.TimeoutExpired:
                continue
