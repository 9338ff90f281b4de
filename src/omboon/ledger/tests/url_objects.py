"""Objects for the URL walker (omboon.web.tests.test_url_walker): one per id keyword."""

from __future__ import annotations

import datetime as dt
import itertools

from omboon.ledger import services
from omboon.ledger.services import Line
from omboon.orgs.models import Role
from omboon.testing.factories import make_user

_n = itertools.count(1)


def make_entry(org):
    return services.entry_post(actor=None, organisation=org, date=dt.date(2024, 3, 1), doc_type="receipt",
                               lines=[Line("1100", debit=5000), Line("4600", credit=5000)], memo="บริจาค")


def make_voucher(org):
    maker = make_user(org, Role.TREASURER, username=f"voucher-maker-{org.code}-{next(_n)}".lower())
    return services.voucher_create(actor=maker, organisation=org, kind="payment", date=dt.date(2024, 3, 2),
                                   memo="ค่าเครื่องเขียน",
                                   lines=[Line("5200", debit=2500), Line("1100", credit=2500)])


URL_VALUES = {
    "entry_id": lambda org, built: make_entry(org).pk,
    "voucher_id": lambda org, built: make_voucher(org).pk,
}
