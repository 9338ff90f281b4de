"""Loan benchmarks (issue 17): the schedules of 10,000 loans built by ``loans.schedule.build``.

The loans are a village fund's mix, drawn once with a fixed seed: 5,000–50,000 baht; monthly
over 6–36 months (most), weekly over 26–104 weeks, or yearly over 1–5 years; flat, declining
(equal instalments) or equal principal; 6–18% a year; some with a grace on principal; rounded
to 1, 5 or 10 baht or not at all.

Baseline, in the same run: the bare arithmetic of the same schedules — a float level payment
and a loop of ``round(balance × rate)`` making tuples, with no checks, no exact rounding rule,
no dates and no dataclasses: what building a schedule cannot cost less than in Python.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from bench.runner import median

DATABASE = False  # a pure function: no database to migrate
SCHEDULE_TARGET_S = 1.0
REPEATS = 5


def run(ctx) -> list[dict]:
    from omboon.loans.schedule import Terms, build, period_rate

    count = 1_000 if ctx.quick else 10_000
    loans = _loans(count, Terms)
    ctx.step(f"build {count:,} schedules")
    timings, bare = [], []
    for _ in range(REPEATS):
        t0 = ctx.timer()
        instalments = sum(len(build(terms, principal, day)) for terms, principal, day in loans)
        timings.append(ctx.timer() - t0)
        plain = [(float(period_rate(terms)), terms, principal) for terms, principal, _ in loans]
        t0 = ctx.timer()
        for rate, terms, principal in plain:
            _bare(rate, terms.method, terms.term, principal)
        bare.append(ctx.timer() - t0)
    ctx.note(f"loans.schedule_{count}: {instalments:,} instalments a run, median of {REPEATS} runs")
    return [ctx.row(f"loans.schedule_{count}", median(timings), "s", target=SCHEDULE_TARGET_S, baseline=median(bare),
                    scale=f"{count:,} loans, {instalments:,} instalments (flat, declining, equal principal; "
                          "weekly, monthly, yearly)")]


def _loans(count: int, Terms):
    rng = random.Random(17)
    loans = []
    for _ in range(count):
        every = rng.choices(("month", "week", "year"), weights=(8, 1, 1))[0]
        term = {"month": rng.randint(6, 36), "week": rng.randint(26, 104), "year": rng.randint(1, 5)}[every]
        terms = Terms(method=rng.choice(("flat", "declining", "equal-principal")),
                      rate=Decimal(rng.choice(("6", "9", "12", "15", "18"))), per="year", every=every, term=term,
                      grace_principal=rng.choice((0, 0, 0, 1)) if term > 2 else 0,
                      rounding=rng.choice((1, 100, 500, 1000)) if every != "year" else 1)
        day = dt.date(2026, rng.randint(1, 12), rng.randint(1, 28))
        loans.append((terms, rng.randint(50, 500) * 100_00, day))
    return loans


def _bare(rate: float, method: str, term: int, principal: int) -> list[tuple]:
    level = principal * rate / (1 - (1 + rate) ** -term) if rate else principal / term
    balance, rows = principal, []
    for n in range(1, term + 1):
        interest = round((principal if method == "flat" else balance) * rate)
        part = balance if n == term else (round(level) - interest if method == "declining" else principal // term)
        balance -= part
        rows.append((n, part, interest, part + interest, balance))
    return rows
