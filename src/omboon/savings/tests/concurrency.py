"""Processes for the savings concurrency test: each starts Django on its own connection to the same
database (a SQLite file, or the PostgreSQL test database) and deposits into and withdraws from the
same two accounts as fast as it can. Nothing Django is imported at module level: a spawned process
sets up Django first (``contributions.tests.concurrency.start_django``)."""

from __future__ import annotations

import random
import time
import traceback

from omboon.contributions.tests.concurrency import start_django

OPENING = 1_000_00


def prepare(db: dict) -> dict:
    """Make a savings group with one voluntary product without fee or minimum, and two accounts of
    1,000 baht each, in the migrated database (on SQLite the test's copy of the run's template);
    returns their ids."""
    start_django(db)
    import datetime as dt

    from omboon.savings import services
    from omboon.savings.tests.conftest import START, make_savings_group

    sg = make_savings_group()
    product = services.product_create(actor=sg.chair, organisation=sg.group, code="CON", kind="voluntary",
                                      name_th="เงินฝากทดสอบพร้อมกัน", effective_from=START)
    accounts = [services.account_open(actor=sg.treasurer, organisation=sg.group, member=m, product=product,
                                      opened_on=START) for m in sg.members[:2]]
    for account in accounts:
        services.deposit(actor=sg.treasurer, account=account, amount=OPENING, date=START + dt.timedelta(days=1))
    return {"group": sg.group.pk, "treasurer": sg.treasurer.pk, "chair": sg.chair.pk,
            "accounts": [a.pk for a in accounts]}


def work(db: dict, setup: dict, index: int, seconds: float, out) -> None:
    """Deposit 50–300 baht or withdraw 100–900 baht (asked by the treasurer, paid when the chair
    approves), at random, for ``seconds``; every 4th deposit is sent twice with the same key.
    Reports what each account received and paid out, and the refusals (a rule said no)."""
    try:
        start_django(db)
        from django.contrib.auth import get_user_model

        from omboon.core.errors import RuleViolation
        from omboon.savings import services
        from omboon.savings.models import Account

        users = get_user_model().objects
        treasurer, chair = users.get(pk=setup["treasurer"]), users.get(pk=setup["chair"])
        rng = random.Random(index)
        moved = {pk: {"in": 0, "out": 0} for pk in setup["accounts"]}
        refused, errors, n = 0, [], 0
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            n += 1
            account = Account.objects.get(pk=rng.choice(setup["accounts"]))
            try:
                if rng.random() < 0.5:
                    amount, key = rng.randrange(50, 301) * 100, f"w{index}-{n}"
                    services.deposit(actor=treasurer, account=account, amount=amount, idempotency_key=key)
                    if n % 4 == 0:
                        services.deposit(actor=treasurer, account=account, amount=amount, idempotency_key=key)
                    moved[account.pk]["in"] += amount
                else:
                    amount = rng.randrange(100, 901) * 100
                    w = services.withdrawal_request(actor=treasurer, account=account, amount=amount)
                    try:
                        services.withdrawal_approve(actor=chair, withdrawal=w)
                    except RuleViolation:
                        services.withdrawal_reject(actor=chair, withdrawal=w, reason="ยอดไม่พอ")
                        raise
                    moved[account.pk]["out"] += amount
            except RuleViolation:
                refused += 1
            except Exception:  # every other failure is a finding of the test
                errors.append(traceback.format_exc(limit=4))
        out.put({"index": index, "tried": n, "moves": n - refused, "refused": refused, "moved": moved,
                 "errors": errors})
    except Exception:
        out.put({"index": index, "tried": 0, "moves": 0, "refused": 0, "moved": {}, "errors": [traceback.format_exc()]})


def verify(db: dict, setup: dict) -> dict:
    start_django(db)
    from django.db.models import Sum

    from omboon.ledger.models import JournalLine
    from omboon.savings import selectors
    from omboon.savings.models import KIND_ACCOUNT, Account

    lines = JournalLine.objects.filter(organisation_id=setup["group"])
    totals = lines.aggregate(d=Sum("debit"), c=Sum("credit"))
    control = lines.filter(account__code=KIND_ACCOUNT["voluntary"]).aggregate(d=Sum("debit"), c=Sum("credit"))
    accounts = Account.objects.filter(pk__in=setup["accounts"])
    return {"balances": {a.pk: selectors.balance(a) for a in accounts},
            "debit": totals["d"] or 0, "credit": totals["c"] or 0,
            "on_control": (control["c"] or 0) - (control["d"] or 0)}
