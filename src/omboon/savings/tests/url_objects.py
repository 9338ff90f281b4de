"""Objects for the URL walkers (omboon.web.tests.test_url_walker, test_id_walk): one per id keyword."""

from __future__ import annotations

import datetime as dt
import itertools

from omboon.members import services as members
from omboon.members.tests.helpers import row
from omboon.orgs.models import Role
from omboon.savings import services
from omboon.testing.factories import make_user, member_numbers

_n = itertools.count(1)
D = dt.date(2024, 3, 1)


def make_account(org):
    chair = make_user(org, Role.CHAIR, username=f"savings-chair-{org.code}-{next(_n)}".lower())
    product = services.product_create(actor=chair, organisation=org, code=f"W{next(_n)}", kind="voluntary",
                                      name_th="ออมทรัพย์", effective_from=D)
    member = members.member_create(actor=None, organisation=org, **row(next(member_numbers) + 9000))
    account = services.account_open(actor=chair, organisation=org, member=member, product=product, opened_on=D)
    services.deposit(actor=chair, account=account, amount=50_000, date=D)
    return account, chair


def make_withdrawal(org):
    account, chair = make_account(org)
    return services.withdrawal_request(actor=chair, account=account, amount=10_000, date=D)


def make_share_transfer(org):
    chair = make_user(org, Role.CHAIR, username=f"savings-chair-{org.code}-{next(_n)}".lower())
    product = services.product_create(actor=chair, organisation=org, code=f"S{next(_n)}", kind="shares",
                                      name_th="หุ้น", effective_from=D, share_price=1_000)
    accounts = []
    for _ in range(2):
        member = members.member_create(actor=None, organisation=org, **row(next(member_numbers) + 9000))
        account = services.account_open(actor=chair, organisation=org, member=member, product=product, opened_on=D)
        services.deposit(actor=chair, account=account, amount=10_000, date=D)
        accounts.append(account)
    return services.share_transfer_request(actor=chair, holder=accounts[0], receiver=accounts[1], shares=2, date=D)


URL_VALUES = {
    "transfer_id": lambda org, built: make_share_transfer(org).pk,
    "number": lambda org, built: make_account(org)[0].number,
    "withdrawal_id": lambda org, built: make_withdrawal(org).pk,
    "account_id": lambda org, built: make_account(org)[0].pk,
    "product_id": lambda org, built: make_account(org)[0].product_id,
}
