"""Steps of the end-to-end sync test, each run in its own process against one database
(``python -m omboon.network.tests.e2e_scripts STEP``; OMBOON_SQLITE or DATABASE_URL picks it).
Prints one JSON line."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omboon.settings")
    import django

    django.setup()


def server_setup() -> dict:
    from omboon.network.sync import server
    from omboon.testing.factories import make_group, make_network

    province = make_network("LP", "เครือข่ายจังหวัดลำปาง")
    zone = make_network("LP-S", "เครือข่ายลำปางใต้", parent=province)
    group = make_group("BDC", "กองทุนสวัสดิการบ้านดอนไชย", parent=zone, district_code="5208",
                       subdistrict_code="520801")
    make_group("MPA", "กองทุนสวัสดิการแม่ปะ", parent=zone)
    return {"code": server.enrolment_create(actor=None, organisation=group)}


def node_setup(members: int = 120, months: int = 14) -> dict:
    """The group on its laptop: members, a year of receipts and benefits, closed months."""
    from omboon.core import national_id
    from omboon.ledger import services as ledger
    from omboon.ledger.services import Line
    from omboon.members.models import Member
    from omboon.network import services
    from omboon.testing.factories import make_group, make_network

    province = make_network("LP", "เครือข่ายจังหวัดลำปาง")
    zone = make_network("LP-S", "เครือข่ายลำปางใต้", parent=province)
    group = make_group("BDC", "กองทุนสวัสดิการบ้านดอนไชย", parent=zone, district_code="5208",
                       subdistrict_code="520801")
    people = Member.objects.bulk_create([
        Member(organisation=group, number=f"{i:04d}", first_name=f"สมาชิก{i}", last_name="ทดสอบ",
               sex="F" if i % 2 else "M", national_id=national_id.with_check_digit(f"31000{i:07d}"),
               birth_date=dt.date(1950 + i % 50, 1 + i % 12, 1), join_date=dt.date(2023, 1 + i % 12, 1),
               status="deceased" if i % 37 == 0 else "active",
               status_date=dt.date(2024, 1 + i % 12, 10) if i % 37 == 0 else None)
        for i in range(1, members + 1)])
    start = dt.date(2024, 1, 1)
    from omboon.testing.factories import committee_approval

    approval = committee_approval(group)  # the benefits as paid from approved vouchers
    for k in range(months):
        year, month = 2024 + k // 12, 1 + k % 12
        for j, m in enumerate(people[: 20]):
            ledger.entry_post(actor=None, organisation=group, date=dt.date(year, month, 1 + j % 27),
                              doc_type="receipt", lines=[Line("1100", debit=3_000 + j, member=m),
                                                         Line("4300", credit=3_000 + j, member=m)])
        ledger.entry_post(actor=None, organisation=group, date=dt.date(year, month, 5), doc_type="receipt",
                          lines=[Line("1200", debit=500_000), Line("4400", credit=500_000)])
        benefit = ledger.entry_post(actor=None, organisation=group, date=dt.date(year, month, 20), doc_type="payment",
                                    approval=approval,
                                    lines=[Line("5130", debit=200_000, member=people[k]),
                                           Line("1100", credit=200_000)])
        if k == 3:
            ledger.entry_reverse(actor=None, entry=benefit, date=dt.date(year, month, 25), reason="จ่ายซ้ำ")
        if k < months - 2:
            ledger.period_close(actor=None, organisation=group, year=year, month=month, today=dt.date(2030, 1, 1))
            services.facts_write(actor=None, organisation=group, year=year, month=month)
    return {"members": members, "start": str(start)}


def figures(code: str = "BDC") -> dict:
    """The group's figures as the network sees them (from monthly facts) and its books."""
    from omboon.ledger import selectors as ledger_selectors
    from omboon.network import selectors
    from omboon.network.models import MonthlyFact
    from omboon.orgs.models import Organisation

    group = Organisation.objects.get(code=code)
    first, last = 2024 * 12, 2024 * 12 + 23
    total = selectors.consolidated(group, first=first, last=last).total
    tb = ledger_selectors.trial_balance(group, dt.date(2025, 12, 31))
    return {
        "members_active": total.members_active, "fund_size": total.fund_size, "receipts": dict(total.receipts),
        "benefits": dict(total.benefits), "cases": dict(total.benefit_cases), "balances": dict(total.by_code()),
        "facts": sorted(MonthlyFact.objects.filter(organisation=group).values_list("ym", "kind", "key", "count",
                                                                                    "amount")),
        "trial_balance": sorted((r.account.code, r.debit, r.credit) for r in tb.rows),
        "members": sorted(group.members.values_list("number", "first_name", "status")),
    }


def recomputed(code: str = "BDC") -> dict:
    """On the server: recompute the group's facts from the synced raw records."""
    from omboon.network import services
    from omboon.network.models import MonthlyFact
    from omboon.orgs.models import Organisation

    group = Organisation.objects.get(code=code)
    services.facts_recompute(actor=None, organisation=group)
    return {"facts": sorted(MonthlyFact.objects.filter(organisation=group).values_list("ym", "kind", "key", "count",
                                                                                        "amount"))}


def sync_state(code: str = "BDC") -> dict:
    from omboon.network.models import NodeToken

    node = NodeToken.objects.filter(organisation__code=code, revoked_at__isnull=True).first()
    return {"last_applied": node.last_applied_seq if node else None}


def outbox(code: str = "BDC") -> dict:
    from omboon.network.models import NodeConfig, OutboxItem

    config = NodeConfig.objects.filter(organisation__code=code).first()
    return {"items": OutboxItem.objects.filter(organisation__code=code).count(),
            "acked": config.acked_seq if config else None}


def main(argv: list[str]) -> None:
    _setup()
    step, *args = argv
    result = globals()[step](*args)
    sys.stdout.write(json.dumps(result, default=str) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
