"""Loan test helpers: a village fund with cash, members, a product of 12 monthly instalments at
12% a year (declining balance, rounded to 5 baht; two guarantors above 20,000 baht), and a
committee of a treasurer (who enters and pays out) and a chair (who approves)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from omboon.core import national_id
from omboon.ledger.services import Line, entry_post
from omboon.loans import services
from omboon.loans.schedule import Terms
from omboon.members.models import Member
from omboon.orgs.models import Organisation, Role
from omboon.testing.factories import make_group, make_user
from omboon.testing.factories import member_numbers as _seq

D = dt.date
TERMS = Terms(method="declining", rate=Decimal(12), per="year", every="month", term=12, rounding=500)
MONTHLY_1000 = Terms("equal-principal", Decimal(0), "year", "month", 12)  # 12,000 baht: 1,000 a month, no interest


def make_member(organisation, **kw) -> Member:
    n = next(_seq)
    values = {
        "organisation": organisation, "number": f"L{n:05d}", "title": "นาย", "first_name": f"บุญมี{n}",
        "last_name": "ศรีสุข", "sex": Member.Sex.MALE,
        "national_id": national_id.with_check_digit(f"3{organisation.pk % 1000:03d}{n + 70000:08d}"),
        "birth_date": D(1970, 2, 3), "join_date": D(2015, 3, 1), "status": Member.Status.ACTIVE,
    }
    values.update(kw)
    return Member.objects.create(**values)


@dataclass
class Fund:
    group: Organisation
    treasurer: object
    chair: object
    members: list
    product: object


@pytest.fixture
def fund(db) -> Fund:
    group = make_group("VF", "กองทุนหมู่บ้านทดสอบ", group_type=Organisation.GroupType.VILLAGE_FUND)
    treasurer = make_user(group, Role.TREASURER)
    chair = make_user(group, Role.CHAIR)
    entry_post(actor=None, organisation=group, date=D(2020, 1, 2), doc_type="receipt",
               lines=[Line(account="1100", debit=1_000_000_00), Line(account="4400", credit=1_000_000_00)])
    product = services.product_create(actor=chair, organisation=group, code="GEN", name_th="เงินกู้สามัญ",
                                      terms=TERMS, max_amount=50_000_00, effective_from=D(2020, 1, 1),
                                      guarantors_above=20_000_00, guarantors_required=2)
    return Fund(group, treasurer, chair, [make_member(group) for _ in range(5)], product)


APPLIED_ON, DISBURSED_ON = D(2026, 1, 5), D(2026, 1, 15)


def apply(fund: Fund, principal=20_000_00, member=None, guarantors=(), on=APPLIED_ON, signed=True, **kw):
    """The treasurer enters an application; with ``signed`` the guarantors' signed consent forms
    come with it (the form's "ยินยอมแล้ว" ticked on each line), else their consent waits
    (``consented=`` names the ones that came)."""
    kw.setdefault("consented", guarantors if signed else ())
    return services.loan_apply(actor=fund.treasurer, organisation=fund.group, member=member or fund.members[0],
                               product=fund.product, principal=principal, purpose="ซื้อปุ๋ย", guarantors=guarantors,
                               applied_on=on, **kw)


def disbursed(fund: Fund, principal=20_000_00, on=DISBURSED_ON, **kw):
    loan = apply(fund, principal, **kw)
    services.loan_approve(actor=fund.chair, loan=loan)
    return services.loan_disburse(actor=fund.treasurer, loan=loan, date=on)


@pytest.fixture
def young(db) -> Fund:
    """A fund whose books begin in January 2026, so its first month to close is January; its
    product lends at no interest, the principal in 12 equal monthly parts (``MONTHLY_1000``)."""
    group = make_group("AL", "กองทุนค่าเผื่อ", group_type=Organisation.GroupType.VILLAGE_FUND)
    treasurer, chair = make_user(group, Role.TREASURER), make_user(group, Role.CHAIR)
    entry_post(actor=None, organisation=group, date=D(2026, 1, 2), doc_type="receipt",
               lines=[Line(account="1100", debit=100_000_00), Line(account="4400", credit=100_000_00)])
    product = services.product_create(actor=chair, organisation=group, code="Z", name_th="เงินกู้ไม่มีดอกเบี้ย",
                                      terms=MONTHLY_1000, max_amount=50_000_00, effective_from=D(2026, 1, 1))
    return Fund(group, treasurer, chair, [make_member(group) for _ in range(2)], product)
