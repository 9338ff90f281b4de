"""A long command stopped by its timeout or by Ctrl-C keeps what it finished and says where it
stopped, in Thai and English, without a traceback: ``omboon bench`` in a subprocess (a fake
benchmark that measures two rows, then waits on a pool of two sleeping workers), and
``omboon demo --bulk`` in this process (its build stopped by a KeyboardInterrupt)."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from omboon.core.progress import EXIT_INTERRUPTED

SLEEPY = '''
import multiprocessing
import time

DATABASE = False  # no migration: the test is about stopping, not about the database


def run(ctx):
    rows = [ctx.row("sleepy.first", 1.5, "s"), ctx.row("sleepy.second", 2.5, "s", scale="two")]
    ctx.step("ขั้นที่สาม / the third step")
    with multiprocessing.get_context("fork").Pool(2) as pool:
        print("sleeping", flush=True)
        pool.map(time.sleep, [600, 600])
    return rows
'''


@pytest.fixture
def sleepy(tmp_path):
    (tmp_path / "bench_sleepy.py").write_text(SLEEPY)
    env = dict(os.environ, OMBOON_BENCH_RESULTS=str(tmp_path / "results" / "latest.json"),
               OMBOON_SQLITE=str(tmp_path / "unused.sqlite3"), OMBOON_DATA_DIR=str(tmp_path / "data"))
    env.pop("DATABASE_URL", None)
    return tmp_path, env


def _omboon(env, *args, **kw):
    return subprocess.Popen([sys.executable, "-m", "omboon.cli", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kw)


def _rows(tmp_path) -> list[str]:
    return [r["name"] for r in json.loads((tmp_path / "results" / "latest.json").read_text())]


def test_a_benchmark_timeout_keeps_the_finished_rows_and_ends_its_workers_quietly(sleepy):
    tmp_path, env = sleepy
    proc = _omboon(env, "bench", "sleepy", "--dir", str(tmp_path), "--timeout", "8")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert _rows(tmp_path) == ["sleepy.first", "sleepy.second"]
    assert "Traceback" not in out + err
    assert "timed out after 8 s" in err and "stopped in step: ขั้นที่สาม / the third step" in err
    assert "kept the 2 rows measured" in err
    assert "sleepy.second" in out  # the table of what was measured


def test_ctrl_c_on_a_benchmark_says_so_keeps_the_rows_and_exits_130(sleepy):
    tmp_path, env = sleepy
    proc = _omboon(env, "bench", "sleepy", "--dir", str(tmp_path), "--timeout", "300")
    seen = []
    deadline = time.monotonic() + 90
    for line in proc.stdout:  # wait until the workers are asleep
        seen.append(line)
        if line.strip() == "sleeping" or time.monotonic() > deadline:
            break
    assert seen and seen[-1].strip() == "sleeping", seen
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == EXIT_INTERRUPTED
    assert _rows(tmp_path) == ["sleepy.first", "sleepy.second"]
    assert "Traceback" not in "".join(seen) + out + err
    assert "หยุดแล้ว / interrupted: หยุดในขั้น / stopped in step" in err and "the third step" in err
    assert "run the same command again" in err


def test_bench_help_documents_the_exit_code(capsys):
    from omboon.cli import main

    with pytest.raises(SystemExit) as exit_:  # ``omboon bench --help``, in this process
        main(["omboon", "bench", "--help"])
    assert exit_.value.code == 0
    assert f"Ctrl-C exits {EXIT_INTERRUPTED}" in " ".join(capsys.readouterr().out.split())


@pytest.mark.django_db
def test_demo_bulk_stopped_says_what_it_added_and_that_it_continues(monkeypatch):
    from omboon.demo import scale

    def build(*, log, **kw):
        log(f"{scale.GROUP_DONE}    1 BDC    3,000 สมาชิก/members")
        log(f"{scale.GROUP_DONE}    2 MPA    3,000 สมาชิก/members")
        raise KeyboardInterrupt

    monkeypatch.setattr(scale, "build", build)
    with pytest.raises(CommandError) as stopped:
        call_command("demo", "--bulk", "--groups", "5", stdout=io.StringIO())
    assert stopped.value.returncode == EXIT_INTERRUPTED
    message = str(stopped.value)
    assert "เพิ่มกลุ่มเสร็จแล้ว 2 กลุ่ม" in message and "2 groups added" in message
    assert "it continues with the groups not yet filled" in message
