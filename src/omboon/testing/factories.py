"""Small builders for tests: an organisation tree and users holding roles.

They go through the services, so a test's data obeys the same rules as real data.
"""

from __future__ import annotations

import datetime as dt
import itertools

from django.contrib.auth import get_user_model

from omboon.ledger.rules import Approval
from omboon.orgs import services as org_services
from omboon.orgs.models import Organisation, Role

_seq = itertools.count(1)
# One numbering for the member rows every app's tests make, so two apps' factories used in one
# test (the URL walkers do) never make the same national ID.
member_numbers = itertools.count(1)


def make_network(code: str, name_th: str, parent: Organisation | None = None, **kw) -> Organisation:
    return org_services.organisation_create(
        actor=None, code=code, kind=Organisation.Kind.NETWORK, name_th=name_th, parent=parent,
        province_code=kw.pop("province_code", "52"), **kw,
    )


def make_group(code: str, name_th: str, parent: Organisation | None = None, **kw) -> Organisation:
    kw.setdefault("group_type", Organisation.GroupType.WELFARE_FUND)
    kw.setdefault("founded_on", dt.date(2010, 1, 1))
    kw.setdefault("province_code", "52")
    return org_services.organisation_create(
        actor=None, code=code, kind=Organisation.Kind.GROUP, name_th=name_th, parent=parent, **kw,
    )


def make_user(organisation: Organisation, role: str, username: str | None = None, password: str = "pass-1234"):
    username = username or f"{role}-{organisation.code}-{next(_seq)}".lower()
    return org_services.user_create(
        actor=None, username=username, password=password, organisation=organisation, role=role,
        first_name=username,
    )


def make_superuser(username: str = "root"):
    return get_user_model().objects.create_superuser(username=username, password="pass-1234")


def committee_approval(organisation: Organisation, maker=None):
    """A second person's approval for money out in tests that post payments straight to the
    books: ``maker`` (or a new treasurer) entered it, a new chair of the group approved it."""

    maker = maker or make_user(organisation, Role.TREASURER)
    return Approval(maker=maker, approver=make_user(organisation, Role.CHAIR), what="test")
