"""``omboon year-end-allocation``: draft, what-if, the meeting's two approvals, post and pay
from the command line, refused as the pages refuse."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from omboon.loans.models import YearEndAllocation
from omboon.loans.tests.year_end_books import year_2025

pytestmark = pytest.mark.django_db
POOL = ("--model", "pool", "--reserve", "20", "--dividend", "40", "--refund", "20", "--welfare", "10",
        "--committee", "5", "--public", "5")


def run(*args) -> str:
    out = io.StringIO()
    call_command("year_end_allocation", *args, stdout=out)
    return out.getvalue()


def test_the_year_end_from_the_command_line():
    books = year_2025()
    org = ("--org", books.group.code, "--year", "2568")  # the fiscal year in พ.ศ.
    assert "ร่างการจัดสรรกำไรสุทธิปี 2568" in run("draft", *org, "--by", books.treasurer.username, *POOL)
    shown = run(*org)
    assert "ร่าง / draft" in shown and books.a.number in shown and "เงินปันผล / Dividends" in shown
    what_if = json.loads(run(*org, "--what-if", "--json", "--model", "pool", "--reserve", "50", "--dividend", "50"))
    assert what_if["what_if"] and what_if["parts"]["refund"] == 0 and what_if["parts"]["dividend"] > 0
    assert YearEndAllocation.objects.get().refund > 0  # the what-if saved nothing
    run("approve", *org, "--by", books.chair.username, "--meeting", "15/02/2569", "--resolution", "อนุมัติตามร่าง")
    run("approve", *org, "--by", books.committee.username)
    assert "posted" in run("post", *org, "--by", books.treasurer.username, "--date", "2026-02-20")
    assert "paid (cash)" in run("pay", *org, "--by", books.treasurer.username, "--how", "cash", "--date",
                                "2026-02-25")
    assert YearEndAllocation.objects.get().status == "paid"


def test_refusals_exit_with_the_problems():
    books = year_2025()
    org = ("--org", books.group.code, "--year", "2025")
    with pytest.raises(CommandError, match="add up to 100"):
        run("draft", *org, "--by", books.treasurer.username, "--dividend", "50")
    with pytest.raises(CommandError, match="no allocation of 2025"):
        run(*org)
    run("draft", *org, "--by", books.treasurer.username, *POOL)
    with pytest.raises(CommandError, match="cannot approve it"):
        run("approve", *org, "--by", books.treasurer.username, "--meeting", "2026-02-15", "--resolution", "x")
