"""Four processes issue receipts at once for a few seconds, each on its own connection: no
errors, no duplicate or missing receipt numbers, every receipt posted once, ledger balanced.

On SQLite the processes share a database file (the test database is in memory, so this test
has its own file, a copy of the run's migrated template); on PostgreSQL they share the test
database (``transactional_db``, so what they commit is visible to each other)."""

from __future__ import annotations

import multiprocessing

from django.db import connection

from omboon.contributions.tests import concurrency

PROCESSES = 4
SECONDS = 5.0


def _db(tmp_path, migrated) -> dict:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"vendor": "sqlite", "name": str(migrated.sqlite(tmp_path / "concurrency.sqlite3"))}
    user = s["USER"] or ""
    auth = f"{user}:{s['PASSWORD']}@" if s.get("PASSWORD") else (f"{user}@" if user else "")
    return {"vendor": connection.vendor, "url": f"postgres://{auth}{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/"
                                                  f"{s['NAME']}"}


def _in_child(ctx, fn, *args):
    with ctx.Pool(1) as pool:
        return pool.apply(fn, args)


def test_four_treasurers_at_once_get_gapless_unique_numbers(transactional_db, tmp_path, migrated):
    ctx = multiprocessing.get_context("spawn")
    db = _db(tmp_path, migrated)
    connection.close()  # the children open their own connections
    setup = _in_child(ctx, concurrency.prepare, db, 40)
    out = ctx.Queue()
    procs = [ctx.Process(target=concurrency.work, args=(db, setup, i, SECONDS, out)) for i in range(PROCESSES)]
    for p in procs:
        p.start()
    results = [out.get(timeout=SECONDS + 120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    errors = [e for r in results for e in r["errors"]]
    assert not errors, errors[:3]
    made = sum(r["made"] for r in results)
    print(f"{made} receipts by {PROCESSES} processes in {SECONDS} s")
    assert all(r["made"] > 0 for r in results), results  # every process got its turn
    assert made >= 2 * PROCESSES

    found = _in_child(ctx, concurrency.verify, db, setup)
    assert found["receipts"] == made
    assert found["entries"] == found["entries_linked"]  # no entry without its receipts
    assert found["posted"] == found["receipt_total"]  # every receipt posted once
    for numbers in found["numbers"].values():
        assert numbers == list(range(1, len(numbers) + 1))  # no duplicate, no gap
    assert found["debit"] == found["credit"] == found["receipt_total"]  # one cash line per receipt
    assert found["unbalanced"] == 0 and found["duplicate_keys"] == 0
