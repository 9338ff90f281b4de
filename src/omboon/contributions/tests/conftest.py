"""Contributions test helpers: a group with its chart, members, and a terse receipt maker."""

from __future__ import annotations

import datetime as dt

import pytest

from omboon.core import national_id
from omboon.members.models import Member
from omboon.testing.factories import member_numbers as _seq


def make_member(organisation, **kw) -> Member:
    """A member row (the members app's services own real registrations)."""
    n = kw.pop("n", None) or next(_seq)
    nid = national_id.with_check_digit(f"3{organisation.pk % 1000:03d}{n:08d}")
    values = {
        "organisation": organisation, "number": f"{n:04d}", "title": "นาง", "first_name": f"สมศรี{n}",
        "last_name": "ใจดี",
        "sex": Member.Sex.FEMALE, "national_id": nid, "id_hash": national_id.keyed_hash(nid),
        "birth_date": dt.date(1970, 5, 17), "join_date": dt.date(2024, 1, 1), "moo": 3, "status": Member.Status.ACTIVE,
    }
    values.update(kw)
    return Member.objects.create(**values)


def baht(n: int | float) -> int:
    return round(n * 100)


@pytest.fixture
def group(tree):
    return tree.group_a


@pytest.fixture
def member(group):
    return make_member(group, first_name="บุญมา", last_name="ดีใจ", join_date=dt.date(2024, 1, 1))


@pytest.fixture
def member_factory(db):
    return make_member
