"""``omboon report members|arrears|passbook|contributions`` for a group (and members for a network)."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from omboon.contributions import services
from omboon.contributions.models import Kind
from omboon.contributions.tests.conftest import make_member


@pytest.fixture
def paid(group, treasurer):
    a = make_member(group, join_date=dt.date(2024, 1, 1))
    b = make_member(group, join_date=dt.date(2024, 1, 1))
    services.receipt_issue(actor=treasurer, organisation=group, member=a, date=timezone.localdate(),
                           items=[(Kind.DAILY_SAVING, 3100)])
    return a, b


def report(code, org, *extra):
    from io import StringIO

    out = StringIO()
    call_command("report", code, "--org", org, "--format", "json", *extra, stdout=out)
    return json.loads(out.getvalue())


def test_members_arrears_passbook_and_contributions(paid, group, tree):
    a, b = paid
    members = report("members", group.code)
    rows = members["tables"][0]["rows"]
    assert len(rows) == 2 and all("x-xxxx" in r["national_id"] for r in rows)  # never the full ID
    arrears = report("arrears", group.code)
    assert {r["number"] for r in arrears["tables"][0]["rows"]} == {a.number, b.number}
    book = report("passbook", group.code, "--param", f"member={a.number}")
    assert book["tables"][1]["rows"][0]["paid_in"] == 3100
    money = report("contributions", group.code)
    assert {r["amount"] for r in money["tables"][0]["rows"]} >= {3100}
    network = report("members", tree.zone.code)
    assert {r["group"] for r in network["tables"][0]["rows"]} == {group.code}
