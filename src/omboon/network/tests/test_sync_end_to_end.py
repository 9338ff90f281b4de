"""End to end: a network server and a standalone group as two processes on 127.0.0.1.

The server runs on PostgreSQL when the suite does (a database of its own on the same
server), else on a second SQLite file; the group always on a SQLite file. Both start migrated,
copies of the run's template (the ``migrated`` fixture), not migrated from zero here. The group syncs,
its sync process is killed with SIGKILL halfway, it syncs again, and the server's figures
equal the group's own to the satang.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

REPO = Path(__file__).resolve().parents[4]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(db: dict) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "OMBOON_SQLITE", "OMBOON_SQLITE_TEST")}
    env.update(db, OMBOON_FAST_HASHER="1", PYTHONPATH=str(REPO / "src"), DJANGO_SETTINGS_MODULE="omboon.settings")
    return env


def _run(env: dict, *args: str, timeout: float = 300) -> str:
    result = subprocess.run([sys.executable, "-m", *args], env=env, cwd=REPO, capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _step(env: dict, step: str) -> dict:
    return json.loads(_run(env, "omboon.network.tests.e2e_scripts", step).strip().splitlines()[-1])


def _omboon(env: dict, *args: str) -> list[str]:
    return [sys.executable, "-c", "import sys; from omboon.cli import main; main(sys.argv)", *args]


@pytest.fixture
def server_db(tmp_path, migrated):
    """The server's database, migrated (a copy of the run's template): PostgreSQL when the
    suite runs on it, else a SQLite file."""
    if connection.vendor == "postgresql":
        import psycopg

        name = f"omboon_e2e_{os.getpid()}"
        url = migrated.postgres(name)
        yield {"DATABASE_URL": url}
        settings = connection.settings_dict
        with psycopg.connect(host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432,
                             user=settings["USER"], password=settings["PASSWORD"] or None, dbname="postgres",
                             autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        yield {"OMBOON_SQLITE": str(migrated.sqlite(tmp_path / "server.sqlite3"))}


def _wait_for(url: str, proc: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read().decode()[-3000:]
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # the server answers (401 without a token)
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"the server did not answer at {url}")


def test_a_standalone_group_syncs_survives_kill_9_and_the_server_agrees(tmp_path, server_db, migrated):
    server = _env({**server_db, "OMBOON_DATA_DIR": str(tmp_path / "server-data")})
    node = _env({"OMBOON_SQLITE": str(migrated.sqlite(tmp_path / "node.sqlite3")),
                 "OMBOON_DATA_DIR": str(tmp_path / "node-data"), "OMBOON_SYNC_BATCH": "40"})
    code = _step(server, "server_setup")["code"]
    _step(node, "node_setup")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(_omboon(server, "runserver", "--noreload", f"127.0.0.1:{port}"), env=server, cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_for(f"{url}/api/v1/network/sync/status", proc)
        enrolled = subprocess.run(_omboon(node, "enrol", "--server", url, "--code", code, "--org", "BDC"), env=node,
                                  cwd=REPO, capture_output=True, text=True, timeout=120)
        assert enrolled.returncode == 0, enrolled.stderr
        # first sync, killed with SIGKILL after two items were acknowledged
        first = subprocess.Popen(_omboon(node, "sync"), env=node, cwd=REPO, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        for line in first.stdout:
            if line.startswith("[2/"):
                os.kill(first.pid, signal.SIGKILL)
                break
        first.wait(timeout=60)
        assert first.returncode == -signal.SIGKILL
        halfway = _step(server, "sync_state")["last_applied"]
        total = _step(node, "outbox")["items"]
        assert 2 <= halfway < total
        again = subprocess.run(_omboon(node, "sync"), env=node, cwd=REPO, capture_output=True, text=True, timeout=300)
        assert again.returncode == 0, again.stderr[-3000:]
        assert _step(server, "sync_state")["last_applied"] == total
        mine, theirs = _step(node, "figures"), _step(server, "figures")
        assert theirs == mine
        assert mine["receipts"]["state"] == 12 * 500_000  # 12 closed months of 14 and mine["members_active"] > 0
        assert _step(server, "recomputed")["facts"] == mine["facts"]  # raw records agree with the facts
        nothing = subprocess.run(_omboon(node, "sync"), env=node, cwd=REPO, capture_output=True, text=True,
                                 timeout=120)
        assert nothing.returncode == 0 and "staged: 0" in nothing.stdout
    finally:
        proc.kill()
        proc.wait(timeout=30)
