"""Runs one benchmark module in this (fresh) process: ``python -m bench.runner NAME``.

``omboon bench`` starts one of these per benchmark, with ``OMBOON_SQLITE`` pointing at a
throwaway database in a temporary folder, so settings pick it up before Django starts. This
process migrates that database, imports ``bench/bench_NAME.py`` (or ``--dir``'s), calls its
``run(ctx)`` and writes the rows it returns as JSON (``--rows FILE``, else stdout).

``omboon bench --postgres`` instead creates an empty PostgreSQL database named
``omboon_bench_<pid>`` and passes it as ``DATABASE_URL``; the runner accepts a
``DATABASE_URL`` only for a database of that name that has no tables yet, and the command
drops it at the end, even when the benchmark fails.

A row is ``{"name", "value", "unit", "target", "baseline", "ratio", "scale"}``: ``baseline``
is the same work done bare (a plain executemany, a static file) in the same run, and
``ratio`` is value / baseline. ``ctx.row(...)`` builds one and reports it at once as finished
(a line ``ROW_MARK + json`` on stderr), and ``ctx.step(text)`` names the step now running
(``STEP_MARK + text``): ``omboon bench`` writes each finished row to the results file as it
arrives, so a benchmark stopped by its timeout or by Ctrl-C keeps the rows it measured, and
the command says which step it stopped in. A module with ``DATABASE = False`` is run without
migrating the throwaway database (a test of the runner itself).

``omboon bench --template SOURCE`` makes the throwaway database a copy of a migrated one (a
SQLite file, or with ``--postgres`` a database on the server) instead of an empty one, and says
so in ``OMBOON_BENCH_COPIED``; the runner then asks only that it holds no organisation, and its
``migrate`` has little or nothing left to do (the suite's tests of the command run so, on a
copy of the run's migrated test database, instead of migrating from zero for every benchmark).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIELDS = ("name", "value", "unit", "target", "baseline", "ratio", "scale")
PG_PREFIX = "omboon_bench_"
ROW_MARK = "@@omboon-bench-row "
STEP_MARK = "@@omboon-bench-step "
COPIED = "OMBOON_BENCH_COPIED"  # set by ``omboon bench --template``: the database is a fresh copy of a migrated one


class BenchError(Exception):
    pass


def _round(value):
    if value is None:
        return None
    if isinstance(value, float):
        return round(value, 4 if abs(value) < 10 else 1)
    return value


def make_row(name: str, value: float, unit: str, *, target=None, baseline=None, scale="") -> dict:
    ratio = None
    if baseline not in (None, 0) and value is not None:
        ratio = round(value / baseline, 2)
    return {"name": name, "value": _round(value), "unit": unit, "target": _round(target),
            "baseline": _round(baseline), "ratio": ratio, "scale": scale}


def check_rows(rows) -> list[dict]:
    if not isinstance(rows, list):
        raise BenchError("run(ctx) must return a list of rows")
    for row in rows:
        if not isinstance(row, dict) or set(row) != set(FIELDS):
            raise BenchError(f"a row must have exactly the keys {FIELDS}: {row!r}")
        if not isinstance(row["name"], str) or not isinstance(row["unit"], str):
            raise BenchError(f"name and unit must be text: {row!r}")
    json.dumps(rows)  # every value must be plain JSON
    return rows


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) by the nearest-rank method."""
    ordered = sorted(values)
    if not ordered:
        raise BenchError("no measurements")
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


def median(values: list[float]) -> float:
    return statistics.median(values)


@dataclass
class Context:
    """What a benchmark's ``run(ctx)`` gets."""

    quick: bool
    tmp: Path
    db_path: Path | None  # the throwaway SQLite file (None on PostgreSQL)
    repo: Path = REPO
    notes: list[str] = field(default_factory=list)
    database_url: str | None = None  # the throwaway PostgreSQL database (``--postgres``)

    @property
    def vendor(self) -> str:
        return "postgresql" if self.database_url else "sqlite"

    def log(self, message: str) -> None:
        print(f"  · {message}", file=sys.stderr, flush=True)

    def note(self, message: str) -> None:
        """Something the reader of the results should know (printed under the table)."""
        self.notes.append(message)
        self.log(message)

    def row(self, name, value, unit, *, target=None, baseline=None, scale="") -> dict:
        """A finished measurement, reported at once (kept even if the run is stopped later)."""
        row = make_row(name, value, unit, target=target, baseline=baseline, scale=scale)
        print(ROW_MARK + json.dumps(row, ensure_ascii=False), file=sys.stderr, flush=True)
        return row

    def step(self, text: str) -> None:
        """Name the step now running ("สร้าง 100 กลุ่ม / build 100 groups"): a stopped run says it."""
        print(STEP_MARK + " ".join(str(text).split()), file=sys.stderr, flush=True)

    def env(self) -> dict[str, str]:
        """The environment for a subprocess (a web server) on the same throwaway database."""
        env = dict(os.environ)
        if self.database_url:
            env.pop("OMBOON_SQLITE", None)
            env["DATABASE_URL"] = self.database_url
        else:
            env.pop("DATABASE_URL", None)
            env["OMBOON_SQLITE"] = str(self.db_path)
        paths = [str(self.repo / "src"), str(self.repo)]
        if env.get("PYTHONPATH"):
            paths.append(env["PYTHONPATH"])
        env["PYTHONPATH"] = os.pathsep.join(paths)
        return env

    @staticmethod
    def timer() -> float:
        return time.perf_counter()


def pg_name(url: str) -> str | None:
    """The database name of a PostgreSQL URL if it is a throwaway benchmark database."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if parts.scheme not in ("postgres", "postgresql") or not name.startswith(PG_PREFIX):
        return None
    return name


def load(name: str, directory: Path):
    path = directory / f"bench_{name}.py"
    if not path.is_file():
        raise BenchError(f"no benchmark {name}: {path} does not exist")
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not callable(getattr(module, "run", None)):
        raise BenchError(f"{path} has no run(ctx)")
    return module


def _holds_organisations(connection) -> bool:
    from omboon.orgs.models import Organisation

    return (Organisation._meta.db_table in connection.introspection.table_names()
            and Organisation.objects.exists())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.runner")
    parser.add_argument("name")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--dir", type=Path, default=REPO / "bench")
    parser.add_argument("--rows", type=Path, default=None)
    args = parser.parse_args(argv)

    url = os.environ.get("DATABASE_URL")
    db = os.environ.get("OMBOON_SQLITE")
    copied = os.environ.get(COPIED) == "1"
    if url:
        if pg_name(url) is None:
            print(f"bench.runner ใช้ PostgreSQL ได้เฉพาะฐานข้อมูลชื่อ {PG_PREFIX}<pid> / "
                  f"runs on PostgreSQL only in a throwaway database named {PG_PREFIX}<pid> "
                  "(run it through `omboon bench --postgres`)", file=sys.stderr)
            return 2
        db_path, tmp = None, Path(os.environ.get("OMBOON_DATA_DIR") or ".").resolve()
    elif not db:
        print("bench.runner ต้องมี OMBOON_SQLITE ชี้ไปฐานข้อมูลทิ้งได้ หรือ DATABASE_URL ของฐานข้อมูลทิ้งได้ / "
              "needs OMBOON_SQLITE set to a throwaway database, or DATABASE_URL of a throwaway "
              "PostgreSQL database (run it through `omboon bench`)", file=sys.stderr)
        return 2
    else:
        db_path = Path(db)
        tmp = db_path.parent
        if db_path.exists() and db_path.stat().st_size > 0 and not copied:
            print(f"ฐานข้อมูลทดสอบความเร็วต้องเป็นไฟล์ใหม่ / the benchmark database must be new: {db_path}",
                  file=sys.stderr)
            return 2
    sys.path[:0] = [str(REPO / "src"), str(REPO)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omboon.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if url and connection.introspection.table_names() and not copied:
        print(f"ฐานข้อมูลทดสอบความเร็วต้องว่าง / the benchmark database must be empty: {pg_name(url)}",
              file=sys.stderr)
        return 2
    if copied and _holds_organisations(connection):
        print("ฐานข้อมูลต้นแบบต้องไม่มีองค์กร / the template must be a migrated database with no organisation",
              file=sys.stderr)
        return 2
    module = load(args.name, args.dir)
    ctx = Context(quick=args.quick, tmp=tmp, db_path=db_path, database_url=url or None)
    if getattr(module, "DATABASE", True):  # a copy of a migrated database: migrate brings it up to date
        ctx.step("เตรียมฐานข้อมูล / migrating the throwaway database")
        call_command("migrate", verbosity=0)
    ctx.step(f"{args.name}.run")
    rows = check_rows(module.run(ctx))
    payload = json.dumps({"rows": rows, "notes": ctx.notes}, ensure_ascii=False, indent=1)
    if args.rows:
        args.rows.write_text(payload, encoding="utf-8")
    else:
        print(payload)
    return 0


if __name__ == "__main__":
    sys.exit(main())
