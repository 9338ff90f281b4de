"""The README's walkthrough "Running a group offline", command by command, in subprocesses.

The demo network's server (PostgreSQL when the suite runs on it, else a SQLite file) holds
the offline group MYO's members but none of its books; the group's laptop (a SQLite file)
builds them with ``omboon demo-node``, enrols with a one-time code, syncs to the server
running under gunicorn, and ``omboon sync-check`` prints the same figures and fingerprint on
both sides. The demo is smaller than the README's (30 members, 1 year) to keep the test short.
"""

from __future__ import annotations

import subprocess
import sys

from omboon.network.tests.test_sync_end_to_end import (  # noqa: F401 — server_db is a fixture
    REPO,
    _env,
    _free_port,
    _omboon,
    _wait_for,
    server_db,
)

DEMO = ["--seed", "1", "--groups", "6", "--members", "30", "--years", "1", "--end", "2025-06-30"]


def omboon(env: dict, *args: str) -> str:
    result = subprocess.run(_omboon(env, *args), env=env, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_the_readme_walkthrough_runs_as_written(tmp_path, server_db, migrated):  # noqa: F811 — the fixture above
    server = _env({**server_db, "OMBOON_DATA_DIR": str(tmp_path / "server-data")})
    laptop = _env({"OMBOON_SQLITE": str(migrated.sqlite(tmp_path / "omboon-myo.sqlite3")),
                   "OMBOON_DATA_DIR": str(tmp_path / "laptop-data")})

    # 1. on the network's server (its database and the laptop's start as copies of the run's
    # migrated template: each `migrate` the README runs finds nothing left to do)
    omboon(server, "migrate", "--noinput")
    omboon(server, "demo", *DEMO)
    logins = omboon(server, "demo-logins")
    assert "MYO" in logins and "omboon enrolment-code --org MYO" in logins and "omboon demo-node" in logins
    assert "no monthly facts yet" in omboon(server, "sync-check", "--org", "MYO")
    code = omboon(server, "enrolment-code", "--org", "MYO").strip().splitlines()[-1]
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "omboon.wsgi", "--pythonpath", "src", "-b",
                             f"127.0.0.1:{port}"], env=server, cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    try:
        _wait_for(f"{url}/api/v1/network/sync/status", proc)

        # 2. on the group's laptop
        omboon(laptop, "migrate", "--noinput")
        built = omboon(laptop, "demo-node", "--org", "MYO", *DEMO)
        assert "treasurer" in built and "chair" in built
        assert "enrolled: MYO" in omboon(laptop, "enrol", "--server", url, "--code", code, "--org", "MYO")
        synced = omboon(laptop, "sync")
        assert "done" in synced and "entries" in synced and "facts" in synced
        mine = omboon(laptop, "sync-check", "--org", "MYO")
        assert "fingerprint" in mine and "no monthly facts" not in mine

        # 3. the server has the same figures, to the satang
        assert omboon(server, "sync-check", "--org", "MYO") == mine
        assert "staged: 0" in omboon(laptop, "sync")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
