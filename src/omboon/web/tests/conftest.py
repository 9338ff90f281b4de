"""Fixtures of the web tests: members to look at (the browser fixtures and the English
catalogue are shared by all apps: ``omboon.testing.browser``, ``omboon.testing.i18n``)."""

from __future__ import annotations

import datetime as dt

import pytest

from omboon.core import national_id
from omboon.members.models import Member
from omboon.testing.factories import member_numbers as _seq


def make_member(organisation, **kw) -> Member:
    """A member row for page tests (the members app's services own real registrations)."""
    n = next(_seq)
    first12 = f"3{organisation.pk % 1000:03d}{n:08d}"
    values = {
        "organisation": organisation,
        "number": f"{n:05d}",
        "title": "นาง",
        "first_name": f"สมศรี{n}",
        "last_name": "ใจดี",
        "sex": Member.Sex.FEMALE,
        "national_id": national_id.with_check_digit(first12),
        "birth_date": dt.date(1970, 5, 17),
        "join_date": dt.date(2015, 3, 1),
        "moo": 3,
        "status": Member.Status.ACTIVE,
    }
    values.update(kw)
    return Member.objects.create(id_hash=national_id.keyed_hash(values["national_id"]), **values)


@pytest.fixture
def member_factory(db):
    return make_member
