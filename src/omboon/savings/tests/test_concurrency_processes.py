"""Four processes deposit into and withdraw from the same two accounts at once for a few seconds,
each on its own connection (issue 16): no error but a rule's refusal, no balance below zero, no
movement lost or made twice — each account holds its opening plus what the processes say they
put in less what they paid out — and the books balance, their 21xx equal to the accounts.

On SQLite the processes share a database file (the test database is in memory, so this test
has its own file, a copy of the run's migrated template); on PostgreSQL they share the test
database (``transactional_db``)."""

from __future__ import annotations

import multiprocessing

from django.db import connection

from omboon.contributions.tests.test_concurrency import _db, _in_child
from omboon.savings.tests import concurrency

PROCESSES = 4
SECONDS = 5.0


def test_four_processes_on_the_same_accounts_lose_nothing_and_never_go_below_zero(transactional_db, tmp_path, migrated):
    ctx = multiprocessing.get_context("spawn")
    db = _db(tmp_path, migrated)
    connection.close()  # the children open their own connections
    setup = _in_child(ctx, concurrency.prepare, db)
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
    assert all(r["tried"] > 0 for r in results), results  # every process got its turn
    # (a process's few tries may all be refused on a loaded machine; the movements are counted together)
    assert sum(r["moves"] for r in results) > 0, results
    print(f"{sum(r['moves'] for r in results)} movements, {sum(r['refused'] for r in results)} refused, "
          f"by {PROCESSES} processes in {SECONDS} s")

    found = _in_child(ctx, concurrency.verify, db, setup)
    for pk in setup["accounts"]:
        put_in = sum(r["moved"][pk]["in"] for r in results)
        paid_out = sum(r["moved"][pk]["out"] for r in results)
        assert found["balances"][pk] == concurrency.OPENING + put_in - paid_out  # nothing lost or twice
        assert found["balances"][pk] >= 0
    assert found["debit"] == found["credit"]
    assert found["on_control"] == sum(found["balances"].values())
