"""Fixtures of the web tests: members to look at and a compiled English catalogue (the
browser fixtures are shared by all apps: ``omboon.testing.browser``)."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from omboon.core import national_id
from omboon.members.models import Member

_seq = itertools.count(1)


def make_member(organisation, **kw) -> Member:
    """A member row for page tests (the members app's services own real registrations)."""
    n = next(_seq)
    first12 = f"3{organisation.pk % 1000:03d}{n:08d}"
    values = dict(
        organisation=organisation,
        number=f"{n:05d}",
        title="นาง",
        first_name=f"สมศรี{n}",
        last_name="ใจดี",
        sex=Member.Sex.FEMALE,
        national_id=national_id.with_check_digit(first12),
        birth_date=dt.date(1970, 5, 17),
        join_date=dt.date(2015, 3, 1),
        moo=3,
        status=Member.Status.ACTIVE,
    )
    values.update(kw)
    return Member.objects.create(**values)


@pytest.fixture
def member_factory(db):
    return make_member


@pytest.fixture(scope="session", autouse=True)
def english_catalogue():
    """Builds the English .mo from its .po when it is missing or older (``make install`` does
    the same with ``omboon compilemessages``). Written beside it and renamed into place, so a
    parallel test worker never reads a half-written catalogue."""
    po = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    if po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
        part = mo.with_name(f"{mo.name}.{os.getpid()}.part")
        subprocess.run([shutil.which("msgfmt") or "msgfmt", "--check-format", "-o", str(part), str(po)],
                       check=True)
        os.replace(part, mo)
        from django.utils.translation import trans_real

        trans_real._translations = {}
        trans_real._default = None
