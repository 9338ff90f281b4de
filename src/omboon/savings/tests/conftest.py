"""Savings test helpers: a savings group (กลุ่มสัจจะสะสมทรัพย์) with a treasurer (who takes
deposits and enters withdrawals), a chair (who approves them), members, and its four products:

- SAJ compulsory สัจจะ, 100 baht a month, one withdrawal a year of at most half the balance;
- VOL voluntary savings, a 100-baht minimum, a 10-baht withdrawal fee, 2% a year half-yearly;
- FIX fixed-term deposits, 12 months at 3% (1% if withdrawn early);
- SH shares at 10 baht, at least 10 and at most 1,000 of them."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal

import pytest

from omboon.members import services as members
from omboon.members.tests.helpers import row
from omboon.orgs.models import Organisation, Role
from omboon.savings import services
from omboon.savings.models import Product
from omboon.testing.factories import make_group, make_user, member_numbers

D = dt.date
START = D(2024, 1, 1)


def make_member(group, **kw):
    return members.member_create(actor=None, organisation=group, **row(next(member_numbers) + 5000, **kw))


def make_products(group, actor) -> dict[str, Product]:
    p = {}
    p["SAJ"] = services.product_create(actor=actor, organisation=group, code="SAJ", kind="compulsory",
                                       name_th="เงินสัจจะ", effective_from=START, monthly_amount=100_00,
                                       withdrawals_a_year=1, withdrawal_max_percent=50)
    p["VOL"] = services.product_create(actor=actor, organisation=group, code="VOL", kind="voluntary",
                                       name_th="เงินฝากออมทรัพย์", effective_from=START, min_balance=100_00,
                                       withdrawal_fee=10_00, annual_rate=Decimal(2), interest_period="half-yearly")
    p["FIX"] = services.product_create(actor=actor, organisation=group, code="FIX", kind="fixed",
                                       name_th="เงินฝากประจำ 12 เดือน", effective_from=START, term_months=12,
                                       annual_rate=Decimal(3), early_rate=Decimal(1), interest_period="yearly")
    p["SH"] = services.product_create(actor=actor, organisation=group, code="SH", kind="shares", name_th="หุ้น",
                                      effective_from=START, share_price=10_00, min_shares=10, max_shares=1000)
    return p


@dataclass
class SavingsGroup:
    group: Organisation
    treasurer: object
    chair: object
    members: list
    products: dict


_codes = itertools.count(1)


def make_savings_group(code: str | None = None, parent: Organisation | None = None) -> SavingsGroup:
    group = make_group(code or f"SG{next(_codes)}", "กลุ่มสัจจะสะสมทรัพย์บ้านทดสอบ", parent,
                       group_type=Organisation.GroupType.SAVINGS_GROUP)
    treasurer = make_user(group, Role.TREASURER)
    chair = make_user(group, Role.CHAIR)
    return SavingsGroup(group, treasurer, chair, [make_member(group) for _ in range(3)],
                        make_products(group, chair))


@pytest.fixture
def sg(db) -> SavingsGroup:
    return make_savings_group()
