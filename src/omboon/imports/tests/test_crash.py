"""kill -9 during a batched import: complete batches only; running again finishes the job with
exactly the expected rows; a third run creates nothing.

``omboon import`` runs in a subprocess on a file SQLite database (OMBOON_SQLITE). Each batch
holds its transaction open for a moment (OMBOON_IMPORT_BATCH_DELAY); the test stops the import
once the first batches have committed and the next one's transaction is open — the import
holds the database's write lock, which the test sees by trying to take it — not after a
guessed sleep, which a loaded machine outruns.

The group and its members are set up once for the module (a copy of the run's migrated
template, the group made, the members imported) and each test works on its own copy."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from omboon.imports.tests.helpers import MEMBER_HEADERS, PAYMENT_HEADERS, csv_bytes, member_rows, payment_rows

MEMBERS, MONTHS, BATCH = 120, 5, 40
SETUP = """
import django; django.setup()
from omboon.testing.factories import make_group
make_group("CRASH", "กลุ่มทดสอบ")
"""


def _env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(OMBOON_SQLITE=str(tmp_path / "crash.sqlite3"), OMBOON_DATA_DIR=str(tmp_path),
               OMBOON_FAST_HASHER="1", DJANGO_SETTINGS_MODULE="omboon.settings", **extra)
    return env


def _omboon(tmp_path, *args, **extra):
    return subprocess.run([sys.executable, "-m", "omboon.cli", *args], env=_env(tmp_path, **extra),
                          capture_output=True, text=True, timeout=600)


def _one(db, sql):
    with sqlite3.connect(db, timeout=30) as con:
        return con.execute(sql).fetchone()[0]


def _books_balance(db) -> bool:
    with sqlite3.connect(db, timeout=30) as con:
        bad = con.execute("""SELECT COUNT(*) FROM (SELECT e.id FROM ledger_journalentry e
            JOIN ledger_journalline l ON l.entry_id = e.id GROUP BY e.id
            HAVING SUM(l.debit) != SUM(l.credit) OR SUM(l.debit) != e.total)""").fetchone()[0]
    return bad == 0


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, migrated):
    """A migrated database with the group CRASH and its members imported, and the payments file."""
    where = tmp_path_factory.mktemp("crash-seed")
    migrated.sqlite(where / "crash.sqlite3")
    subprocess.run([sys.executable, "-c", SETUP], env=_env(where), check=True, timeout=120)
    members = where / "members.csv"
    members.write_bytes(csv_bytes(MEMBER_HEADERS, member_rows(MEMBERS)))
    done = _omboon(where, "import", "members", str(members), "--org", "CRASH", "--quiet")
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(where / "crash.sqlite3") as con:  # one file to copy: the write-ahead log folded in
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    payments = where / "payments.csv"
    payments.write_bytes(csv_bytes(PAYMENT_HEADERS, payment_rows(MEMBERS, MONTHS)))
    return where


def _setup(tmp_path, seeded):
    shutil.copyfile(seeded / "crash.sqlite3", tmp_path / "crash.sqlite3")
    return str(tmp_path / "crash.sqlite3"), seeded / "payments.csv"


def _holds_the_write_lock(db) -> bool:
    """Another connection is inside a write transaction (the import's transactions begin
    IMMEDIATE, taking the lock first)."""
    con = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        con.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc):
            raise
        return True
    finally:
        con.close()


def _start_and_wait_for_batches(tmp_path, db, payments, batches: int):
    """The payments import in a subprocess, once ``batches`` have committed and the next one's
    transaction is open."""
    args = [sys.executable, "-m", "omboon.cli", "import", "payments", str(payments), "--org", "CRASH",
            "--batch-size", str(BATCH)]
    proc = subprocess.Popen(args, env=_env(tmp_path, OMBOON_IMPORT_BATCH_DELAY="0.4"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            committed = _one(db, "SELECT COALESCE(MAX(committed_batches), 0) FROM imports_importjob "
                                 "WHERE kind = 'payments'")
        except sqlite3.OperationalError:
            committed = 0
        if committed >= batches and _holds_the_write_lock(db):
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the import finished before it could be stopped"
    return proc


@pytest.mark.skipif(sys.platform == "win32", reason="kill -9 is POSIX")
def test_kill_9_mid_import_then_rerun_finishes(tmp_path, seeded):
    db, payments = _setup(tmp_path, seeded)
    proc = _start_and_wait_for_batches(tmp_path, db, payments, 3)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL

    batches = _one(db, "SELECT committed_batches FROM imports_importjob WHERE kind = 'payments'")
    total = MEMBERS * MONTHS
    assert 3 <= batches < total // BATCH
    lines = _one(db, "SELECT COUNT(*) FROM ledger_journalline l JOIN ledger_account a ON a.id = l.account_id "
                     "WHERE a.code = '4300'")
    assert lines == batches * BATCH  # whole batches, nothing of the killed one
    assert _books_balance(db)

    rerun = _omboon(tmp_path, "import", "payments", str(payments), "--org", "CRASH", "--batch-size", str(BATCH))
    assert rerun.returncode == 0, rerun.stderr
    assert "resuming" in rerun.stderr
    assert _one(db, "SELECT COUNT(*) FROM ledger_journalline l JOIN ledger_account a ON a.id = l.account_id "
                    "WHERE a.code = '4300'") == total
    assert _one(db, "SELECT SUM(credit) FROM ledger_journalline l JOIN ledger_account a ON a.id = l.account_id "
                    "WHERE a.code = '4300'") == total * 3000
    assert _one(db, "SELECT status FROM imports_importjob WHERE kind = 'payments'") == "done"
    assert _books_balance(db)

    again = _omboon(tmp_path, "import", "payments", str(payments), "--org", "CRASH")
    assert again.returncode == 0 and "already imported" in again.stdout
    assert _one(db, "SELECT COUNT(*) FROM ledger_journalline l JOIN ledger_account a ON a.id = l.account_id "
                    "WHERE a.code = '4300'") == total


@pytest.mark.skipif(sys.platform == "win32", reason="signals are POSIX")
def test_ctrl_c_mid_import_says_what_was_saved_and_how_to_go_on(tmp_path, seeded):
    db, payments = _setup(tmp_path, seeded)
    proc = _start_and_wait_for_batches(tmp_path, db, payments, 2)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    batches = _one(db, "SELECT committed_batches FROM imports_importjob WHERE kind = 'payments'")
    assert f"saved {batches} of {MEMBERS * MONTHS // BATCH} batches" in err and "Traceback" not in err
    assert f"ทำต่อจากชุดที่ {batches + 1}" in err and f"continues from batch {batches + 1}" in err
    rerun = _omboon(tmp_path, "import", "payments", str(payments), "--org", "CRASH", "--batch-size", str(BATCH))
    assert rerun.returncode == 0 and f"resuming at batch {batches + 1}" in rerun.stderr
    assert _one(db, "SELECT status FROM imports_importjob WHERE kind = 'payments'") == "done"
    assert _books_balance(db)
