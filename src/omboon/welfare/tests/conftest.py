"""Welfare test helpers: a group with cash in its welfare fund, members, the usual schemes,
and a committee of a treasurer (who submits and pays) and a chair (who approves)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from omboon.core import national_id
from omboon.ledger.services import Line, entry_post
from omboon.members.models import Member
from omboon.orgs.models import Role
from omboon.testing.factories import make_user
from omboon.welfare import presets, services
from omboon.welfare.models import BenefitScheme

D = dt.date
PAY_DAY = D(2025, 7, 1)
from omboon.testing.factories import member_numbers as _seq  # noqa: E402  (shared numbering)

OPENING = D(2020, 1, 1)


def make_member(organisation, **kw) -> Member:
    n = next(_seq)
    values = {
        "organisation": organisation, "number": f"W{n:05d}", "title": "นาง", "first_name": f"สมศรี{n}",
        "last_name": "ใจดี",
        "sex": Member.Sex.FEMALE,
        "national_id": national_id.with_check_digit(f"3{organisation.pk % 1000:03d}{n + 50000:08d}"),
        "birth_date": D(1960, 5, 17), "join_date": D(2015, 3, 1), "status": Member.Status.ACTIVE,
    }
    values.update(kw)
    return Member.objects.create(**values)


def fund_cash(organisation, satang: int, *, date: dt.date = OPENING, actor=None):
    """Cash into the welfare fund, as a state matching grant."""
    return entry_post(actor=actor, organisation=organisation, date=date, doc_type="receipt",
                      lines=[Line(account="1100", debit=satang), Line(account="4400", credit=satang)])


def make_schemes(organisation, actor=None, **kw) -> dict[str, BenefitScheme]:
    return {p.category: services.scheme_create(actor=actor, organisation=organisation, category=p.category,
                                               name_th=p.name_th, name_en=p.name_en, rule=p.rule,
                                               effective_from=D(2010, 1, 1))
            for p in presets.presets(**kw)}


ID_DOCS = {
    "childbirth": ["id_card", "birth_certificate"],
    "sickness": ["id_card", "hospital_certificate"],
    "death": ["id_card", "death_certificate", "house_registration"],
    "elderly": ["id_card"],
    "education": ["id_card", "school_letter"],
    "disability": ["id_card", "disability_card"],
    "disaster": ["id_card", "damage_report"],
    "community_enterprise": ["id_card", "project_plan"],
}


@dataclass
class Fund:
    group: object
    treasurer: object
    chair: object
    schemes: dict
    member: Member

    def submit(self, category: str, member=None, **kw):
        kw.setdefault("event_date", D(2025, 6, 10))
        kw.setdefault("documents", ID_DOCS[category])
        kw.setdefault("today", D(2025, 12, 31))
        if category == "death":
            kw.setdefault("payees", [{"name": "นายสมชาย ใจดี", "relation": "บุตร", "share": 100}])
        return services.claim_submit(actor=self.treasurer, organisation=self.group, member=member or self.member,
                                     scheme=self.schemes[category], **kw)

    def approve(self, claim):
        return services.claim_approve(actor=self.chair, claim=claim)

    def pay(self, claim, date=PAY_DAY):
        return services.claim_pay(actor=self.treasurer, claim=claim, date=date)

    def paid(self, category, member=None, **kw):
        return self.pay(self.approve(self.submit(category, member, **kw)))


@pytest.fixture
def fund(tree) -> Fund:
    group = tree.group_a
    treasurer = make_user(group, Role.TREASURER, username="w-treasurer")
    chair = make_user(group, Role.CHAIR, username="w-chair")
    fund_cash(group, 100_000_00)
    return Fund(group, treasurer, chair, make_schemes(group, treasurer), make_member(group))
