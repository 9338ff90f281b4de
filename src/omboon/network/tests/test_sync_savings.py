"""Savings travel with the sync: the laptop's products, members' accounts (with their
sub-account numbers on the entry lines) and their status history arrive on the network's
server, so its savings reports show the same balances to the satang.

The server is a second group in the same test database (``mirror``, flagged as a remote node),
as in ``test_sync_claims_and_sharing``."""

from __future__ import annotations

import datetime as dt
import json

from omboon.core import reporting
from omboon.ledger.models import JournalLine
from omboon.network import receivers
from omboon.network.models import OutboxItem
from omboon.network.sync import server
from omboon.network.sync.laptop import stage
from omboon.orgs.models import Organisation
from omboon.savings import selectors, services
from omboon.savings.models import Account
from omboon.savings.tests.conftest import make_savings_group
from omboon.testing.factories import make_group, make_network

D = dt.date


def ship(laptop, mirror) -> list[str]:
    after = OutboxItem.objects.filter(organisation=laptop).order_by("-seq").values_list("seq", flat=True)
    after = after[0] if after else 0
    stage(actor=None, organisation=laptop)
    kinds = []
    for item in OutboxItem.objects.filter(organisation=laptop, seq__gt=after).order_by("seq"):
        with receivers.applying_sync():
            server.APPLY[item.kind](mirror, json.loads(item.payload))
        kinds.append(item.kind)
    return kinds


def accounts_of(group) -> list[tuple]:
    held = selectors.balances(group)
    return sorted((a.number, a.product.code, a.member.number, a.sub_account.number, a.status, a.opened_on,
                   held[a.pk], tuple(a.history.values_list("status", "date")))
                  for a in selectors.accounts(group))


def test_savings_accounts_and_their_lines_arrive_and_the_balances_agree(db):
    network = make_network("SN", "เครือข่าย")
    sg = make_savings_group("SJL", parent=network)
    mirror = make_group("SRV", "SJL บนเซิร์ฟเวอร์", parent=network,
                        group_type=Organisation.GroupType.SAVINGS_GROUP)
    Organisation.objects.filter(pk=mirror.pk).update(is_remote_node=True)
    mirror.refresh_from_db()
    vol = services.account_open(actor=sg.treasurer, organisation=sg.group, member=sg.members[0],
                                product=sg.products["VOL"], opened_on=D(2024, 1, 1))
    saj = services.account_open(actor=sg.treasurer, organisation=sg.group, member=sg.members[1],
                                product=sg.products["SAJ"], opened_on=D(2024, 1, 1))
    services.deposit(actor=sg.treasurer, account=vol, amount=5_000_00, date=D(2024, 1, 5))
    services.deposit(actor=sg.treasurer, account=saj, amount=100_00, date=D(2024, 1, 5))
    services.withdrawal_approve(actor=sg.chair, withdrawal=services.withdrawal_request(
        actor=sg.treasurer, account=vol, amount=1_000_00, date=D(2024, 3, 1)))
    services.interest_post(actor=sg.chair, organisation=sg.group, through=D(2024, 6, 30))

    kinds = ship(sg.group, mirror)
    assert kinds.index("sub_accounts") < kinds.index("savings_accounts") < kinds.index("entries")
    assert accounts_of(mirror) == accounts_of(sg.group)
    assert JournalLine.objects.filter(organisation=mirror, sub_account__isnull=False).count() == \
        JournalLine.objects.filter(organisation=sg.group, sub_account__isnull=False).count()
    books = reporting.get("savings-balances").build(organisation=mirror, start=None, end=D(2024, 6, 30)).tables[1]
    assert {r["code"]: r["difference"] for r in books.rows} == {"2100": 0, "2110": 0}
    assert sum(r["members"] for r in books.rows) == sum(selectors.balances(sg.group).values())

    # a later deposit and a status change send only what changed
    services.deposit(actor=sg.treasurer, account=saj, amount=100_00, date=D(2024, 7, 5))
    services.account_close(actor=sg.chair, account=services.account_open(
        actor=sg.treasurer, organisation=sg.group, member=sg.members[2], product=sg.products["SH"],
        opened_on=D(2024, 7, 1)), reason="เปิดผิด", date=D(2024, 7, 2))
    assert ship(sg.group, mirror) == ["sub_accounts", "savings_accounts", "entries"]
    assert accounts_of(mirror) == accounts_of(sg.group)
    assert Account.objects.get(organisation=mirror, member__number=sg.members[2].number).status == "closed"
