import io
import json
import os
import sqlite3
import textwrap

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bench import runner

FAKE = '''
import os
from django.db import connection
from omboon.orgs.models import Organisation

def run(ctx):
    # runs in its own process, on a migrated throwaway SQLite database
    assert connection.vendor == "sqlite"
    assert os.environ["OMBOON_SQLITE"] == str(ctx.db_path)
    assert Organisation.objects.count() == 0
    ctx.note("fake note")
    n = 30 if ctx.quick else 300
    return [ctx.row("fake.sum", float(sum(range(n))), "units", target=10.0, baseline=2.0,
                    scale=f"{n} numbers")]
'''


@pytest.fixture
def template(migrated, tmp_path) -> list[str]:
    """``--template`` a copy of the run's migrated database: each benchmark's throwaway database
    starts migrated instead of migrating from zero (11–22 s of CPU each); one test,
    ``test_bench_runs_a_module_in_a_subprocess_and_writes_latest_json``, migrates from zero."""
    return ["--template", str(migrated.sqlite(tmp_path / "migrated.sqlite3"))]


@pytest.fixture
def bench_dir(tmp_path):
    (tmp_path / "bench_fake.py").write_text(FAKE)
    (tmp_path / "bench_broken.py").write_text("def run(ctx):\n    raise RuntimeError('boom')\n")
    return tmp_path


def test_bench_runs_a_module_in_a_subprocess_and_writes_latest_json(bench_dir, tmp_path):
    output = tmp_path / "results" / "latest.json"
    out = io.StringIO()
    call_command("bench", "fake", "--quick", "--dir", str(bench_dir), "--output", str(output),
                 stdout=out)
    rows = json.loads(output.read_text())
    assert rows == [{"name": "fake.sum", "value": 435.0, "unit": "units", "target": 10.0,
                     "baseline": 2.0, "ratio": 217.5, "scale": "30 numbers"}]
    text = out.getvalue()
    assert "fake.sum" in text and "217.5" in text and "fake note" in text


def test_a_failing_benchmark_exits_non_zero_but_keeps_the_others(bench_dir, tmp_path, template):
    output = tmp_path / "latest.json"
    with pytest.raises(CommandError, match="broken"):
        call_command("bench", "--quick", "--dir", str(bench_dir), "--output", str(output), *template,
                     stdout=io.StringIO(), stderr=io.StringIO())
    assert [r["name"] for r in json.loads(output.read_text())] == ["fake.sum"]


def test_rows_of_benchmarks_not_run_are_kept(bench_dir, tmp_path, template):
    output = tmp_path / "latest.json"
    output.write_text(json.dumps([
        {"name": "other.x", "value": 1, "unit": "s", "target": None, "baseline": None,
         "ratio": None, "scale": ""},
        {"name": "fake.old", "value": 1, "unit": "s", "target": None, "baseline": None,
         "ratio": None, "scale": ""},
    ]))
    call_command("bench", "fake", "--quick", "--dir", str(bench_dir), "--output", str(output), *template,
                 stdout=io.StringIO())
    assert [r["name"] for r in json.loads(output.read_text())] == ["other.x", "fake.sum"]


def test_a_row_named_for_another_app_replaces_its_own_earlier_figure(bench_dir, tmp_path, template):
    """bench_collection measures contributions.collection_day_http_3000: a second run replaces
    the first run's figure instead of adding a second row of the same name."""
    (bench_dir / "bench_other.py").write_text(
        "def run(ctx):\n    return [ctx.row('elsewhere.figure', 2.0, 's')]\n")
    output = tmp_path / "latest.json"
    for _ in range(2):
        call_command("bench", "other", "--quick", "--dir", str(bench_dir), "--output", str(output), *template,
                     stdout=io.StringIO())
    assert [r["name"] for r in json.loads(output.read_text())] == ["elsewhere.figure"]


def test_unknown_benchmark_names_are_refused(bench_dir, tmp_path):
    with pytest.raises(CommandError, match="nope"):
        call_command("bench", "nope", "--dir", str(bench_dir), "--output", str(tmp_path / "x.json"))


def test_runner_refuses_without_a_throwaway_database(monkeypatch, bench_dir):
    monkeypatch.delenv("OMBOON_SQLITE", raising=False)
    assert runner.main(["fake", "--dir", str(bench_dir)]) == 2


def test_rows_percentiles_and_checks():
    assert runner.make_row("a", 3.0, "s", baseline=1.5) == {
        "name": "a", "value": 3.0, "unit": "s", "target": None, "baseline": 1.5, "ratio": 2.0,
        "scale": ""}
    assert runner.make_row("a", 3.0, "s")["ratio"] is None
    values = list(range(1, 101))
    assert runner.percentile(values, 95) == 95 and runner.percentile(values, 50) == 50
    assert runner.median([1, 2, 3, 10]) == 2.5
    with pytest.raises(runner.BenchError):
        runner.check_rows([{"name": "x"}])
    with pytest.raises(runner.BenchError):
        runner.check_rows({"name": "x"})
    assert runner.check_rows([runner.make_row("a", 1, "s")])


def test_the_foundation_benchmark_is_loadable():
    module = runner.load("foundation", runner.REPO / "bench")
    assert callable(module.run)
    assert textwrap.dedent(module.__doc__).strip()


VENDOR_CHECK = '''
from django.db import connection
from omboon.orgs.models import Organisation

def run(ctx):
    # the throwaway database is of the kind asked for, migrated and empty
    assert connection.vendor == ctx.vendor
    assert Organisation.objects.count() == 0
    name = connection.settings_dict["NAME"]
    return [ctx.row("vendor." + ctx.vendor, 1.0, "s", scale=str(name))]
'''


def _bench_args(connection):
    """Run the benchmark on the suite's own kind of database: ``--postgres`` with the suite's
    PostgreSQL server, or the throwaway SQLite file."""
    if connection.vendor != "postgresql":
        return []
    s = connection.settings_dict
    return ["--postgres", f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/postgres"]


def _pg_databases(server_url: str) -> set[str]:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as pg:
        return {name for (name,) in pg.execute("SELECT datname FROM pg_database")}


@pytest.fixture
def template_of_the_kind(migrated, tmp_path):
    """``--template``: a migrated database of the suite's kind — on PostgreSQL a database on the
    same server (dropped afterwards), else a SQLite file."""
    import psycopg
    from django.db import connection

    if connection.vendor != "postgresql":
        yield ["--template", str(migrated.sqlite(tmp_path / "migrated.sqlite3"))]
        return
    name = f"test_bench_template_{os.getpid()}"
    migrated.postgres(name)
    yield ["--template", name]
    with psycopg.connect(_bench_args(connection)[1], autocommit=True) as pg:
        pg.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_bench_runs_on_a_throwaway_database_of_the_kind_asked_for_and_drops_it(tmp_path, template_of_the_kind):
    """With ``--postgres`` the benchmark runs on a new ``omboon_bench_<pid>`` database that
    is dropped afterwards — also when the benchmark fails; with ``--template`` that database is a
    copy of a migrated one (on PostgreSQL, ``CREATE DATABASE … TEMPLATE``)."""
    from django.db import connection

    (tmp_path / "bench_vendor.py").write_text(VENDOR_CHECK)
    (tmp_path / "bench_broken.py").write_text("def run(ctx):\n    raise RuntimeError('boom')\n")
    output = tmp_path / "latest.json"
    args = [*_bench_args(connection), *template_of_the_kind]
    with pytest.raises(CommandError, match="broken"):
        call_command("bench", "vendor", "broken", "--dir", str(tmp_path), "--output", str(output),
                     *args, stdout=io.StringIO(), stderr=io.StringIO())
    [row] = json.loads(output.read_text())
    assert row["name"] == f"vendor.{connection.vendor}"
    if connection.vendor == "postgresql":
        assert row["scale"].startswith("omboon_bench_")
        assert row["scale"] not in _pg_databases(_bench_args(connection)[1])
    else:
        assert row["scale"].endswith("bench.sqlite3")


def test_a_template_that_holds_an_organisation_is_refused(bench_dir, tmp_path, template):
    """A benchmark starts from a migrated, empty database: a template with a group in it is
    refused before the benchmark runs (and the template itself is never written)."""
    path = template[1]
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO orgs_organisation (code, kind, group_type, name_th, name_en, path, depth, house_no,"
                   " street, province_code, district_code, subdistrict_code, postcode, fiscal_year_start_month,"
                   " bylaws, is_active, is_remote_node, created_at) VALUES ('BDC', 'group', 'welfare_fund',"
                   " 'บ้านดอนไชย', '', 'BDC', 0, '', '', '', '', '', '', 1, '{}', 1, 0, '2026-01-01 00:00:00')")
    out = io.StringIO()
    with pytest.raises(CommandError, match="fake"):
        call_command("bench", "fake", "--quick", "--dir", str(bench_dir), "--output", str(tmp_path / "x.json"),
                     *template, stdout=out, stderr=io.StringIO())
    assert "the template must be a migrated database with no organisation" in out.getvalue()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM orgs_organisation").fetchone() == (1,)
