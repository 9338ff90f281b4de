"""Processes for the concurrency test: each starts Django on its own connection to the same
database (a SQLite file, or the PostgreSQL test database) and issues receipts as fast as it
can. Nothing Django is imported at module level: a spawned process sets up Django first."""

from __future__ import annotations

import os
import random
import time
import traceback


def start_django(db: dict) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "omboon.settings"
    os.environ["OMBOON_FAST_HASHER"] = "1"
    if db["vendor"] == "sqlite":
        os.environ.pop("DATABASE_URL", None)
        os.environ["OMBOON_SQLITE"] = db["name"]
    else:
        os.environ["DATABASE_URL"] = db["url"]
    import django

    django.setup()


def prepare(db: dict, members: int) -> dict:
    """Create a group, a treasurer and members in the migrated database (on SQLite the test's
    copy of the run's template); returns their ids."""
    start_django(db)
    import datetime as dt

    from omboon.contributions.tests.conftest import make_member
    from omboon.orgs.models import Role
    from omboon.testing.factories import make_group, make_network, make_user

    net = make_network("CC-NET", "เครือข่ายทดสอบ")
    group = make_group("CC", "กลุ่มทดสอบพร้อมกัน", parent=net)
    treasurers = [make_user(group, Role.TREASURER, username=f"cc-treasurer-{i}").pk for i in range(4)]
    ids = [make_member(group, n=i + 1, join_date=dt.date(2020, 1, 1)).pk for i in range(members)]
    return {"group": group.pk, "treasurers": treasurers, "members": ids}


def work(db: dict, setup: dict, index: int, seconds: float, out) -> None:
    """Issue receipts for ``seconds``; every 5th is submitted twice with the same key."""
    try:
        start_django(db)
        from django.contrib.auth import get_user_model
        from django.utils import timezone

        from omboon.contributions import services
        from omboon.contributions.models import Kind
        from omboon.members.models import Member
        from omboon.orgs.models import Organisation

        group = Organisation.objects.get(pk=setup["group"])
        actor = get_user_model().objects.get(pk=setup["treasurers"][index])
        members = list(Member.objects.filter(pk__in=setup["members"]))
        rng = random.Random(index)
        today = timezone.localdate()
        made, keys, errors = 0, set(), []
        deadline = time.monotonic() + seconds
        n = 0
        while time.monotonic() < deadline:
            n += 1
            key = f"w{index}-{n}"
            member = rng.choice(members)
            try:
                if n % 7 == 0:  # now and then a small collection day
                    chosen = rng.sample(members, 3)
                    day = services.collection_day_post(
                        actor=actor, organisation=group, date=today, idempotency_key=key,
                        rows=[{"member": m.pk, "amount": 3100} for m in chosen])
                    made += day.count
                    continue
                r1 = services.receipt_issue(actor=actor, organisation=group, member=member, date=today,
                                            items=[(Kind.DAILY_SAVING, rng.choice([3000, 3100, 9000]))],
                                            idempotency_key=key)
                if n % 5 == 0:
                    r2 = services.receipt_issue(actor=actor, organisation=group, member=member, date=today,
                                                items=[(Kind.DAILY_SAVING, 3000)], idempotency_key=key)
                    if r2.pk != r1.pk:
                        errors.append(f"double submit {key} made two receipts")
                made += 1
                keys.add(key)
            except Exception:  # every failure is a finding of the test
                errors.append(traceback.format_exc(limit=3))
        out.put({"index": index, "made": made, "errors": errors})
    except Exception:
        out.put({"index": index, "made": 0, "errors": [traceback.format_exc()]})


def verify(db: dict, setup: dict) -> dict:
    start_django(db)
    from django.db.models import Count, Sum

    from omboon.contributions.models import Receipt
    from omboon.ledger.models import JournalEntry, JournalLine

    receipts = Receipt.objects.filter(organisation_id=setup["group"])
    numbers = {}
    for fy, number in receipts.values_list("fiscal_year", "number"):
        numbers.setdefault(fy, []).append(number)
    entry_ids = set(receipts.values_list("entry_id", flat=True))
    entries = JournalEntry.objects.filter(organisation_id=setup["group"], doc_type="receipt")
    posted = entries.filter(pk__in=entry_ids).aggregate(s=Sum("total"))["s"] or 0
    lines = JournalLine.objects.filter(organisation_id=setup["group"])
    totals = lines.aggregate(d=Sum("debit"), c=Sum("credit"))
    unbalanced = (lines.values("entry_id").annotate(d=Sum("debit"), c=Sum("credit")).order_by()
                  .exclude(d=0, c=0))
    unbalanced = [row for row in unbalanced if row["d"] != row["c"]]
    keys = receipts.values("idempotency_key").annotate(n=Count("id")).filter(n__gt=1).count()
    return {
        "numbers": {fy: sorted(ns) for fy, ns in numbers.items()},
        "receipts": receipts.count(),
        "entries": entries.count(),
        "entries_linked": len(entry_ids),
        "posted": posted,
        "debit": totals["d"] or 0, "credit": totals["c"] or 0,
        "unbalanced": len(unbalanced), "duplicate_keys": keys,
        "receipt_total": receipts.aggregate(s=Sum("total"))["s"] or 0,
    }
